package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

/** pipe_tasks' {@code DetectCoaddSourcesTask}: background subtraction and detection on a coadd. */
public final class DetectCoaddSourcesTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public DetectCoaddSourcesTask() {
        super("detection", "lsst.pipe.tasks.multiBand.DetectCoaddSourcesTask", PATCH_BAND);
        bool("doScaleVariance", true, "rescale the variance plane to match the image noise");
        real("detection.thresholdValue", 5.0, "detection threshold");
        string("detection.thresholdType", "pixel_stdev", "detection threshold type");
        bool("detection.reEstimateBackground", true, "re-estimate the background after detection");
        input("exposure", "deepCoadd", PATCH_BAND, "ExposureF");
        output("outputSources", "deepCoadd_det", PATCH_BAND, "SourceCatalog");
        output("outputExposure", "deepCoadd_calexp", PATCH_BAND, "ExposureF");
        output("outputBackgrounds", "deepCoadd_calexp_background", PATCH_BAND, "Background");
    }
}
