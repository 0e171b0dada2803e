package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

/** pipe_tasks' {@code WriteRecalibratedSourceTableTask}: source tables re-evaluated with the final calibrations. */
public final class WriteRecalibratedSourceTableTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public WriteRecalibratedSourceTableTask() {
        super("writeRecalibratedSourceTable", "lsst.pipe.tasks.postprocess.WriteRecalibratedSourceTableTask",
                VISIT_DETECTOR);
        bool("doReevaluatePhotoCalib", true, "recompute calibrated fluxes with the final zero points");
        bool("doReevaluateSkyWcs", true, "recompute coordinates with the final WCS");
        input("inputCatalog", "src", VISIT_DETECTOR, "SourceCatalog");
        input("visitSummary", "finalVisitSummary", VISIT, "ExposureCatalog");
        output("outputCatalog", "source", VISIT_DETECTOR, "DataFrame");
    }
}
