package org.lovoccs.imaging.isr;

import org.lovoccs.imaging.MaskPlane;
import org.lovoccs.imaging.MaskedImage;

/**
 * Replaces masked pixels by linear interpolation along their row between the nearest good pixels on each side (the
 * mean of up to two good pixels on each side, to damp their noise); with good pixels on one side only, their mean.
 * Rows suit DECam's defects (bad columns) and bleed trails (along columns). Interpolated pixels get INTRP and the
 * interpolated variance of the pixels used; a row with no good pixel is left as it is.
 */
public final class Interpolation {

    private static final int SIDE = 2;

    private Interpolation() {
    }

    /** @return the number of pixels interpolated */
    public static int alongRows(MaskedImage e, int planes) {
        return alongRows(e.image().array(), e.variance().array(), e.mask().array(), e.width(), e.height(), planes,
                true);
    }

    /**
     * The image values {@link #alongRows(MaskedImage, int)} would give, in {@code img} only: no variance, the mask
     * left as it is (INTRP does not enter the interpolation).
     */
    static int imageAlongRows(float[] img, int[] mask, int w, int h, int planes) {
        return alongRows(img, null, mask, w, h, planes, false);
    }

    private static int alongRows(float[] img, float[] var, int[] mask, int w, int h, int planes, boolean mark) {
        int intrp = MaskPlane.INTRP.bitmask();
        int avoid = planes | MaskPlane.NO_DATA.bitmask();
        int count = 0;
        for (int y = 0; y < h; y++) {
            int row = y * w;
            int x = 0;
            while (x < w) {
                if ((mask[row + x] & planes) == 0 || (mask[row + x] & MaskPlane.NO_DATA.bitmask()) != 0) {
                    x++;
                    continue;
                }
                int start = x;
                while (x < w && (mask[row + x] & planes) != 0) {
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
