package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

/** LoVoCCS meta_lensing: the shear response from the sheared catalogues, for shearCalibration's metadetect method. */
public final class MetaLensingTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public MetaLensingTask() {
        super("metaLensing", "lovoccs.metadetect.MetaLensingTask", TRACT);
        real("shearStep", 0.01, "applied shear (as meta4a)");
        real("minSnr", 10.0, "minimum S/N of a galaxy");
        input("catalog", "lovoccs_metaShear_photoz_catalog", TRACT, "DataFrame");
        output("response", "lovoccs_metacal_response", TRACT, "StructuredDataDict");
    }
}
