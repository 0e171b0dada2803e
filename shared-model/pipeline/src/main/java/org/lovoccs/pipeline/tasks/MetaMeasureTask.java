package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

/** LoVoCCS meta_4b: detection, deblending, measurement and forced photometry on the sheared coadds of a patch. */
public final class MetaMeasureTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public MetaMeasureTask() {
        super("meta4b", "lovoccs.metadetect.MetaMeasureTask", PATCH);
        real("detection.thresholdValue", 5.0, "detection threshold");
        string("priorityList", "i,r,z,g,u", "band priority of the reference band");
        inputs("shearedCoadds", "deepCoadd_metaShear", PATCH_BAND, "MetaShearExposureSet");
        output("catalog", "deepCoadd_metaShear_obj", PATCH, "DataFrame");
    }
}
