package org.lovoccs.imaging.isr;

import org.lovoccs.imaging.MaskPlane;
import org.lovoccs.imaging.MaskedImage;

import java.util.Arrays;

/**
 * Replaces masked pixels by linear interpolation between the nearest good pixels on each side (the mean of up to two
 * good pixels on each side, to damp their noise).
 * <ul>
 *   <li>{@link #alongRows}: along the pixel's row; with good pixels on one side only, their mean. Rows suit DECam's
 *       defects (bad columns) and bleed trails (along columns): the row crosses them.</li>
 *   <li>{@link #acrossShortestGap}: along whichever of the row, the column and the two diagonals crosses the fewest
 *       masked pixels, for cosmic rays, whose tracks run at any angle: a track along a row would otherwise be bridged
 *       over its whole length, and over a star that takes the star's light away (or adds to it).</li>
 * </ul>
 * Interpolated pixels get INTRP and the interpolated variance of the pixels used; a pixel with no good pixel to
 * interpolate from is left as it is.
 */
public final class Interpolation {

    private static final int SIDE = 2;

    private Interpolation() {
    }

    /** @return the number of pixels interpolated */
    public static int alongRows(MaskedImage e, int planes) {
        return alongRows(e.image().array(), e.variance().array(), e.mask().array(), e.width(), e.height(), planes,
                true, 0);
    }

    /**
     * As {@link #alongRows(MaskedImage, int)}, leaving out the pixels that already carry INTRP (interpolated by
     * {@link #acrossShortestGap} before); they are not used as good pixels either, as they hold one of
     * {@code planes}.
     */
    public static int alongRowsExceptInterpolated(MaskedImage e, int planes) {
        return alongRows(e.image().array(), e.variance().array(), e.mask().array(), e.width(), e.height(), planes,
                true, MaskPlane.INTRP.bitmask());
    }

    /** The four directions tried by {@link #acrossShortestGap}: row, column, the two diagonals. */
    private static final int[][] DIRECTIONS = {{1, 0}, {0, 1}, {1, 1}, {1, -1}};

    /** How far, in steps, a gap is searched for good pixels on each side. */
    private static final int REACH = 32;

    /**
     * Interpolates each pixel holding one of {@code planes} along the direction (row, column or diagonal) in which
     * the nearest good pixels on its two sides are closest together: good pixels have none of {@code avoid} nor
     * NO_DATA and are finite. Ties go to the row, then the column. Where that direction crosses at most two masked
     * pixels and has two good pixels on each side, the value is the least-squares parabola through those four at
     * the pixel: a star's core is curved, and a straight line under-fills it (by 29% of a 1.8-px-sigma star's peak
     * from the means of two pixels each side; 4% with the parabola). Its noise is about a pixel's (0.94 of the
     * neighbours' variance on a flat sky). Over longer gaps it is the straight line between the means of up to two
     * good pixels on each side, as {@link #alongRows}. Every value is computed from the image as it was (the order
     * of the pixels does not matter). A pixel with good pixels on both sides in no direction (within 32 steps) is
     * left as it is, without INTRP, for {@link #alongRows} to handle.
     *
     * @param avoid the planes whose pixels are not used, {@code planes} among them
     * @return the number of pixels interpolated
     */
    public static int acrossShortestGap(MaskedImage e, int planes, int avoid) {
        int w = e.width();
        int h = e.height();
        float[] img = e.image().array();
        float[] var = e.variance().array();
        int[] mask = e.mask().array();
        int noData = MaskPlane.NO_DATA.bitmask();
        int bad = avoid | planes | noData;
        int intrp = MaskPlane.INTRP.bitmask();
        int n = 0;
        int[] index = new int[64];
        float[] value = new float[64];
        float[] variance = new float[64];
        double[] lo = new double[SAMPLES];
        double[] hi = new double[SAMPLES];
        double[] bestLo = new double[SAMPLES];
        double[] bestHi = new double[SAMPLES];
        double[] estimate = new double[2];
        for (int k = 0; k < w * h; k++) {
            if ((mask[k] & planes) == 0 || (mask[k] & noData) != 0) {
                continue;
            }
            int x = k % w;
            int y = k / w;
            double best = Double.POSITIVE_INFINITY;
            for (int[] d : DIRECTIONS) {
                if (!sideAlong(img, var, mask, w, h, x, y, -d[0], -d[1], bad, lo)
                        || !sideAlong(img, var, mask, w, h, x, y, d[0], d[1], bad, hi)) {
                    continue;
                }
                // the distance between the nearest good pixels on the two sides
                double span = (lo[1] + hi[1]) * Math.hypot(d[0], d[1]);
                if (span < best) {
                    best = span;
                    System.arraycopy(lo, 0, bestLo, 0, SAMPLES);
                    System.arraycopy(hi, 0, bestHi, 0, SAMPLES);
                }
            }
            if (best == Double.POSITIVE_INFINITY) {
                continue;
            }
            if (bestLo[0] == 2 && bestHi[0] == 2 && bestLo[1] + bestHi[1] <= 3) {
                parabolaAtZero(bestLo, bestHi, estimate);
            } else {
                lineAtZero(bestLo, bestHi, estimate);
            }
            if (n == index.length) {
                index = Arrays.copyOf(index, 2 * n);
                value = Arrays.copyOf(value, 2 * n);
                variance = Arrays.copyOf(variance, 2 * n);
            }
            index[n] = k;
            value[n] = (float) estimate[0];
            variance[n] = (float) estimate[1];
            n++;
        }
        for (int i = 0; i < n; i++) {
            img[index[i]] = value[i];
            var[index[i]] = variance[i];
            mask[index[i]] |= intrp;
        }
        return n;
    }

