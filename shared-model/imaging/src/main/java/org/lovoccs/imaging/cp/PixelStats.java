package org.lovoccs.imaging.cp;

import java.util.Arrays;

import org.lovoccs.imaging.MaskedImage;

/** Whole-image statistics of the unmasked, finite pixels that the product builders normalise by. */
public final class PixelStats {

    private PixelStats() {
    }

    /**
     * The median of the finite pixels with none of {@code rejectedPlanes} set (the mean of the two middle values for
     * an even count); NaN if there is none.
     */
    public static double median(MaskedImage mi, int rejectedPlanes) {
        float[] v = values(mi, rejectedPlanes);
        if (v.length == 0) {
            return Double.NaN;
        }
        int n = v.length;
        float hi = select(v, 0, n - 1, n / 2);
        if (n % 2 == 1) {
            return hi;
        }
        // after selecting n/2, every element below it is in [0, n/2): the lower middle is their maximum
        float lo = v[0];
        for (int i = 1; i < n / 2; i++) {
            lo = Math.max(lo, v[i]);
        }
        return 0.5 * ((double) lo + hi);
    }

    /** Hoare's selection (median-of-three pivots): the k-th smallest of a[l..r], partially reordering a. */
    public static float select(float[] a, int l, int r, int k) {
        while (r > l) {
            int m = (l + r) >>> 1;
            if (a[m] < a[l]) {
                swap(a, m, l);
            }
            if (a[r] < a[l]) {
                swap(a, r, l);
            }
            if (a[r] < a[m]) {
                swap(a, r, m);
            }
            float pivot = a[m];
            int i = l;
            int j = r;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    swap(a, i, j);
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                r = j;
            } else if (k >= i) {
                l = i;
            } else {
                return a[k];
            }
        }
        return a[k];
    }

    private static void swap(float[] a, int i, int j) {
        float t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    /** The rms about the mean of the selected pixels (population), and their mean: {mean, rms, count}. */
    public static double[] meanRms(MaskedImage mi, int rejectedPlanes) {
        float[] v = values(mi, rejectedPlanes);
        double s = 0;
        for (float f : v) {
            s += f;
        }
        double mean = s / v.length;
        double ss = 0;
        for (float f : v) {
            ss += (f - mean) * (f - mean);
        }
        return new double[] {mean, Math.sqrt(ss / v.length), v.length};
    }

    static float[] values(MaskedImage mi, int rejectedPlanes) {
        int w = mi.width();
        int h = mi.height();
        float[] out = new float[w * h];
        int n = 0;
        int[] m = mi.mask().array();
        float[] a = mi.image().array();
        for (int y = 0; y < h; y++) {
            int base = mi.image().index(0, y);
            for (int x = 0; x < w; x++) {
                float f = a[base + x];
                if ((m[y * w + x] & rejectedPlanes) == 0 && Float.isFinite(f)) {
                    out[n++] = f;
                }
            }
        }
        return Arrays.copyOf(out, n);
    }
}
