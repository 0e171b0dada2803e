package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

import java.util.List;

/** pipe_tasks' {@code MakeWarpTask}: warps a visit's calexps onto a patch (direct and PSF-matched). */
public final class MakeWarpTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public MakeWarpTask() {
        super("makeWarp", "lsst.pipe.tasks.makeWarp.MakeWarpTask", PATCH_VISIT);
        bool("makeDirect", true, "write the direct warp");
        bool("makePsfMatched", true, "write the PSF-matched warp");
        bool("doApplySkyCorr", false, "apply the skyCorr background before warping");
        bool("useVisitSummaryPsf", true, "take the PSF and aperture corrections from the visit summary");
        string("warpAndPsfMatch.warp.warpingKernelName", "lanczos3", "warping kernel");
        real("modelPsf.defaultFwhm", 7.7, "FWHM (pixels) of the PSF-matching model");
        string("coaddName", "deep", "coadd name prefix");
        bool("doWriteEmptyWarps", false, "write warps with no good pixels");
        inputs("calExpList", "calexp", VISIT_DETECTOR, "ExposureF");
        inputs("backgroundList", "calexpBackground", VISIT_DETECTOR, "Background");
        inputIf("doApplySkyCorr", "skyCorrList", "skyCorr", VISIT_DETECTOR, "Background", true);
        input("visitSummary", "finalVisitSummary", VISIT, "ExposureCatalog");
        prerequisite(null, "skyMap", "skyMap", List.of("skymap"), "SkyMap", false);
        outputIf("makeDirect", "direct", "deepCoadd_directWarp", PATCH_VISIT, "ExposureF", false);
        outputIf("makePsfMatched", "psfMatched", "deepCoadd_psfMatchedWarp", PATCH_VISIT, "ExposureF", false);
    }
}
