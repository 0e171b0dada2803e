package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

/**
 * cp_pipe's {@code BrighterFatterKernelSolveTask} ({@code cpBfkSolve}): the brighter-fatter kernel of one detector.
 * cp_pipe solves it from the detector's photon transfer curve; here it is measured directly from the covariances of
 * the detector's ISR-processed flat pairs (every cpFlatProc of the detector, all filters: consecutive flats of the
 * same filter and exposure time are paired), so no PTC step is needed.
 */
public final class BrighterFatterKernelSolveTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public BrighterFatterKernelSolveTask() {
        super("cpBfkSolve", "lsst.cp.pipe.BrighterFatterKernelSolveTask", DETECTOR);
        string("level", "DETECTOR", "the kernel's granularity: DETECTOR (one kernel per CCD) or AMP");
        bool("forceZeroSum", true, "make the cross-correlation sum to zero (X(0, 0) = -sum of the others)");
        integer("kernelRadius", 8, "the kernel's radius in pixels: it is (2 r + 1) x (2 r + 1)");
        real("clipSigma", 5.0, "pixels of a flat-pair difference beyond this many robust sigmas are left out");
        inputs("inputExpHandles", "cpFlatProc", EXPOSURE_DETECTOR, "Exposure");
        output("outputBFK", "bfk", DETECTOR, "BrighterFatterKernel");
    }
}
