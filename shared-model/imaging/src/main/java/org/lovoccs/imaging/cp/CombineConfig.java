package org.lovoccs.imaging.cp;

import org.lovoccs.imaging.MaskPlane;

/**
 * How {@link ClippedCombiner} combines a stack of frames pixel by pixel.
 *
 * <p>Per pixel, the values of the frames that have none of {@code rejectedPlanes} set and are finite are divided by
 * their frame's scale; then, as LSST's MEANCLIP: the first pass clips about the median at {@code clipSigma} times
 * 0.7413 x the interquartile range, later passes about the mean at {@code clipSigma} times the sample standard
 * deviation of the values kept, until nothing changes or {@code maxIterations} passes are done. The result is the mean
 * of the values kept.
 *
 * @param clipSigma         clipping threshold, in standard deviations (> 0)
 * @param maxIterations     clipping passes (0: plain mean of the unmasked values)
 * @param minValues         fewest values kept for a result; below it the pixel is NaN with NO_DATA set (>= 1)
 * @param rejectedPlanes    {@link MaskPlane} bits whose pixels are left out of the stack
 * @param variance          how the variance of the result is estimated
 * @param maxFramesInMemory product builders combine more frames than this in groups of at most this many (clipping
 *                          within each group), then average the groups weighted by their counts; 0 = no limit
 */
public record CombineConfig(double clipSigma, int maxIterations, int minValues, int rejectedPlanes,
                            VarianceEstimate variance, int maxFramesInMemory) {

    /** The variance of a combined pixel. */
    public enum VarianceEstimate {
        /** Sample variance of the kept values / their number (needs two values; else NaN). */
        EMPIRICAL,
        /** Sum of the kept values' input variances / scale^2, over their number squared (NaN if any is unknown). */
        PROPAGATED
    }

    /** BAD, SAT, CR, NO_DATA. */
    public static final int DEFAULT_REJECTED = MaskPlane.BAD.bitmask() | MaskPlane.SAT.bitmask()
            | MaskPlane.CR.bitmask() | MaskPlane.NO_DATA.bitmask();

    public CombineConfig {
        if (!(clipSigma > 0)) {
            throw new IllegalArgumentException("clipSigma must be > 0: " + clipSigma);
        }
        if (maxIterations < 0 || minValues < 1 || maxFramesInMemory < 0) {
            throw new IllegalArgumentException("maxIterations >= 0, minValues >= 1, maxFramesInMemory >= 0 required");
        }
        if (variance == null) {
            throw new IllegalArgumentException("variance estimate is required");
        }
    }

    /** 3 sigma, 3 passes, at least 1 value, BAD/SAT/CR/NO_DATA rejected, empirical variance, 24 frames in memory. */
    public static CombineConfig defaults() {
        return new CombineConfig(3.0, 3, 1, DEFAULT_REJECTED, VarianceEstimate.EMPIRICAL, 24);
    }

    public CombineConfig withClipSigma(double sigma) {
        return new CombineConfig(sigma, maxIterations, minValues, rejectedPlanes, variance, maxFramesInMemory);
    }

    public CombineConfig withMaxIterations(int n) {
        return new CombineConfig(clipSigma, n, minValues, rejectedPlanes, variance, maxFramesInMemory);
    }

    public CombineConfig withMinValues(int n) {
        return new CombineConfig(clipSigma, maxIterations, n, rejectedPlanes, variance, maxFramesInMemory);
    }

    public CombineConfig withRejectedPlanes(int planes) {
        return new CombineConfig(clipSigma, maxIterations, minValues, planes, variance, maxFramesInMemory);
    }

    public CombineConfig withVariance(VarianceEstimate v) {
        return new CombineConfig(clipSigma, maxIterations, minValues, rejectedPlanes, v, maxFramesInMemory);
    }

    public CombineConfig withMaxFramesInMemory(int n) {
        return new CombineConfig(clipSigma, maxIterations, minValues, rejectedPlanes, variance, n);
    }
}
