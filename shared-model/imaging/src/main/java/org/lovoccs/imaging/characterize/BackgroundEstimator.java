package org.lovoccs.imaging.characterize;

import java.util.Arrays;
import java.util.stream.IntStream;

import org.lovoccs.imaging.FloatSort;
import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.Mask;

/**
 * SExtractor's background estimate (Bertin &amp; Arnouts 1996, sect. 3.1) as a pure function.
 *
 * <ol>
 *   <li>Per mesh, the pixels not flagged by {@link BackgroundConfig#ignoredPlanes()} and finite are kept; a mesh with
 *       fewer than {@code minGoodFraction} of its area is bad.</li>
 *   <li>Their mean and standard deviation are recomputed within mean &plusmn; 2&sigma; (SExtractor's first pass),
 *       then &sigma;-clipping about the median at &plusmn;3&sigma; is iterated until &sigma; changes by less than
 *       1e-4 (at most 100 times).</li>
 *   <li>The background is the mode estimate {@code 2.5 median - 1.5 mean} when {@code |mean - median| < 0.3 sigma}
 *       (a not-too-crowded mesh), else the median; the rms is the clipped &sigma;.</li>
 *   <li>Bad meshes take the mean of their nearest good meshes; the grid is median-filtered over
 *       {@code filterSize x filterSize} meshes, the window shrinking symmetrically at the grid's edges (as
 *       SExtractor's filterback), the rms with the same window.</li>
 * </ol>
 * SExtractor takes the median and mean from a fine histogram; here they are exact order statistics of the same
 * pixels, which differ by less than a thousandth of &sigma;.
 */
public final class BackgroundEstimator {

    private BackgroundEstimator() {
    }

    /**
     * @param image pixels
     * @param mask  mask of the same size, or null for none
     * @throws IllegalArgumentException if no mesh has enough valid pixels
     */
    public static BackgroundModel estimate(ImageF image, Mask mask, BackgroundConfig config) {
        int w = image.width();
        int h = image.height();
        if (mask != null && (mask.width() != w || mask.height() != h)) {
            throw new IllegalArgumentException("mask " + mask.width() + "x" + mask.height() + " differs from image "
                    + w + "x" + h);
        }
        int bw = Math.min(config.meshSize(), w);
        int bh = Math.min(config.meshSize(), h);
        int nx = (w - 1) / bw + 1;
        int ny = (h - 1) / bh + 1;
        float[] level = new float[nx * ny];
        float[] rms = new float[nx * ny];
        int ignored = config.ignoredPlanes();
        IntStream.range(0, nx * ny).parallel().forEach(k -> {
            int i = k % nx;
            int j = k / nx;
            int x0 = i * bw;
            int y0 = j * bh;
            int x1 = Math.min(w, x0 + bw);
            int y1 = Math.min(h, y0 + bh);
            Scratch sc = SCRATCH.get();
            int area = (x1 - x0) * (y1 - y0);
            if (sc.values.length < area) {
                sc.values = new float[area];
            }
            float[] buf = sc.values;
            int n = 0;
            float[] a = image.array();
            int[] m = mask == null ? null : mask.array();
            for (int y = y0; y < y1; y++) {
                int row = image.index(0, y);
                int mrow = y * w;
                for (int x = x0; x < x1; x++) {
                    float v = a[row + x];
                    if (Float.isFinite(v) && (m == null || (m[mrow + x] & ignored) == 0)) {
                        buf[n++] = v;
                    }
                }
            }
            // SExtractor judges a mesh against the full mesh area (the last, partial meshes included)
            if (n < config.minGoodFraction() * bw * bh || n < 3) {
                level[k] = Float.NaN;
                rms[k] = Float.NaN;
                return;
            }
            double[] est = meshStatistics(buf, n, sc);
            level[k] = (float) est[0];
            rms[k] = (float) est[1];
        });
        fillBadMeshes(level, rms, nx, ny);
        float[][] filtered = medianFilter(level, rms, nx, ny, config.filterSize());
        return new BackgroundModel(w, h, bw, bh, nx, ny, filtered[0], filtered[1]);
    }

