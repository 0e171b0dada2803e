package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

import java.util.List;

/** pipe_tasks' {@code CompareWarpAssembleCoaddTask}: stacks warps, masking transients found by comparing PSF-matched warps. */
public final class CompareWarpAssembleCoaddTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public CompareWarpAssembleCoaddTask() {
        super("assembleCoadd", "lsst.pipe.tasks.assembleCoadd.CompareWarpAssembleCoaddTask", PATCH_BAND);
        string("statistic", "MEAN", "stacking statistic");
        bool("doSigmaClip", false, "sigma-clip while stacking");
        bool("doNImage", true, "write the number-of-inputs image");
        bool("doInputMap", true, "write the input map");
        bool("doMaskBrightObjects", false, "mask bright-object regions");
        bool("doInterp", true, "interpolate over NaN pixels");
        real("maskPropagationThresholds.SAT", 0.1, "fraction of inputs that propagates a SAT mask");
        inputs("inputWarps", "deepCoadd_directWarp", PATCH_VISIT, "ExposureF");
        inputs("psfMatchedWarps", "deepCoadd_psfMatchedWarp", PATCH_VISIT, "ExposureF");
        prerequisite(null, "skyMap", "skyMap", List.of("skymap"), "SkyMap", false);
        output("coaddExposure", "deepCoadd", PATCH_BAND, "ExposureF");
        outputIf("doNImage", "nImage", "deepCoadd_nImage", PATCH_BAND, "ImageU", false);
    }
}
