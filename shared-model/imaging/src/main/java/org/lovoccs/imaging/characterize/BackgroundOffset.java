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
        // the usable pixels' histogram of their top 16 bits in float order (buckets are in the values' order)
        int[] histogram = new int[BUCKETS];
        int n = 0;
        for (int i = 0; i < img.length; i++) {
            float f = img[i];
            if ((mask[i] & ignoredPlanes) == 0 && Float.isFinite(f)) {
                histogram[bucket(f)]++;
                n++;
            }
        }
        if (n == 0) {
            return 0.0;
        }
        // the values sorted by bucket (a counting sort), so that each bucket's values lie together
        int[] start = bucketStarts(histogram);
        int[] next = Arrays.copyOf(start, BUCKETS);
        float[] v = new float[n];
        for (int i = 0; i < img.length; i++) {
            float f = img[i];
            if ((mask[i] & ignoredPlanes) == 0 && Float.isFinite(f)) {
                v[next[bucket(f)]++] = f;
            }
        }
        double centre = kthSmallestInBuckets(v, start, n / 2);
        // each bucket's count and sums about the centre: a clipping pass adds up the buckets wholly inside its
        // interval and goes through the values of the two it cuts
        double[] s1 = new double[BUCKETS];
        double[] s2 = new double[BUCKETS];
        for (int b = 0; b < BUCKETS; b++) {
            double a1 = 0;
            double a2 = 0;
            for (int i = start[b]; i < start[b + 1]; i++) {
                double d = v[i] - centre;
                a1 += d;
                a2 += d * d;
            }
            s1[b] = a1;
            s2[b] = a2;
        }
        double mean = centre;
        double sigma = Double.POSITIVE_INFINITY;
        for (int pass = 0; pass < 10; pass++) {
            double lo = centre - 3 * sigma;
            double hi = centre + 3 * sigma;
            // the buckets of the interval's ends (every value in a bucket between them is inside it)
            int bl = lo < -Float.MAX_VALUE ? 0 : bucket((float) Math.max(lo, -Float.MAX_VALUE));
            int bh = hi > Float.MAX_VALUE ? BUCKETS - 1 : bucket((float) Math.min(hi, Float.MAX_VALUE));
            double s = 0;
            double ss = 0;
            long k = 0;
            for (int b = bl + 1; b < bh; b++) {
                s += s1[b];
                ss += s2[b];
                k += histogram[b];
            }
            // the values of the end buckets and of the ones beside them (-0 and +0, equal, are in two buckets) are
            // compared one by one
            int[][] edges = {{Math.max(0, bl - 1), bl}, {Math.max(bh, bl + 1), Math.min(BUCKETS - 1, bh + 1)}};
            for (int[] edge : edges) {
                for (int i = start[edge[0]]; i < start[edge[1] + 1]; i++) {
                    double x = v[i];
                    if (x >= lo && x <= hi) {
                        double d = x - centre;
                        s += d;
                        ss += d * d;
                        k++;
                    }
                }
            }
            if (k == 0) {
                break;
            }
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

    /** Where each bucket's values start when sorted by bucket: the histogram's running sum, one entry longer. */
    static int[] bucketStarts(int[] histogram) {
        int[] start = new int[histogram.length + 1];
        for (int b = 0; b < histogram.length; b++) {
            start[b + 1] = start[b] + histogram[b];
        }
        return start;
    }

    /** Histogram buckets: the top 16 bits of a float's order key. */
    static final int BUCKETS = 1 << 16;

    /**
     * The k-th smallest (0-based) of values sorted by bucket ({@code start[b]} to {@code start[b + 1]} hold bucket
     * b's): the bucket holding it is found from the counts and only its values are sorted (in place).
     */
    static float kthSmallestInBuckets(float[] v, int[] start, int k) {
        int b = 0;
        while (start[b + 1] <= k) {
            b++;
        }
        Arrays.sort(v, start[b], start[b + 1]);
        return v[k];
    }

    /**
     * The histogram bucket of a finite float: the top 16 bits of its bits as an unsigned key in the float's order
     * (-0 just below +0), so that buckets are in the values' order.
     */
    static int bucket(float f) {
        int bits = Float.floatToRawIntBits(f);
        return (bits < 0 ? ~bits : bits | 0x80000000) >>> 16;
    }
}
