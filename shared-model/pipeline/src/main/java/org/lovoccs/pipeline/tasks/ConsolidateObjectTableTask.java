package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

/** pipe_tasks' {@code ConsolidateObjectTableTask}: a tract's per-patch object tables in one. */
public final class ConsolidateObjectTableTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public ConsolidateObjectTableTask() {
        super("consolidateObjectTable", "lsst.pipe.tasks.postprocess.ConsolidateObjectTableTask", TRACT);
        string("coaddName", "deep", "coadd name prefix");
        inputs("inputCatalogs", "objectTable", PATCH, "DataFrame");
        output("outputCatalog", "objectTable_tract", TRACT, "DataFrame");
    }
}
