package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

/** pipe_tasks' {@code DeblendCoaddSourcesMultiTask}: multi-band scarlet-lite deblending of a patch. */
public final class DeblendCoaddSourcesMultiTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public DeblendCoaddSourcesMultiTask() {
        super("deblend", "lsst.pipe.tasks.deblendCoaddSourcesPipeline.DeblendCoaddSourcesMultiTask", PATCH);
        integer("multibandDeblend.maxIter", 300, "maximum scarlet iterations");
        real("multibandDeblend.relativeError", 1e-4, "convergence criterion");
        integer("multibandDeblend.maxNumberOfPeaks", 600, "blends with more peaks are skipped");
        bool("multibandDeblend.processSingles", true, "model isolated sources too");
        input("peaks", "deepCoadd_mergeDet", PATCH, "SourceCatalog");
        inputs("coadds", "deepCoadd_calexp", PATCH_BAND, "ExposureF");
        output("deblendedFlux", "deepCoadd_deblendedFlux", PATCH_BAND, "SourceCatalog");
        output("scarletModelData", "deepCoadd_scarletModelData", PATCH, "ScarletModelData");
    }
}
