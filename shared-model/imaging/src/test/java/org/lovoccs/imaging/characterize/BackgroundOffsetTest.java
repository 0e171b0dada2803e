package org.lovoccs.imaging.characterize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.MaskPlane;
import org.lovoccs.imaging.MaskedImage;

/** The clipped mean of a background-subtracted exposure, against the textbook MEANCLIP on the sorted pixels. */
class BackgroundOffsetTest {

    /** MEANCLIP as written down: median of the sorted usable pixels, then 3-sigma clipping about it, 10 passes. */
    private static double reference(MaskedImage e, int ignored) {
        float[] img = e.image().array();
        int[] mask = e.mask().array();
        double[] v = new double[img.length];
        int n = 0;
        for (int i = 0; i < img.length; i++) {
            if ((mask[i] & ignored) == 0 && Float.isFinite(img[i])) {
                v[n++] = img[i];
            }
        }
        v = Arrays.copyOf(v, n);
        Arrays.sort(v);
        double centre = v[n / 2];
        double mean = centre;
        double sigma = Double.POSITIVE_INFINITY;
        for (int pass = 0; pass < 10; pass++) {
            double s = 0;
            double ss = 0;
            long k = 0;
            for (double x : v) {
                if (x >= centre - 3 * sigma && x <= centre + 3 * sigma) {
                    s += x - centre;
                    ss += (x - centre) * (x - centre);
                    k++;
                }
            }
            double newSigma = Math.sqrt(Math.max(0, ss / k - (s / k) * (s / k)));
            mean = centre + s / k;
            boolean converged = Math.abs(newSigma - sigma) < 1e-4 * newSigma;
            sigma = newSigma;
            if (converged) {
                break;
            }
        }
        return mean;
    }

    @Test
    void aSkewedSkyWithSourcesMaskedPixelsAndNaNsGivesMeanclip() {
        int w = 1000;
        int h = 801; // an odd count of usable pixels is not assumed
        MaskedImage e = MaskedImage.allocate(w, h);
        SplittableRandom rng = new SplittableRandom(7);
        float[] a = e.image().array();
        // a Poisson sky of 1,000 e- with 7 e- read noise, less its mode estimate: the mean left is ~+0.36 e-
        for (int i = 0; i < a.length; i++) {
            double sky = 1000 + Math.sqrt(1000) * rng.nextGaussian() + 7 * rng.nextGaussian();
            // the Poisson skew, to first order: (z^2 - 1) / 6 / sqrt(lambda) sigma
            double z = (sky - 1000) / Math.sqrt(1049);
            a[i] = (float) (sky + (z * z - 1) / 6.0 - 1000 + 0.36);
        }
        int ignored = MaskPlane.BAD.bitmask() | MaskPlane.DETECTED.bitmask();
        for (int k = 0; k < 3000; k++) {
            int x = rng.nextInt(w);
            int y = rng.nextInt(h);
            float star = (float) (5e4 * rng.nextDouble());
            for (int dy = -3; dy <= 3; dy++) {
                for (int dx = -3; dx <= 3; dx++) {
                    int xx = Math.floorMod(x + dx, w);
                    int yy = Math.floorMod(y + dy, h);
                    a[yy * w + xx] += star * (float) Math.exp(-(dx * dx + dy * dy) / 4.0);
                    if (k % 2 == 0) {
                        e.mask().set(xx, yy, MaskPlane.DETECTED);
                    }
                }
            }
        }
        for (int k = 0; k < 5000; k++) {
            a[rng.nextInt(a.length)] = Float.NaN;
            e.mask().set(rng.nextInt(w), rng.nextInt(h), MaskPlane.BAD);
            a[rng.nextInt(a.length)] = -0.0f;
        }
        double expected = reference(e, ignored);
        double got = BackgroundOffset.measure(e, ignored);
        assertEquals(expected, got, 1e-9, "clipped mean");
        // the half of the stars left unmasked push it up, but the clipping keeps it near the sky's +0.36 e-
        assertTrue(Math.abs(got - 0.36) < 0.2, "offset " + got);
        assertEquals(reference(e, 0), BackgroundOffset.measure(e, 0), 1e-9, "nothing ignored");
    }

    @Test
    void theKthSmallestIsTheSortedArraysWhateverTheValues() {
        SplittableRandom rng = new SplittableRandom(11);
        float[][] cases = {
            {3f},
            {2f, 2f, 2f, 2f},
            {-0.0f, 0.0f, -0.0f, 1e-30f, -1e-30f},
            {Float.MAX_VALUE, -Float.MAX_VALUE, 0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1f, -1f},
            randomFloats(rng, 20001),
        };
        for (float[] c : cases) {
            float[] sorted = c.clone();
            Arrays.sort(sorted);
            for (int k : new int[] {0, c.length / 2, c.length - 1}) {
                int[] histogram = new int[BackgroundOffset.BUCKETS];
                for (float f : c) {
                    histogram[BackgroundOffset.bucket(f)]++;
                }
                // sorted by bucket as measure() sorts them: each bucket's values together, buckets in order
                int[] start = BackgroundOffset.bucketStarts(histogram);
                int[] next = Arrays.copyOf(start, BackgroundOffset.BUCKETS);
                float[] byBucket = new float[c.length];
                for (float f : c) {
                    byBucket[next[BackgroundOffset.bucket(f)]++] = f;
                }
                for (int b = 0; b + 1 < start.length; b++) {
                    for (int i = start[b]; i < start[b + 1]; i++) {
                        assertEquals(b, BackgroundOffset.bucket(byBucket[i]), "bucket order");
                    }
                }
                float got = BackgroundOffset.kthSmallestInBuckets(byBucket, start, k);
                assertEquals(sorted[k], got, 0.0f, "k " + k + " of " + Arrays.toString(Arrays.copyOf(c, 8)));
            }
        }
    }

    @Test
    void clippingIntervalsThatEndOnZeroOrCoverOneValueGiveMeanclip() {
        // a constant image (sigma 0: the interval is the one value), signed zeros about a zero median (the interval's
        // ends fall on +-0, which are equal but in two buckets), and values across the whole float range
        float[][] images = {
            {5f, 5f, 5f, 5f, 5f, 5f},
            {-0.0f, 0.0f, -0.0f, 0.0f, 0.0f, 1f, -1f, 2f, -2f, 0.5f, -0.5f},
            {Float.MAX_VALUE, -Float.MAX_VALUE, 0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1f, -1f, 3e20f, -3e20f, 7f},
            randomFloats(new SplittableRandom(5), 30001),
        };
        for (float[] values : images) {
            MaskedImage e = MaskedImage.allocate(values.length, 1);
            System.arraycopy(values, 0, e.image().array(), 0, values.length);
            double expected = reference(e, 0);
            double got = BackgroundOffset.measure(e, 0);
            assertEquals(expected, got, 1e-9 * Math.max(1, Math.abs(expected)), Arrays.toString(Arrays.copyOf(values,
                    8)));
        }
    }

    private static float[] randomFloats(SplittableRandom rng, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) ((rng.nextDouble() - 0.5) * 100);
        }
        return f;
    }
}