    /** A side's samples: {count, step 1, value 1, variance 1, step 2, value 2, variance 2}. */
    private static final int SAMPLES = 7;

    /**
     * Up to two good pixels stepping (dx, dy) from (x, y), within {@link #REACH} steps, into out (see
     * {@link #SAMPLES}); false when there is none.
     */
    private static boolean sideAlong(float[] img, float[] var, int[] mask, int w, int h, int x, int y, int dx,
                                     int dy, int bad, double[] out) {
        int n = 0;
        for (int step = 1; step <= REACH && n < SIDE; step++) {
            int px = x + step * dx;
            int py = y + step * dy;
            if (px < 0 || py < 0 || px >= w || py >= h) {
                break;
            }
            int k = py * w + px;
            if ((mask[k] & bad) == 0 && Float.isFinite(img[k])) {
                out[1 + 3 * n] = step;
                out[2 + 3 * n] = img[k];
                out[3 + 3 * n] = var[k];
                n++;
            }
        }
        out[0] = n;
        return n > 0;
    }

    /** The straight line between the two sides' means at 0 (lo's steps count backwards): {value, variance}. */
    static void lineAtZero(double[] lo, double[] hi, double[] out) {
        double[] l = mean(lo);
        double[] r = mean(hi);
        double f = l[2] / (l[2] + r[2]);
        out[0] = l[0] + f * (r[0] - l[0]);
        out[1] = (1 - f) * (1 - f) * l[1] + f * f * r[1];
    }

    /** {mean value, variance of the mean, mean step} of a side's samples. */
    private static double[] mean(double[] side) {
        int n = (int) side[0];
        double s = 0;
        double sv = 0;
        double sd = 0;
        for (int i = 0; i < n; i++) {
            sd += side[1 + 3 * i];
            s += side[2 + 3 * i];
            sv += side[3 + 3 * i];
        }
        return new double[] {s / n, sv / (n * (double) n), sd / n};
    }

