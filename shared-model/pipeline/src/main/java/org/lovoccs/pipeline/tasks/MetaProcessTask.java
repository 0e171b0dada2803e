package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

/** LoVoCCS meta_process: the sheared catalogues with the same zero points as the main one, and their photo-z's. */
public final class MetaProcessTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public MetaProcessTask() {
        super("metaProcess", "lovoccs.metadetect.MetaProcessTask", TRACT);
        string("photozCode", "BPZ", "photo-z code (as photoZ)");
        input("catalog", "lovoccs_metaShear_catalog", TRACT, "DataFrame");
        input("zeroPoints", "lovoccs_zero_points", TRACT, "StructuredDataDict");
        output("processed", "lovoccs_metaShear_photoz_catalog", TRACT, "DataFrame");
    }
}
