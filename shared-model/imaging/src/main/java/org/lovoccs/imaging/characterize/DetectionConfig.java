package org.lovoccs.imaging.characterize;

/**
 * How sources are detected.
 *
 * @param thresholdValue  detection threshold in units of the noise (LSST {@code thresholdValue}, default 5)
 * @param thresholdType   which noise the threshold multiplies
 * @param minArea         minimum number of connected pixels above threshold (SExtractor DETECT_MINAREA)
 * @param kernel          the smoothing kernel, or null for a Gaussian of the PSF's sigma (a matched filter for
 *                        point sources)
 * @param nSigmaToGrow    the DETECTED mask plane is the footprints grown by this many PSF sigmas (LSST 2.4)
 * @param deblendPeaks    when true a footprint with several significant peaks gives one source per peak
 * @param peakContrast    a secondary peak is significant when it rises this many smoothed-noise sigmas above the
 *                        lowest point on the straight line to a brighter peak
 */
public record DetectionConfig(double thresholdValue, ThresholdType thresholdType, int minArea, SmoothingKernel kernel,
                              double nSigmaToGrow, boolean deblendPeaks, double peakContrast) {

    /** The noise that {@link #thresholdValue()} multiplies. */
    public enum ThresholdType {
        /**
         * The smoothed image's own noise, {@code rms * kernel.noiseFactor()}: the threshold is a significance of the
         * matched filter (LSST's default).
         */
        SMOOTHED_RMS,
        /** The background rms of a pixel (SExtractor's DETECT_THRESH in sigmas, applied to the filtered image). */
        PIXEL_RMS
    }

    public DetectionConfig {
        if (!(thresholdValue > 0)) {
            throw new IllegalArgumentException("thresholdValue must be > 0, got " + thresholdValue);
        }
        if (thresholdType == null) {
            throw new IllegalArgumentException("thresholdType is required");
        }
        if (minArea < 1) {
            throw new IllegalArgumentException("minArea must be >= 1 pixel, got " + minArea);
        }
        if (nSigmaToGrow < 0) {
            throw new IllegalArgumentException("nSigmaToGrow must be >= 0, got " + nSigmaToGrow);
        }
    }

    /** 5 sigma of the PSF-smoothed image, 5 pixels, grown by 2.4 sigma, peaks deblended at 3 sigma contrast. */
    public static DetectionConfig defaults() {
        return new DetectionConfig(5.0, ThresholdType.SMOOTHED_RMS, 5, null, 2.4, true, 1.0);
    }

    /** SExtractor's: threshold in pixel sigmas on the image filtered with {@code kernel}, no deblending. */
    public static DetectionConfig sextractor(double detectThresh, int minArea, SmoothingKernel kernel) {
        return new DetectionConfig(detectThresh, ThresholdType.PIXEL_RMS, minArea, kernel, 0.0, false, 3.0);
    }

    public DetectionConfig withThreshold(double value) {
        return new DetectionConfig(value, thresholdType, minArea, kernel, nSigmaToGrow, deblendPeaks, peakContrast);
    }
}
