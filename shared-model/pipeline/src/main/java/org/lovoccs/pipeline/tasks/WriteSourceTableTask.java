package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

/** pipe_tasks' {@code WriteSourceTableTask}: a CCD's source catalogue as a DataFrame (label writePreSourceTable). */
public final class WriteSourceTableTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public WriteSourceTableTask() {
        super("writeSourceTable", "lsst.pipe.tasks.postprocess.WriteSourceTableTask", VISIT_DETECTOR);
        string("idGenerator.packer.name", "observation", "how visit and detector are packed into source IDs");
        integer("idGenerator.release_id", 0, "data release identifier folded into source IDs");
        input("catalog", "src", VISIT_DETECTOR, "SourceCatalog");
        output("outputCatalog", "source", VISIT_DETECTOR, "DataFrame");
    }
}
