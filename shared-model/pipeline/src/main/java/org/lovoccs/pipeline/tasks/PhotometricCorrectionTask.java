package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

import java.util.List;

/**
 * LoVoCCS photometric calibration (step 17): star-galaxy separation, de-reddening, colour terms, stellar
 * locus, zero-point correction (colour terms griz, stellar locus u).
 */
public final class PhotometricCorrectionTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public PhotometricCorrectionTask() {
        super("photometricCorrection", "lovoccs.photometry.PhotometricCorrectionTask", TRACT);
        bool("doStarGalaxySeparation", true, "classify stars and galaxies");
        real("starGalaxyCut", 0.0164, "extendedness cut (PSF minus model magnitude)");
        bool("doDeredden", true, "correct Galactic extinction with the dust map");
        bool("doColorTerms", true, "apply colour terms to the reference catalogue");
        bool("doStellarLocus", true, "fit the stellar locus");
        string("colorTermBands", "g,r,i,z", "bands zero-pointed with colour terms");
        string("stellarLocusBands", "u", "bands zero-pointed with the stellar locus");
        input("catalog", "lovoccs_catalog_all", TRACT, "DataFrame");
        prerequisite("doDeredden", "dustMap", "sfd_dust_map", List.of(), "DustMap", false);
        output("correctedCatalog", "lovoccs_photo_corrected_catalog", TRACT, "DataFrame");
        output("zeroPoints", "lovoccs_zero_points", TRACT, "StructuredDataDict");
    }
}
