package org.lovoccs.imaging.characterize;

import org.lovoccs.imaging.ImageF;

/**
 * A PSF that varies over the CCD as a polynomial in (x, y) of each pixel of a kernel (PSFEx's pixel basis with
 * PSFVAR_DEGREES = {@link #spatialOrder()}; Bertin 2011): kernel pixel p at CCD position (x, y) is
 * {@code sum_t c[t][p] P_t(u, v)} with {@code u = (x - xOffset) / xScale}, {@code v = (y - yOffset) / yScale} and the
 * terms {@code P_t} in the order 1, u, v, u^2, u v, v^2, u^3, ... (total degree &le; order). The kernel includes the
 * pixel response (it is the image of a point source sampled at pixel centres), is centred on its middle pixel
 * ({@code size / 2}, {@code size / 2}), and {@link #kernelAt} normalises it to unit sum.
 *
 * <p>Shapes: {@link #momentsAt} gives the adaptive moments of the kernel; {@link #ellipticityAt} their distortion
 * {@code e = (Ixx - Iyy, 2 Ixy) / (Ixx + Iyy)}; {@link #fwhmAt} the FWHM from the area of the half-maximum isophote of
 * the kernel interpolated (Lanczos-3) on a grid 8 times finer: {@code 2 sqrt(area / pi)}, the geometric mean of the
 * major and minor FWHM for an elliptical profile. Immutable and thread-safe.
 */
public final class PsfModel {

    private static final int FINE = 8;

    private final int size;
    private final int order;
    private final double xOffset;
    private final double xScale;
    private final double yOffset;
    private final double yScale;
    private final float[][] coefficients;
    private final int starCount;

    /**
     * @param size         kernel side (odd)
     * @param order        polynomial degree
     * @param xOffset      u = (x - xOffset) / xScale
     * @param xScale       see xOffset
     * @param yOffset      v = (y - yOffset) / yScale
     * @param yScale       see yOffset
     * @param coefficients {@code [term][y * size + x]}, {@code (order + 1)(order + 2) / 2} terms
     * @param starCount    stars used in the fit (for the record)
     */
    public PsfModel(int size, int order, double xOffset, double xScale, double yOffset, double yScale,
                    float[][] coefficients, int starCount) {
        if (size < 1 || size % 2 == 0) {
            throw new IllegalArgumentException("kernel size must be odd, got " + size);
        }
        if (coefficients.length != termCount(order)) {
            throw new IllegalArgumentException("order " + order + " needs " + termCount(order) + " terms, got "
                    + coefficients.length);
        }
        for (float[] c : coefficients) {
            if (c.length != size * size) {
                throw new IllegalArgumentException("each term needs " + size * size + " values, got " + c.length);
            }
        }
        this.size = size;
        this.order = order;
        this.xOffset = xOffset;
        this.xScale = xScale;
        this.yOffset = yOffset;
        this.yScale = yScale;
        this.coefficients = new float[coefficients.length][];
        for (int t = 0; t < coefficients.length; t++) {
            this.coefficients[t] = coefficients[t].clone();
        }
        this.starCount = starCount;
    }

    /** Number of polynomial terms of total degree &le; order. */
    public static int termCount(int order) {
        return (order + 1) * (order + 2) / 2;
    }

    /** The terms 1, u, v, u^2, u v, v^2, ... at (u, v). */
    static double[] terms(int order, double u, double v) {
        double[] t = new double[termCount(order)];
        int k = 0;
        for (int d = 0; d <= order; d++) {
            for (int j = 0; j <= d; j++) {
                t[k++] = Math.pow(u, d - j) * Math.pow(v, j);
            }
        }
        return t;
    }

    double[] termsAt(double x, double y) {
        return terms(order, (x - xOffset) / xScale, (y - yOffset) / yScale);
    }

    public int size() {
        return size;
    }

    public int spatialOrder() {
        return order;
    }

    public double xOffset() {
        return xOffset;
    }