    /**
     * The least-squares parabola through the four samples (two each side; lo's at minus their steps) at 0:
     * {value, variance} with the samples' variances.
     */
    static void parabolaAtZero(double[] lo, double[] hi, double[] out) {
        double[] t = {-lo[4], -lo[1], hi[1], hi[4]};
        double[] v = {lo[5], lo[2], hi[2], hi[5]};
        double[] vv = {lo[6], lo[3], hi[3], hi[6]};
        // normal equations of a + b t + c t^2: M = sum of (1, t, t^2)(1, t, t^2)^T; the value at 0 is a, i.e. the
        // first row of M^-1 applied to sum (1, t, t^2) v
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        double s4 = 0;
        for (double ti : t) {
            s1 += ti;
            s2 += ti * ti;
            s3 += ti * ti * ti;
            s4 += ti * ti * ti * ti;
        }
        double s0 = t.length;
        // the first row of the inverse of [[s0, s1, s2], [s1, s2, s3], [s2, s3, s4]] by cofactors
        double c00 = s2 * s4 - s3 * s3;
        double c01 = -(s1 * s4 - s3 * s2);
        double c02 = s1 * s3 - s2 * s2;
        double det = s0 * c00 + s1 * c01 + s2 * c02;
        double value = 0;
        double variance = 0;
        for (int i = 0; i < 4; i++) {
            double wi = (c00 + c01 * t[i] + c02 * t[i] * t[i]) / det;
            value += wi * v[i];
            variance += wi * wi * vv[i];
        }
        out[0] = value;
        out[1] = variance;
    }

    /**
     * The image values {@link #alongRows(MaskedImage, int)} would give, in {@code img} only: no variance, the mask
     * left as it is (INTRP does not enter the interpolation).
     */
    static int imageAlongRows(float[] img, int[] mask, int w, int h, int planes) {
        return alongRows(img, null, mask, w, h, planes, false, 0);
    }

    /** done: pixels holding any of these bits are not interpolated again. */
    private static int alongRows(float[] img, float[] var, int[] mask, int w, int h, int planes, boolean mark,
                                 int done) {
        int intrp = MaskPlane.INTRP.bitmask();
        int avoid = planes | MaskPlane.NO_DATA.bitmask();
        int count = 0;
        for (int y = 0; y < h; y++) {
            int row = y * w;
            int x = 0;
            while (x < w) {
                if ((mask[row + x] & planes) == 0 || (mask[row + x] & (MaskPlane.NO_DATA.bitmask() | done)) != 0) {
                    x++;
                    continue;
                }
                int start = x;
                while (x < w && (mask[row + x] & planes) != 0 && (mask[row + x] & done) == 0) {
                    x++;
                }
                int end = x - 1;
                double[] left = side(img, var, mask, row, start - 1, -1, avoid);
                double[] right = side(img, var, mask, row, end + 1, w, avoid);
                if (left == null && right == null) {
                    continue;
                }
                for (int k = start; k <= end; k++) {
                    double v;
                    double vv;
                    if (left == null) {
                        v = right[0];
                        vv = right[1];
                    } else if (right == null) {
                        v = left[0];
                        vv = left[1];
                    } else {
                        double f = (k - left[2]) / (right[2] - left[2]);
                        v = left[0] + f * (right[0] - left[0]);
                        vv = (1 - f) * (1 - f) * left[1] + f * f * right[1];
                    }
                    img[row + k] = (float) v;
                    if (var != null) {
                        var[row + k] = (float) vv;
                    }
                    if (mark) {
                        mask[row + k] |= intrp;
                    }
                    count++;
                }
            }
        }
        return count;
    }

    /** {mean value, variance of the mean, mean position} of up to SIDE good pixels from x0 stepping toward limit. */
    private static double[] side(float[] img, float[] var, int[] mask, int row, int x0, int limit, int avoid) {
        int step = limit < x0 ? -1 : 1;
        double s = 0;
        double sv = 0;
        double sx = 0;
        int n = 0;
        for (int x = x0; x != limit && n < SIDE && Math.abs(x - x0) < 64; x += step) {
            if ((mask[row + x] & avoid) == 0 && Float.isFinite(img[row + x])) {
                s += img[row + x];
                sv += var == null ? 0 : var[row + x];
                sx += x;
                n++;
            }
        }
        return n == 0 ? null : new double[] {s / n, sv / (n * (double) n), sx / n};
    }
}
