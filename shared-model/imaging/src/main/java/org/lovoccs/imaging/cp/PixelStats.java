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
        Arrays.parallelSort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : 0.5 * ((double) v[n / 2 - 1] + v[n / 2]);
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
