package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

import java.util.List;

/** ip_isr's {@code IsrTask}: instrument signal removal of one raw CCD (labels isr and isrForCrosstalkSources). */
public final class IsrTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public IsrTask() {
        super("isr", "lsst.ip.isr.IsrTask", EXPOSURE_DETECTOR);
        bool("doOverscan", true, "subtract the overscan");
        string("overscan.fitType", "MEDIAN_PER_ROW", "overscan model: POLY, CHEB, LEG, NATURAL_SPLINE, MEAN, MEDIAN, MEDIAN_PER_ROW, or LoVoCCS's MEANCLIP_PER_ROW (a clipped mean per row, unbiased on integer ADU); the isr worker implements the two per-row ones");
        integer("overscan.order", 1, "order of a polynomial or spline overscan fit");
        real("overscan.numSigmaClip", 3.0, "rejection threshold (sigma) for the overscan fit");
        integer("overscan.leadingColumnsToSkip", 0, "overscan columns to skip at the start");
        integer("overscan.trailingColumnsToSkip", 0, "overscan columns to skip at the end");
        bool("doAssembleCcd", true, "assemble amplifiers into a CCD image");
        bool("doBias", true, "subtract the combined bias");
        bool("doDark", false, "subtract the scaled dark");
        bool("doFlat", true, "divide by the flat");
        bool("doFringe", true, "subtract the fringe pattern");
        integer("fringe.minExposures", 3, "LoVoCCS: a fringe frame combined from fewer exposures is not applied (from one exposure it holds that exposure's own noise and source wings, and subtracting it would subtract the image from itself)");
        bool("doCrosstalk", true, "correct crosstalk using the crosstalk sources");
        bool("doLinearize", true, "correct non-linearity");
        bool("doBrighterFatter", true, "correct the brighter-fatter effect");
        integer("brighterFatterMaxIter", 10, "iterations of the brighter-fatter correction");
        real("brighterFatterThreshold", 1000.0, "the brighter-fatter iterations stop when one changed the image by"
                + " less than this, summed over pixels (e-)");
        real("brighterFatterPixelTolerance", 0.1, "LoVoCCS: after the first brighter-fatter iteration, only the"
                + " changes of the image that can move some pixel's correction by more than this (e-) are convolved,"
                + " in 64-px tiles; 0 convolves the whole CCD every iteration, as LSST does");
        real("brighterFatterKernelTolerance", 1e-3, "LoVoCCS: the brighter-fatter kernel's separable terms are kept"
                + " until what is left holds less than this fraction of its power (each term is two passes over the"
                + " CCD per iteration; 1e-3 leaves ~3% of its rms, below a measured kernel's noise); 0 keeps them all");
        bool("doDefect", true, "mask the defects");
        bool("doSaturation", true, "mask saturated pixels");
        string("saturatedMaskName", "SAT", "mask plane of saturated pixels");
        integer("growSaturationFootprintSize", 1, "pixels to grow saturated footprints by");
        bool("doSaturationInterpolation", true, "interpolate over saturated pixels");
        bool("doInterpolate", true, "interpolate over masked pixels");
        bool("doCosmicRay", false, "LoVoCCS: find cosmic rays in the ISR and mask them CR (interpolated with doInterpolate); LSST finds them in characterizeImage's repair");
        bool("doVariance", true, "compute the variance plane");
        bool("doApplyGains", false, "apply gains per amplifier (when not assembling)");
        bool("doStrayLight", false, "subtract stray light");
        bool("doVignette", false, "mask the vignetted region");
        bool("doSetBadRegions", true, "set bad regions to the image median");
        bool("doWrite", true, "persist the output exposure");
        input("ccdExposure", "raw", EXPOSURE_DETECTOR, "Exposure");
        prerequisite(null, "camera", "camera", List.of("instrument"), "Camera", false);
        prerequisite("doBias", "bias", "bias", DETECTOR, "ExposureF", false);
        prerequisite("doDark", "dark", "dark", DETECTOR, "ExposureF", false);
        prerequisite("doFlat", "flat", "flat", FILTER_DETECTOR, "ExposureF", false);
        prerequisite("doFringe", "fringes", "fringe", FILTER_DETECTOR, "ExposureF", false);
        prerequisite("doCrosstalk", "crosstalk", "crosstalk", DETECTOR, "CrosstalkCalib", false);
        prerequisite("doCrosstalk", "crosstalkSources", "overscanRaw", EXPOSURE_DETECTOR, "Exposure", true);
        prerequisite("doLinearize", "linearizer", "linearizer", DETECTOR, "Linearizer", false);
        prerequisite("doBrighterFatter", "bfKernel", "bfk", DETECTOR, "NumpyArray", false);
        prerequisite("doDefect", "defects", "defects", DETECTOR, "Defects", false);
        outputIf("doWrite", "outputExposure", "postISRCCD", EXPOSURE_DETECTOR, "Exposure", false);
    }
}
