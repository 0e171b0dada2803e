package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

/**
 * LoVoCCS's check_visit (seed step 7) on one calibrated CCD: an elliptical Moffat fitted to each isolated reference
 * star on it (the astrometric catalogue's stars, put on the CCD through the calexp's WCS and matched to src), the
 * CCD's FWHM and ellipticity, and the lensing-quality cuts (LoVoCCS I): FWHM below {@code maxFwhm} pixels and
 * ellipticity below {@code maxEllipticity}, tighter per band ({@code r:4.4}, {@code r:0.13}).
 */
public final class CheckVisitTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public CheckVisitTask() {
        super("checkVisit", "lovoccs.quality.CheckVisitTask", VISIT_DETECTOR);
        real("maxFwhm", 6.4, "largest FWHM passing, pixels (1.68\")");
        real("maxEllipticity", 0.33, "largest ellipticity passing (distortion)");
        string("maxFwhmByBand", "r:4.4", "per-band FWHM limits, BAND:PIXELS[,BAND:PIXELS]");
        string("maxEllipticityByBand", "r:0.13", "per-band ellipticity limits, BAND:E[,BAND:E]");
        integer("minStarsFitted", 3, "fewest fitted reference stars for a verdict; fewer fails the CCD");
        real("matchRadius", 1.0, "largest distance between a reference star and its detection, pixels");
        real("minSnr", 30.0, "lowest S/N of a reference star fitted");
        real("isolationRadius", 15.0, "no other detection within this many pixels of a fitted star");
        string("refObjLoader.anyFilterMapsToThis", "phot_g_mean", "the reference catalogue's magnitude column");
        input("calexp", "calexp", VISIT_DETECTOR, "ExposureF");
        input("src", "src", VISIT_DETECTOR, "SourceCatalog");
        prerequisite(null, "refCat", "gaia_dr2_20200414", HTM7, "SimpleCatalog", true);
        output("quality", "ccdQuality", VISIT_DETECTOR, "DataFrame");
    }
}
