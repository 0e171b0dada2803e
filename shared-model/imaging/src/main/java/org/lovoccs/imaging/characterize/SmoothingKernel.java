package org.lovoccs.imaging.characterize;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.simd.Simd;
import org.lovoccs.imaging.simd.VectorLoops;

/**
 * A normalised (sum = 1) 2-D convolution kernel for detection: a circular Gaussian (applied as two 1-D passes) or an
 * explicit odd-sized array such as SExtractor's {@code default.conv}. Pixels outside the image count as 0 (the image is
 * background-subtracted), as SExtractor's filter does; non-finite pixels count as 0 too. Immutable.
 */
public final class SmoothingKernel {

    private final double[][] k;
    private final double[] separable;

    private SmoothingKernel(double[][] k, double[] separable) {
        this.k = k;
        this.separable = separable;
    }

    /** A Gaussian of standard deviation {@code sigma} pixels, truncated at 4 sigma (at least 3x3). */
    public static SmoothingKernel gaussian(double sigma) {
        if (!(sigma > 0)) {
            throw new IllegalArgumentException("Gaussian sigma must be > 0 pixels, got " + sigma);
        }
        int half = Math.max(1, (int) Math.ceil(4 * sigma));
        double[] g = new double[2 * half + 1];
        double s = 0;
        for (int i = -half; i <= half; i++) {
            g[i + half] = Math.exp(-0.5 * i * i / (sigma * sigma));
            s += g[i + half];
        }
        for (int i = 0; i < g.length; i++) {
            g[i] /= s;
        }
        double[][] k = new double[g.length][g.length];
        for (int j = 0; j < g.length; j++) {
            for (int i = 0; i < g.length; i++) {
                k[j][i] = g[i] * g[j];
            }
        }
        return new SmoothingKernel(k, g);
    }

    /**
     * An explicit kernel, {@code rows[y][x]}, normalised to unit sum.
     *
     * @throws IllegalArgumentException if it is not square-odd-sized or sums to 0
     */
    public static SmoothingKernel of(double[][] rows) {
        int n = rows.length;
        if (n % 2 == 0) {
            throw new IllegalArgumentException("kernel must have an odd number of rows, got " + n);
        }
        double s = 0;
        double[][] k = new double[n][];
        for (int j = 0; j < n; j++) {
            if (rows[j].length != rows[0].length || rows[j].length % 2 == 0) {
                throw new IllegalArgumentException("kernel rows must have the same odd length");
            }
            k[j] = rows[j].clone();
            for (double v : rows[j]) {
                s += v;
            }
        }
        if (s == 0) {
            throw new IllegalArgumentException("kernel sums to 0 and cannot be normalised");
        }
        for (double[] row : k) {
            for (int i = 0; i < row.length; i++) {
                row[i] /= s;
            }
        }
        return new SmoothingKernel(k, null);
    }

