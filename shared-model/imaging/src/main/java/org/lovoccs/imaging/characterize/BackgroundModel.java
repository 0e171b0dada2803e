package org.lovoccs.imaging.characterize;

import org.lovoccs.imaging.ImageF;

/**
 * A sky background and its noise as a grid of mesh values interpolated by a bicubic natural spline, as SExtractor
 * does (Bertin &amp; Arnouts 1996): node (i, j) sits at the centre of mesh (i, j), pixel
 * ({@code (i + 0.5) meshWidth - 0.5}, {@code (j + 0.5) meshHeight - 0.5}) in 0-based pixel coordinates; the spline
 * is evaluated first along y through each column of nodes, then along x through the resulting row. Beyond the
 * outermost nodes the end cubic is continued (a natural spline has zero curvature there, so this is nearly linear).
 * A grid of one node is a constant, of two a straight line.
 *
 * <p>Immutable. Values are in the image's unit (e- after ISR); the rms is the clipped standard deviation of the
 * pixels of a mesh, not corrected for clipping (as SExtractor's BACKGROUND_RMS).
 */
public final class BackgroundModel {

    private final int width;
    private final int height;
    private final int meshWidth;
    private final int meshHeight;
    private final int nx;
    private final int ny;
    private final float[] level;
    private final float[] rms;

