package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

/** pipe_tasks' {@code MeasureMergedCoaddSourcesTask}: measures deblended sources on a band's coadd. */
public final class MeasureMergedCoaddSourcesTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public MeasureMergedCoaddSourcesTask() {
        super("measure", "lsst.pipe.tasks.multiBand.MeasureMergedCoaddSourcesTask", PATCH_BAND);
        string("inputCatalog", "deblendedFlux", "deblender output to measure");
        bool("doPropagateFlags", true, "propagate visit flags (PSF stars, ...) to the coadd");
        bool("doMatchSources", false, "match to a reference catalogue");
        bool("doRunCatalogCalculation", true, "run catalog calculation plugins");
        bool("doAddFootprints", true, "attach heavy footprints from the scarlet models");
        bool("measurement.doReplaceWithNoise", true, "replace neighbours with noise while measuring");
        input("exposure", "deepCoadd_calexp", PATCH_BAND, "ExposureF");
        input("inputCatalog", "deepCoadd_deblendedFlux", PATCH_BAND, "SourceCatalog");
        input("scarletModels", "deepCoadd_scarletModelData", PATCH, "ScarletModelData");
        inputIf("doPropagateFlags", "sourceTableHandles", "sourceTable_visit", VISIT, "DataFrame", true);
        inputIf("doPropagateFlags", "finalizedSourceTableHandles", "finalized_src_table", VISIT, "DataFrame", true);
        output("outputSources", "deepCoadd_meas", PATCH_BAND, "SourceCatalog");
    }
}
