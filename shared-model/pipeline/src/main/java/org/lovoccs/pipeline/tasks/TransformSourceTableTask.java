package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

/** pipe_tasks' {@code TransformSourceTableTask}: applies the Source functors (labels transformPreSourceTable, transformSourceTable). */
public final class TransformSourceTableTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public TransformSourceTableTask() {
        super("transformSourceTable", "lsst.pipe.tasks.postprocess.TransformSourceTableTask", VISIT_DETECTOR);
        string("functorFile", "$PIPE_TASKS_DIR/schemas/Source.yaml", "functor definitions of the output columns");
        bool("primaryKey", true, "index the table by sourceId");
        input("inputCatalog", "source", VISIT_DETECTOR, "DataFrame");
        output("outputCatalog", "sourceTable", VISIT_DETECTOR, "DataFrame");
    }
}
