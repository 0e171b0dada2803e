package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

/**
 * cp_pipe's {@code CalibCombineTask}: combines the ISR-processed calibration exposures of one detector into a master
 * calibration (the bias of {@code cpBiasCombine}).
 */
public final class CalibCombineTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public CalibCombineTask() {
        super("cpBiasCombine", "lsst.cp.pipe.cpCombine.CalibCombineTask", DETECTOR);
        string("calibrationType", "bias", "the master calibration made: bias, dark, flat");
        string("exposureScaling", "Unity", "scaling of each input before combining: Unity, ExposureTime, MeanStats");
        string("combine", "MEANCLIP", "per-pixel statistic: MEANCLIP (sigma-clipped mean), MEAN, MEDIAN");
        real("clip", 3.0, "clipping threshold, sigma");
        integer("nIter", 3, "clipping iterations");
        inputs("inputExpHandles", "cpBiasProc", EXPOSURE_DETECTOR, "Exposure");
        output("outputData", "bias", DETECTOR, "ExposureF");
    }
}
