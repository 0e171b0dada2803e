package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

/**
 * LoVoCCS shear_calibration (step 19): applies a shear-calibration algorithm (hsc, naive, or the
 * metadetect response when {@code useMetadetectResponse} is True) to the galaxy shapes.
 */
public final class ShearCalibrationTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public ShearCalibrationTask() {
        super("shearCalibration", "lovoccs.shear.ShearCalibrationTask", TRACT);
        string("method", "hsc", "hsc, naive or metadetect");
        real("minResolution", 0.3, "minimum HSM resolution of a lensing galaxy");
        real("maxEllipticity", 2.0, "maximum |e| of a lensing galaxy");
        real("minSnr", 10.0, "minimum S/N of a lensing galaxy");
        bool("useMetadetectResponse", false, "calibrate with the metadetect response (run the metadetect subset first)");
        input("catalog", "lovoccs_photoz_catalog", TRACT, "DataFrame");
        inputIf("useMetadetectResponse", "response", "lovoccs_metacal_response", TRACT, "StructuredDataDict", false);
        output("shearCatalog", "lovoccs_shear_catalog", TRACT, "DataFrame");
    }
}
