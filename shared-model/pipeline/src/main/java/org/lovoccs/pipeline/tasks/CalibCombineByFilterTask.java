package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

/**
 * cp_pipe's {@code CalibCombineByFilterTask}: combines the ISR-processed flats of one detector and physical filter,
 * each scaled to unit level first, into a normalised master flat ({@code cpFlatCombine}).
 */
public final class CalibCombineByFilterTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public CalibCombineByFilterTask() {
        super("cpFlatCombine", "lsst.cp.pipe.cpCombine.CalibCombineByFilterTask", FILTER_DETECTOR);
        string("calibrationType", "flat", "the master calibration made");
        string("exposureScaling", "MeanStats", "scaling of each input before combining: Unity, ExposureTime, MeanStats");
        string("combine", "MEANCLIP", "per-pixel statistic: MEANCLIP (sigma-clipped mean), MEAN, MEDIAN");
        real("clip", 3.0, "clipping threshold, sigma");
        integer("nIter", 3, "clipping iterations");
        inputs("inputExpHandles", "cpFlatProc", EXPOSURE_DETECTOR, "Exposure");
        output("outputData", "flat", FILTER_DETECTOR, "ExposureF");
    }
}
