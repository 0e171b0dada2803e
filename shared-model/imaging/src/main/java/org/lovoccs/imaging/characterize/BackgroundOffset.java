package org.lovoccs.imaging.characterize;

import java.util.Arrays;

import org.lovoccs.imaging.MaskedImage;

/**
 * The mean level left in a background-subtracted exposure outside the detected sources: a 3-sigma clipped mean about
 * the median over every pixel not in the ignored mask planes (LSST's MEANCLIP statistic).
 *
 * <p>Why it is needed: {@link BackgroundEstimator} takes SExtractor's mode estimate (2.5 median - 1.5 mean) per mesh,
 * which is what detection wants (robust to the faint wings of sources) but is biased on a skewed sky: on a Poisson
 * sky of 1,000 e- with 7 e- read noise the mode lies ~0.36 e- below the mean. Aperture fluxes carry that bias times
 * their area (0.36 e- x 452 px in a 12 px aperture, 1.6% of a 20th-magnitude star in 90 s). Calibration subtracts this
 * offset times the aperture's area from the fluxes it uses, which removes the bias on average over the CCD; the
 * remaining statistical error is the noise over millions of pixels (~0.02 e- on a full CCD).
 */
public final class BackgroundOffset {

    private BackgroundOffset() {
    }

    /**
     * @param exposure      a background-subtracted exposure (as {@link CharacterizeResult#exposure()})
     * @param ignoredPlanes mask bits whose pixels are left out (e.g. {@link BackgroundConfig#DEFAULT_IGNORED})
     * @return the clipped mean, image units per pixel; 0 when no pixel is usable
     */
    public static double measure(MaskedImage exposure, int ignoredPlanes) {
        float[] img = exposure.image().array();
        int[] mask = exposure.mask().array();
        float[] v = new float[img.length];
        // the usable pixels, and a histogram of their top 16 bits in float order for the median
        int[] histogram = new int[1 << 16];
        int n = 0;
        for (int i = 0; i < img.length; i++) {
            float f = img[i];
            if ((mask[i] & ignoredPlanes) == 0 && Float.isFinite(f)) {
                v[n++] = f;
                histogram[bucket(f)]++;
            }
        }
        if (n == 0) {
            return 0.0;
        }
        double centre = kthSmallest(v, n, n / 2, histogram);
        double mean = centre;
        double sigma = Double.POSITIVE_INFINITY;
        for (int pass = 0; pass < 10; pass++) {
            double lo = centre - 3 * sigma;
            double hi = centre + 3 * sigma;
            // two interleaved sums, so that the adds do not wait on each other's latency
            double s0 = 0;
            double s1 = 0;
            double ss0 = 0;
            double ss1 = 0;
            long k = 0;
            int i = 0;
            for (; i + 1 < n; i += 2) {
                double x0 = v[i];
                double x1 = v[i + 1];
                if (x0 >= lo && x0 <= hi) {
                    double d = x0 - centre;
                    s0 += d;
                    ss0 += d * d;
                    k++;
                }
                if (x1 >= lo && x1 <= hi) {
                    double d = x1 - centre;
                    s1 += d;
                    ss1 += d * d;
                    k++;
                }
            }
            if (i < n) {
                double x = v[i];
                if (x >= lo && x <= hi) {
                    double d = x - centre;
                    s0 += d;
                    ss0 += d * d;
                    k++;
                }
            }
            if (k == 0) {
                break;
            }
            double s = s0 + s1;
            double ss = ss0 + ss1;
            double newMean = centre + s / k;
            double newSigma = Math.sqrt(Math.max(0, ss / k - (s / k) * (s / k)));
            boolean converged = Math.abs(newSigma - sigma) < 1e-4 * newSigma;
            mean = newMean;
            sigma = newSigma;
            if (converged) {
                break;
            }
        }
        return mean;
    }

    /**
     * The histogram bucket of a finite float: the top 16 bits of its bits as an unsigned key in the float's order
     * (-0 just below +0), so that buckets are in the values' order.
     */
    static int bucket(float f) {
        int bits = Float.floatToRawIntBits(f);
        return (bits < 0 ? ~bits : bits | 0x80000000) >>> 16;
    }

    /**
     * The k-th smallest (0-based) of v[0, n), from the histogram of the values' top 16 key bits: the bucket holding
     * it is found by counting, its values are gathered and only they are selected among. v is left unchanged.
     */
    static float kthSmallest(float[] v, int n, int k, int[] histogram) {
        int below = 0;
        int holding = 0;
        while (below + histogram[holding] <= k) {
            below += histogram[holding++];
        }
        float[] inBucket = new float[histogram[holding]];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (bucket(v[i]) == holding) {
                inBucket[m++] = v[i];
            }
        }
        Arrays.sort(inBucket);
        return inBucket[k - below];
    }
}