    /**
     * Parses SExtractor's filter format: a {@code CONV NORM} or {@code CONV NONORM} line, comment lines starting with
     * '#', then rows of numbers (first line = first kernel row). The kernel is always normalised here.
     */
    public static SmoothingKernel parseSextractor(String text) {
        List<double[]> rows = new ArrayList<>();
        for (String line : text.split("\\R")) {
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith("CONV")) {
                continue;
            }
            String[] f = t.split("\\s+");
            double[] r = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                r[i] = Double.parseDouble(f[i]);
            }
            rows.add(r);
        }
        return of(rows.toArray(new double[0][]));
    }

    /** Kernel width (and height), pixels. */
    public int size() {
        return k.length;
    }

    /** The weights, {@code [y][x]} (a copy). */
    public double[][] weights() {
        double[][] c = new double[k.length][];
        for (int j = 0; j < k.length; j++) {
            c[j] = k[j].clone();
        }
        return c;
    }

    /**
     * The rms of white noise of unit rms after smoothing: {@code sqrt(sum k^2)} (the kernel sums to 1). A threshold
     * of t times the smoothed image's noise is therefore {@code t * rms * noiseFactor()}.
     */
    public double noiseFactor() {
        double s = 0;
        for (double[] row : k) {
            for (double v : row) {
                s += v * v;
            }
        }
        return Math.sqrt(s);
    }

    /** The smoothed image (a new contiguous image). */
    public ImageF convolve(ImageF in) {
        return convolve(in, Simd.enabled());
    }

    /** {@link #convolve} with the separable passes' loops chosen: the SIMD form or the scalar one (the same bits). */
    ImageF convolve(ImageF in, boolean simd) {
        int w = in.width();
        int h = in.height();
        float[] src = new float[w * h];
        float[] a = in.array();
        for (int y = 0; y < h; y++) {
            int row = in.index(0, y);
            for (int x = 0; x < w; x++) {
                float v = a[row + x];
                src[y * w + x] = Float.isFinite(v) ? v : 0f;
            }
        }
        return separable != null ? convolveSeparable(src, w, h, simd) : convolveFull(src, w, h);
    }

    /**
     * Row pass then column pass, in float, each output the same sum in the same order as the direct loops (taps in
     * order, edges cut), eight pixels at a time with the sums in registers where no edge cuts the kernel; with
     * {@code simd}, a vector of pixels at a time ({@link VectorLoops}), the same sums in the same order.
     */
    private ImageF convolveSeparable(float[] src, int w, int h, boolean simd) {
        int half = separable.length / 2;
        int n = separable.length;
        float[] g = new float[separable.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) separable[i];
        }
        float[] tmp = new float[w * h];
        IntStream.range(0, h).parallel().forEach(y -> {
            int base = y * w;
            int x = 0;
            // interior: the whole kernel on the row; src[base + x - half + d] for d = 0 .. n - 1
            for (; x < Math.min(half, w); x++) {
                tmp[base + x] = rowSum(src, g, base, x, half, w);
            }
            if (simd) {
                x = VectorLoops.rowFilter(src, g, tmp, base, x, w - half, half);
            }
            for (; x + 7 + half <= w - 1; x += 8) {
                int b = base + x - half;
                float s0 = 0;
                float s1 = 0;
                float s2 = 0;
                float s3 = 0;
                float s4 = 0;
                float s5 = 0;
                float s6 = 0;
                float s7 = 0;
                for (int d = 0; d < n; d++) {
                    float k = g[d];
                    int i = b + d;
                    s0 += k * src[i];
                    s1 += k * src[i + 1];
                    s2 += k * src[i + 2];
                    s3 += k * src[i + 3];
                    s4 += k * src[i + 4];
                    s5 += k * src[i + 5];
                    s6 += k * src[i + 6];
                    s7 += k * src[i + 7];
                }
                tmp[base + x] = s0;
                tmp[base + x + 1] = s1;
                tmp[base + x + 2] = s2;
                tmp[base + x + 3] = s3;
                tmp[base + x + 4] = s4;
                tmp[base + x + 5] = s5;
                tmp[base + x + 6] = s6;
                tmp[base + x + 7] = s7;
            }
            for (; x < w; x++) {
                tmp[base + x] = rowSum(src, g, base, x, half, w);
            }
        });
        float[] out = new float[w * h];
        IntStream.range(0, h).parallel().forEach(y -> {
            int lo = Math.max(-half, -y);
            int hi = Math.min(half, h - 1 - y);
            int base = y * w;
            int x = simd ? VectorLoops.columnFilter(tmp, g, out, w, y, lo, hi, half) : 0;
            for (; x + 8 <= w; x += 8) {
                float s0 = 0;
                float s1 = 0;
                float s2 = 0;
                float s3 = 0;
                float s4 = 0;
                float s5 = 0;
                float s6 = 0;
                float s7 = 0;
                for (int j = lo; j <= hi; j++) {
                    float gj = g[j + half];
                    int srow = (y + j) * w + x;
                    s0 += gj * tmp[srow];
                    s1 += gj * tmp[srow + 1];
                    s2 += gj * tmp[srow + 2];
                    s3 += gj * tmp[srow + 3];
                    s4 += gj * tmp[srow + 4];
                    s5 += gj * tmp[srow + 5];
                    s6 += gj * tmp[srow + 6];
                    s7 += gj * tmp[srow + 7];
                }
                out[base + x] = s0;
                out[base + x + 1] = s1;
                out[base + x + 2] = s2;
                out[base + x + 3] = s3;
                out[base + x + 4] = s4;
                out[base + x + 5] = s5;
                out[base + x + 6] = s6;
                out[base + x + 7] = s7;
            }
            for (; x < w; x++) {
                float s0 = 0;
                for (int j = lo; j <= hi; j++) {
                    s0 += g[j + half] * tmp[(y + j) * w + x];
                }
                out[base + x] = s0;
            }
        });
        return new ImageF(w, h, out);
    }

    /** The pixel values a single convolved pixel reads: the value at index {@code y * width + x}. */
    @FunctionalInterface
    public interface Pixels {
        float at(int index);
    }

    /**
     * What {@link #convolve} gives at (x, y) of a {@code w} x {@code h} image, computed for that pixel alone: the same
     * products summed in the same order (the row sums, then the column sum, in float; or the explicit kernel's rows
     * then columns), so the same bits. For a few pixels of an image that need not be convolved whole. Non-finite
     * values count as 0, as in {@link #convolve}.
     */
    public float convolvedAt(Pixels src, int w, int h, int x, int y) {
        if (separable != null) {
            int half = separable.length / 2;
            int lo = Math.max(-half, -y);
            int hi = Math.min(half, h - 1 - y);
            int xlo = Math.max(-half, -x);
            int xhi = Math.min(half, w - 1 - x);
            float s = 0;
            for (int j = lo; j <= hi; j++) {
                int base = (y + j) * w + x;
                float r = 0;
                for (int i = xlo; i <= xhi; i++) {
                    r += (float) separable[i + half] * finite(src.at(base + i));
                }
                s += (float) separable[j + half] * r;
            }
            return s;
        }
        int kh = k.length / 2;
        int kw = k[0].length / 2;
        float s = 0;
        for (int j = -kh; j <= kh; j++) {
            int yy = y + j;
            if (yy < 0 || yy >= h) {
                continue;
            }
            for (int i = -kw; i <= kw; i++) {
                int xx = x + i;
                if (xx < 0 || xx >= w) {
                    continue;
                }
                s += (float) k[j + kh][i + kw] * finite(src.at(yy * w + xx));
            }
        }
        return s;
    }

    private static float finite(float v) {
        return Float.isFinite(v) ? v : 0f;
    }

    private static float rowSum(float[] src, float[] g, int base, int x, int half, int w) {
        int lo = Math.max(-half, -x);
        int hi = Math.min(half, w - 1 - x);
        float s = 0;
        for (int i = lo; i <= hi; i++) {
            s += g[i + half] * src[base + x + i];
        }
        return s;
    }

    private ImageF convolveFull(float[] src, int w, int h) {
        int kh = k.length / 2;
        int kw = k[0].length / 2;
        float[] out = new float[w * h];
        IntStream.range(0, h).parallel().forEach(y -> {
            int base = y * w;
            for (int j = -kh; j <= kh; j++) {
                int yy = y + j;
                if (yy < 0 || yy >= h) {
                    continue;
                }
                int srow = yy * w;
                for (int i = -kw; i <= kw; i++) {
                    float kv = (float) k[j + kh][i + kw];
                    int x0 = Math.max(0, -i);
                    int x1 = Math.min(w, w - i);
                    for (int x = x0; x < x1; x++) {
                        out[base + x] += kv * src[srow + x + i];
                    }
                }
            }
        });
        return new ImageF(w, h, out);
    }
}
