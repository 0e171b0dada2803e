package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

/** pipe_tasks' {@code TransformObjectCatalogTask}: applies the Object functors to a patch's deepCoadd_obj. */
public final class TransformObjectCatalogTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public TransformObjectCatalogTask() {
        super("transformObjectTable", "lsst.pipe.tasks.postprocess.TransformObjectCatalogTask", PATCH);
        string("functorFile", "$PIPE_TASKS_DIR/schemas/Object.yaml", "functor definitions of the output columns");
        string("outputBands", "u,g,r,i,z", "bands to output columns for");
        bool("camelCase", false, "camelCase column names");
        bool("multilevelOutput", false, "band as a column level");
        input("inputCatalog", "deepCoadd_obj", PATCH, "DataFrame");
        output("outputCatalog", "objectTable", PATCH, "DataFrame");
    }
}
