package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

/**
 * pipe_tasks' {@code CalibrateTask}: astrometric and photometric calibration of one CCD against the
 * reference catalogues named by {@code connections.astromRefCat} and {@code connections.photoRefCat}.
 */
public final class CalibrateTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public CalibrateTask() {
        super("calibrate", "lsst.pipe.tasks.calibrate.CalibrateTask", VISIT_DETECTOR);
        bool("doAstrometry", true, "fit the WCS against the astrometric reference catalogue");
        bool("requireAstrometry", true, "fail the quantum when astrometry fails");
        bool("doPhotoCal", true, "fit the zero point against the photometric reference catalogue");
        bool("requirePhotoCal", true, "fail the quantum when photometric calibration fails");
        bool("doDeblend", true, "deblend detected sources");
        bool("doWriteMatches", true, "write srcMatch");
        bool("doWriteMatchesDenormalized", false, "write srcMatchFull");
        real("detection.thresholdValue", 5.0, "detection threshold");
        integer("astrometry.matcher.maxOffsetPix", 250, "largest WCS offset searched (pixels)");
        integer("astrometry.matcher.minMatchedPairs", 6, "fewest source/reference pairs that must agree on the"
                + " pointing offset (its false-alarm probability must also be under 1e-3)");
        string("astromRefObjLoader.anyFilterMapsToThis", "phot_g_mean", "reference flux used for astrometry in any band");
        string("photoCal.photoCatName", "ps1_pv3_3pi_20170110", "name of the photometric reference catalogue");
        bool("photoCal.applyColorTerms", true, "apply colour terms for the photometric reference catalogue");
        input("exposure", "icExp", VISIT_DETECTOR, "ExposureF");
        input("background", "icExpBackground", VISIT_DETECTOR, "Background");
        input("icSourceCat", "icSrc", VISIT_DETECTOR, "SourceCatalog");
        prerequisite("doAstrometry", "astromRefCat", "gaia_dr2_20200414", HTM7, "SimpleCatalog", true);
        prerequisite("doPhotoCal", "photoRefCat", "ps1_pv3_3pi_20170110", HTM7, "SimpleCatalog", true);
        output("outputExposure", "calexp", VISIT_DETECTOR, "ExposureF");
        output("outputBackground", "calexpBackground", VISIT_DETECTOR, "Background");
        output("outputCat", "src", VISIT_DETECTOR, "SourceCatalog");
        outputIf("doWriteMatches", "matches", "srcMatch", VISIT_DETECTOR, "Catalog", false);
        outputIf("doWriteMatchesDenormalized", "matchesDenormalized", "srcMatchFull", VISIT_DETECTOR, "Catalog", false);
    }
}
