package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

/** pipe_tasks' {@code ConsolidateSourceTableTask}: a visit's per-CCD tables in one (labels consolidatePreSourceTable, consolidateSourceTable). */
public final class ConsolidateSourceTableTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public ConsolidateSourceTableTask() {
        super("consolidateSourceTable", "lsst.pipe.tasks.postprocess.ConsolidateSourceTableTask", VISIT);
        inputs("inputCatalogs", "sourceTable", VISIT_DETECTOR, "DataFrame");
        output("outputCatalog", "sourceTable_visit", VISIT, "DataFrame");
    }
}