    public double xScale() {
        return xScale;
    }

    public double yOffset() {
        return yOffset;
    }

    public double yScale() {
        return yScale;
    }

    public int starCount() {
        return starCount;
    }

    /** The coefficients, {@code [term][y * size + x]} (a copy). */
    public float[][] coefficients() {
        float[][] c = new float[coefficients.length][];
        for (int t = 0; t < c.length; t++) {
            c[t] = coefficients[t].clone();
        }
        return c;
    }

    /** The polynomial's kernel for the given terms, not normalised. */
    float[] rawKernelAt(double[] t) {
        float[] k = new float[size * size];
        for (int p = 0; p < k.length; p++) {
            double v = 0;
            for (int i = 0; i < t.length; i++) {
                v += t[i] * coefficients[i][p];
            }
            k[p] = (float) v;
        }
        return k;
    }

    /** The kernel at CCD position (x, y), normalised to unit sum, centred on pixel (size/2, size/2). */
    public ImageF kernelAt(double x, double y) {
        double[] t = termsAt(x, y);
        float[] k = new float[size * size];
        double sum = 0;
        for (int p = 0; p < k.length; p++) {
            double v = 0;
            for (int i = 0; i < t.length; i++) {
                v += t[i] * coefficients[i][p];
            }
            k[p] = (float) v;
            sum += v;
        }
        for (int p = 0; p < k.length; p++) {
            k[p] /= (float) sum;
        }
        return new ImageF(size, size, k);
    }

    /** Adaptive moments of the kernel at (x, y). */
    public AdaptiveMoments.Result momentsAt(double x, double y) {
        return kernelMoments(kernelAt(x, y));
    }

    /** Distortion ellipticity {e1, e2} of the kernel at (x, y) (see the class description). */
    public double[] ellipticityAt(double x, double y) {
        AdaptiveMoments.Result m = momentsAt(x, y);
        return new double[] {m.e1(), m.e2()};
    }

    /** FWHM of the kernel at (x, y), pixels (see the class description). */
    public double fwhmAt(double x, double y) {
        return kernelFwhm(kernelAt(x, y));
    }

    /** Adaptive moments of a centred kernel image. */
    public static AdaptiveMoments.Result kernelMoments(ImageF kernel) {
        return AdaptiveMoments.measure(kernel, kernel.width() / 2, kernel.height() / 2, 2.0, kernel.width(), 200,
                1e-8);
    }

    /**
     * FWHM of a centred kernel image: {@code 2 sqrt(A / pi)} with A the area where the kernel, Lanczos-3
     * interpolated on a grid {@value #FINE} times finer, is at least half its maximum.
     */
    public static double kernelFwhm(ImageF kernel) {
        int n = kernel.width();
        int m = kernel.height();
        int fw = n * FINE;
        int fh = m * FINE;
        double[][] wx = new double[fw][2 * Lanczos.A];
        int[] ix = new int[fw];
        for (int i = 0; i < fw; i++) {
            double x = (i + 0.5) / FINE - 0.5;
            ix[i] = (int) Math.floor(x);
            Lanczos.weights(x, wx[i]);
        }
        double[][] wy = new double[fh][2 * Lanczos.A];
        int[] iy = new int[fh];
        for (int j = 0; j < fh; j++) {
            double y = (j + 0.5) / FINE - 0.5;
            iy[j] = (int) Math.floor(y);
            Lanczos.weights(y, wy[j]);
        }
        double[] fine = new double[fw * fh];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < fh; j++) {
            for (int i = 0; i < fw; i++) {
                double v = Lanczos.at(kernel, ix[i], iy[j], wx[i], wy[j]);
                fine[j * fw + i] = v;
                max = Math.max(max, v);
            }
        }
        long count = 0;
        for (double v : fine) {
            if (v >= 0.5 * max) {
                count++;
            }
        }
        double area = count / (double) (FINE * FINE);
        return 2 * Math.sqrt(area / Math.PI);
    }
}
