package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

/** pipe_tasks' {@code WriteObjectTableTask}: a patch's measurement, forced and reference catalogues in one DataFrame. */
public final class WriteObjectTableTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public WriteObjectTableTask() {
        super("writeObjectTable", "lsst.pipe.tasks.postprocess.WriteObjectTableTask", PATCH);
        string("engine", "pyarrow", "parquet engine");
        inputs("inputCatalogMeas", "deepCoadd_meas", PATCH_BAND, "SourceCatalog");
        inputs("inputCatalogForcedSrc", "deepCoadd_forced_src", PATCH_BAND, "SourceCatalog");
        input("inputCatalogRef", "deepCoadd_ref", PATCH, "SourceCatalog");
        output("outputCatalog", "deepCoadd_obj", PATCH, "DataFrame");
    }
}
