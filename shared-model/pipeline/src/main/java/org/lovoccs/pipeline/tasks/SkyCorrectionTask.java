package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

import java.util.List;

/** pipe_tasks' {@code SkyCorrectionTask}: full-focal-plane background model of a visit with the sky frame. */
public final class SkyCorrectionTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public SkyCorrectionTask() {
        super("skyCorr", "lsst.pipe.tasks.skyCorrection.SkyCorrectionTask", VISIT);
        bool("doSky", true, "subtract the scaled sky frame");
        bool("doBgModel1", true, "fit the first full-focal-plane background model");
        bool("doBgModel2", true, "fit the second, finer background model");
        integer("binning", 8, "binning of the focal-plane model");
        bool("undoBgModel", true, "remove the calexp background first");
        inputs("calExps", "calexp", VISIT_DETECTOR, "ExposureF");
        inputs("calBkgs", "calexpBackground", VISIT_DETECTOR, "Background");
        prerequisite("doSky", "skyFrames", "sky", FILTER_DETECTOR, "ExposureF", true);
        prerequisite(null, "camera", "camera", List.of("instrument"), "Camera", false);
        outputIf(null, "skyCorr", "skyCorr", VISIT_DETECTOR, "Background", true);
    }
}