    /** Per-thread work arrays of the mesh statistics, kept between meshes. */
    private static final class Scratch {
        float[] values = new float[0];
        double[] prefix = new double[0];
        double[] prefix2 = new double[0];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** {mode estimate, clipped sigma} of v[0, n) (sorted in place), with sc's prefix arrays. */
    private static double[] meshStatistics(float[] v, int n, Scratch sc) {
        FloatSort.sort(v, 0, n);
        if (sc.prefix.length < n + 1) {
            sc.prefix = new double[n + 1];
            sc.prefix2 = new double[n + 1];
        }
        double[] prefix = sc.prefix;
        double[] prefix2 = sc.prefix2;
        prefix[0] = 0;
        prefix2[0] = 0;
        for (int i = 0; i < n; i++) {
            double x = v[i];
            prefix[i + 1] = prefix[i] + x;
            prefix2[i + 1] = prefix2[i] + x * x;
        }
        double[] ms = meanSigma(prefix, prefix2, 0, n);
        // first pass: within mean +- 2 sigma of all pixels
        int lo = lowerBound(v, n, ms[0] - 2 * ms[1]);
        int hi = upperBound(v, n, ms[0] + 2 * ms[1]);
        if (hi - lo < 3) {
            return new double[] {ms[0], ms[1]};
        }
        ms = meanSigma(prefix, prefix2, lo, hi);
        // SExtractor's histogram spans mean +- 5 sigma of that clipped sample
        double limLo = ms[0] - 5 * ms[1];
        double limHi = ms[0] + 5 * ms[1];
        lo = lowerBound(v, n, limLo);
        hi = upperBound(v, n, limHi);
        double mean = ms[0];
        double sig = Double.POSITIVE_INFINITY;
        double med = mean;
        for (int iter = 0; iter < 100; iter++) {
            if (hi - lo < 1) {
                break;
            }
            double[] cur = meanSigma(prefix, prefix2, lo, hi);
            med = median(v, lo, hi);
            mean = cur[0];
            double previous = sig;
            sig = cur[1];
            if (sig < 1e-30 || Math.abs(sig / previous - 1.0) <= 1e-4) {
                break;
            }
            lo = lowerBound(v, n, Math.max(limLo, med - 3 * sig));
            hi = upperBound(v, n, Math.min(limHi, med + 3 * sig));
        }
        double mode;
        if (sig > 0) {
            mode = Math.abs((mean - med) / sig) < 0.3 ? 2.5 * med - 1.5 * mean : med;
        } else {
            mode = mean;
        }
        return new double[] {mode, sig};
    }

    private static double[] meanSigma(double[] p, double[] p2, int lo, int hi) {
        int n = hi - lo;
        double mean = (p[hi] - p[lo]) / n;
        double var = (p2[hi] - p2[lo]) / n - mean * mean;
        return new double[] {mean, var > 0 ? Math.sqrt(var) : 0.0};
    }

    private static double median(float[] sorted, int lo, int hi) {
        int n = hi - lo;
        int mid = lo + n / 2;
        return n % 2 == 1 ? sorted[mid] : 0.5 * ((double) sorted[mid - 1] + sorted[mid]);
    }

    /** First index with value >= x. */
    private static int lowerBound(float[] v, int n, double x) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (v[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** First index with value > x. */
    private static int upperBound(float[] v, int n, double x) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (v[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static void fillBadMeshes(float[] level, float[] rms, int nx, int ny) {
        boolean any = false;
        for (float v : level) {
            any |= !Float.isNaN(v);
        }
        if (!any) {
            throw new IllegalArgumentException("no background mesh has enough unmasked pixels");
        }
        float[] l0 = level.clone();
        float[] r0 = rms.clone();
        for (int k = 0; k < level.length; k++) {
            if (!Float.isNaN(l0[k])) {
                continue;
            }
            int px = k % nx;
            int py = k / nx;
            long best = Long.MAX_VALUE;
            double sl = 0;
            double sr = 0;
            int count = 0;
            for (int q = 0; q < level.length; q++) {
                if (Float.isNaN(l0[q])) {
                    continue;
                }
                long dx = q % nx - px;
                long dy = q / nx - py;
                long d2 = dx * dx + dy * dy;
                if (d2 < best) {
                    best = d2;
                    sl = l0[q];
                    sr = r0[q];
                    count = 1;
                } else if (d2 == best) {
                    sl += l0[q];
                    sr += r0[q];
                    count++;
                }
            }
            level[k] = (float) (sl / count);
            rms[k] = (float) (sr / count);
        }
    }

    private static float[][] medianFilter(float[] level, float[] rms, int nx, int ny, int size) {
        float[] lo = level.clone();
        float[] ro = rms.clone();
        int half = size / 2;
        if (half == 0) {
            return new float[][] {lo, ro};
        }
        float[] bl = new float[size * size];
        float[] br = new float[size * size];
        for (int py = 0; py < ny; py++) {
            int hy = Math.min(half, Math.min(py, ny - 1 - py));
            for (int px = 0; px < nx; px++) {
                int hx = Math.min(half, Math.min(px, nx - 1 - px));
                int n = 0;
                for (int y = py - hy; y <= py + hy; y++) {
                    for (int x = px - hx; x <= px + hx; x++) {
                        bl[n] = level[y * nx + x];
                        br[n++] = rms[y * nx + x];
                    }
                }
                lo[py * nx + px] = medianOf(bl, n);
                ro[py * nx + px] = medianOf(br, n);
            }
        }
        return new float[][] {lo, ro};
    }

    private static float medianOf(float[] a, int n) {
        float[] s = Arrays.copyOf(a, n);
        Arrays.sort(s);
        return n % 2 == 1 ? s[n / 2] : 0.5f * (s[n / 2 - 1] + s[n / 2]);
    }
}