    /**
     * @param width      image columns
     * @param height     image rows
     * @param meshWidth  mesh columns
     * @param meshHeight mesh rows
     * @param nx         meshes along x ({@code ceil(width / meshWidth)})
     * @param ny         meshes along y
     * @param level      background of each mesh after filtering, row-major {@code nx x ny}
     * @param rms        noise of each mesh after filtering, row-major
     */
    public BackgroundModel(int width, int height, int meshWidth, int meshHeight, int nx, int ny, float[] level,
                           float[] rms) {
        if (nx < 1 || ny < 1 || level.length != nx * ny || rms.length != nx * ny) {
            throw new IllegalArgumentException("mesh grid " + nx + "x" + ny + " with " + level.length + " levels and "
                    + rms.length + " rms values");
        }
        if (width < 1 || height < 1 || meshWidth < 1 || meshHeight < 1) {
            throw new IllegalArgumentException("bad background geometry " + width + "x" + height + ", mesh "
                    + meshWidth + "x" + meshHeight);
        }
        this.width = width;
        this.height = height;
        this.meshWidth = meshWidth;
        this.meshHeight = meshHeight;
        this.nx = nx;
        this.ny = ny;
        this.level = level.clone();
        this.rms = rms.clone();
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int meshWidth() {
        return meshWidth;
    }

    public int meshHeight() {
        return meshHeight;
    }

    public int nx() {
        return nx;
    }

    public int ny() {
        return ny;
    }

    /** Mesh backgrounds, row-major {@code nx x ny} (a copy). */
    public float[] meshLevels() {
        return level.clone();
    }

    /** Mesh noise values, row-major {@code nx x ny} (a copy). */
    public float[] meshRms() {
        return rms.clone();
    }

    /** Median of the mesh backgrounds (SExtractor's global background). */
    public double globalLevel() {
        return median(level);
    }

    /** Median of the mesh noise values (SExtractor's global rms). */
    public double globalRms() {
        return median(rms);
    }

    /** The background at full resolution. */
    public ImageF renderLevel() {
        return render(level);
    }

    /** The background noise (rms) at full resolution. */
    public ImageF renderRms() {
        return render(rms);
    }

    /** Subtracts the background from {@code image} in place. */
    public void subtractFrom(ImageF image) {
        checkSize(image);
        float[] a = image.array();
        // row by row as rendered: the same floats as subtracting renderLevel(), without a CCD-sized map
        renderRows(level, (y, line) -> {
            int row = image.index(0, y);
            for (int x = 0; x < width; x++) {
                a[row + x] -= line[x];
            }
        });
    }

    /**
     * {@code target = source - background}: the same floats as copying {@code source} into {@code target} and then
     * {@link #subtractFrom}, in one pass.
     */
    void subtract(ImageF source, ImageF target) {
        checkSize(source);
        checkSize(target);
        float[] in = source.array();
        float[] out = target.array();
        renderRows(level, (y, line) -> {
            int srow = source.index(0, y);
            int trow = target.index(0, y);
            for (int x = 0; x < width; x++) {
                out[trow + x] = in[srow + x] - line[x];
            }
        });
    }

    private void checkSize(ImageF image) {
        if (image.width() != width || image.height() != height) {
            throw new IllegalArgumentException("image " + image.width() + "x" + image.height()
                    + " differs from the background's " + width + "x" + height);
        }
    }

    private ImageF render(float[] nodes) {
        ImageF out = new ImageF(width, height);
        float[] o = out.array();
        renderRows(nodes, (y, line) -> System.arraycopy(line, 0, o, y * width, width));
        return out;
    }

    /** Receives one rendered row; {@code line} is reused for the next row. */
    private interface RowSink {
        void row(int y, float[] line);
    }

    /** The spline surface through {@code nodes}, row by row, into {@code sink}. */
    private void renderRows(float[] nodes, RowSink sink) {
        float[] line = new float[width];
        double[] columnCurvature = new double[nx * ny];
        double[] column = new double[ny];
        double[] curv = new double[ny];
        for (int i = 0; i < nx; i++) {
            for (int j = 0; j < ny; j++) {
                column[j] = nodes[j * nx + i];
            }
            NaturalSpline.secondDerivatives(column, ny, curv);
            for (int j = 0; j < ny; j++) {
                columnCurvature[j * nx + i] = curv[j];
            }
        }
        // per-column interpolation weights along x, computed once
        int[] xi = new int[width];
        double[] xd = new double[width];
        // and the terms of NaturalSpline.evaluate that depend on x only: c, d, c^3 - c, d^3 - d
        double[] xc = new double[width];
        double[] xc3 = new double[width];
        double[] xd3 = new double[width];
        for (int x = 0; x < width; x++) {
            double t = (x + 0.5) / meshWidth - 0.5;
            xi[x] = NaturalSpline.interval(t, nx);
            xd[x] = t - xi[x];
            double d = xd[x];
            double c = 1 - d;
            xc[x] = c;
            xc3[x] = c * c * c - c;
            xd3[x] = d * d * d - d;
        }
        // the runs of columns that share an interval (xi is non-decreasing): [runStart[s], runStart[s + 1])
        int[] runInterval = new int[width];
        int[] runStart = new int[width + 1];
        int runs = 0;
        for (int x = 0; x < width; x++) {
            if (x == 0 || xi[x] != xi[x - 1]) {
                runInterval[runs] = xi[x];
                runStart[runs++] = x;
            }
        }
        runStart[runs] = width;
        double[] row = new double[nx];
        double[] rowCurv = new double[nx];
        for (int y = 0; y < height; y++) {
            double t = (y + 0.5) / meshHeight - 0.5;
            int j = NaturalSpline.interval(t, ny);
            double d = t - j;
            for (int i = 0; i < nx; i++) {
                if (ny == 1) {
                    row[i] = nodes[i];
                } else {
                    row[i] = NaturalSpline.evaluate(nodes[j * nx + i], nodes[(j + 1) * nx + i],
                            columnCurvature[j * nx + i], columnCurvature[(j + 1) * nx + i], d);
                }
            }
            NaturalSpline.secondDerivatives(row, nx, rowCurv);
            if (nx == 1) {
                java.util.Arrays.fill(line, (float) row[0]);
            } else {
                // interval by interval, so that the loop over x has no gather and vectorises
                for (int s = 0; s < runs; s++) {
                    int i = runInterval[s];
                    int x = runStart[s];
                    int end = runStart[s + 1];
                    double a = row[i];
                    double b = row[i + 1];
                    double ma = rowCurv[i];
                    double mb = rowCurv[i + 1];
                    for (; x < end; x++) {
                        // NaturalSpline.evaluate(a, b, ma, mb, xd[x]), term for term
                        line[x] = (float) (xc[x] * a + xd[x] * b + (xc3[x] * ma + xd3[x] * mb) / 6.0);
                    }
                }
            }
            sink.row(y, line);
        }
    }

    static double median(float[] values) {
        float[] s = values.clone();
        java.util.Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }

    /** A natural cubic spline through equally spaced nodes (unit spacing). */
    static final class NaturalSpline {

        private NaturalSpline() {
        }

        /** Second derivatives of the natural spline through {@code y[0..n)} into {@code m} (tridiagonal solve). */
        static void secondDerivatives(double[] y, int n, double[] m) {
            if (n < 3) {
                for (int i = 0; i < n; i++) {
                    m[i] = 0;
                }
                return;
            }
            // m[i-1] + 4 m[i] + m[i+1] = 6 (y[i+1] - 2 y[i] + y[i-1]), m[0] = m[n-1] = 0 (Thomas algorithm)
            double[] c = new double[n];
            double[] r = new double[n];
            m[0] = 0;
            c[0] = 0;
            r[0] = 0;
            for (int i = 1; i < n - 1; i++) {
                double rhs = 6 * (y[i + 1] - 2 * y[i] + y[i - 1]);
                double denom = 4 - c[i - 1];
                c[i] = 1 / denom;
                r[i] = (rhs - r[i - 1]) / denom;
            }
            m[n - 1] = 0;
            for (int i = n - 2; i >= 1; i--) {
                m[i] = r[i] - c[i] * m[i + 1];
            }
        }

        /** Index of the interval used at node coordinate {@code t}, clamped to [0, n - 2] (0 when n = 1). */
        static int interval(double t, int n) {
            if (n < 2) {
                return 0;
            }
            int i = (int) Math.floor(t);
            return Math.max(0, Math.min(n - 2, i));
        }

        /** The spline between nodes with values a, b and second derivatives ma, mb at fraction d (any real d). */
        static double evaluate(double a, double b, double ma, double mb, double d) {
            double c = 1 - d;
            return c * a + d * b + ((c * c * c - c) * ma + (d * d * d - d) * mb) / 6.0;
        }
    }
}
