package org.lovoccs.imaging.characterize;

import org.lovoccs.imaging.ImageF;

/**
 * Lanczos-3 interpolation, {@code L(t) = sinc(t) sinc(t/3)} for |t| &lt; 3, with the six weights of each axis
 * normalised to unit sum so a constant is preserved (and Lanczos-a, {@code sinc(t) sinc(t/a)}, 2a weights, for the
 * PSF stars' recentring). Pixels off the image or non-finite count as 0.
 */
final class Lanczos {

    static final int A = 3;

    private Lanczos() {
    }

    static double kernel(double t) {
        if (t == 0) {
            return 1;
        }
        if (Math.abs(t) >= A) {
            return 0;
        }
        double pt = Math.PI * t;
        return A * Math.sin(pt) * Math.sin(pt / A) / (pt * pt);
    }

    /** The six normalised weights for pixels {@code floor(x) - 2 .. floor(x) + 3}. */
    static void weights(double x, double[] out) {
        double f = x - Math.floor(x);
        double s = 0;
        for (int k = 0; k < 2 * A; k++) {
            out[k] = kernel(f - (k - A + 1));
            s += out[k];
        }
        for (int k = 0; k < 2 * A; k++) {
            out[k] /= s;
        }
    }

    /** The image interpolated at (x, y). */
    static double at(ImageF image, double x, double y) {
        double[] wx = new double[2 * A];
        double[] wy = new double[2 * A];
        weights(x, wx);
        weights(y, wy);
        return at(image, (int) Math.floor(x), (int) Math.floor(y), wx, wy);
    }

    static double at(ImageF image, int ix, int iy, double[] wx, double[] wy) {
        int w = image.width();
        int h = image.height();
        float[] a = image.array();
        double s = 0;
        for (int j = 0; j < 2 * A; j++) {
            int y = iy + j - A + 1;
            if (y < 0 || y >= h || wy[j] == 0) {
                continue;
            }
            int row = image.index(0, y);
            double r = 0;
            for (int i = 0; i < 2 * A; i++) {
                int x = ix + i - A + 1;
                if (x < 0 || x >= w) {
                    continue;
                }
                float v = a[row + x];
                if (Float.isFinite(v)) {
                    r += wx[i] * v;
                }
            }
            s += wy[j] * r;
        }
        return s;
    }

    static double kernel(double t, int a) {
        if (t == 0) {
            return 1;
        }
        if (Math.abs(t) >= a) {
            return 0;
        }
        double pt = Math.PI * t;
        return a * Math.sin(pt) * Math.sin(pt / a) / (pt * pt);
    }

    /** The 2a normalised Lanczos-a weights for pixels {@code floor(x) - a + 1 .. floor(x) + a}. */
    static void weights(double x, int a, double[] out) {
        double f = x - Math.floor(x);
        double s = 0;
        for (int k = 0; k < 2 * a; k++) {
            out[k] = kernel(f - (k - a + 1), a);
            s += out[k];
        }
        for (int k = 0; k < 2 * a; k++) {
            out[k] /= s;
        }
    }

    static double at(ImageF image, int ix, int iy, double[] wx, double[] wy, int a) {
        int w = image.width();
        int h = image.height();
        float[] arr = image.array();
        double s = 0;
        for (int j = 0; j < 2 * a; j++) {
            int y = iy + j - a + 1;
            if (y < 0 || y >= h || wy[j] == 0) {
                continue;
            }
            int row = image.index(0, y);
            double r = 0;
            for (int i = 0; i < 2 * a; i++) {
                int x = ix + i - a + 1;
                if (x < 0 || x >= w) {
                    continue;
                }
                float v = arr[row + x];
                if (Float.isFinite(v)) {
                    r += wx[i] * v;
                }
            }
            s += wy[j] * r;
        }
        return s;
    }
}
