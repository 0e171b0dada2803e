package org.lovoccs.imaging.isr;

import org.lovoccs.imaging.MaskPlane;
import org.lovoccs.imaging.MaskedImage;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Undoes the brighter-fatter effect (Antilogus et al. 2014; Coulton et al. 2018): collected charge Q was moved by
 * dQ = 1/2 div(Q grad(K * Q)), discretised on the 4-neighbour edges (charge (Q_p + Q_q)/4 (phi_q - phi_p) crosses
 * from q to p, phi = K * Q with the image's edges replicated, as the instrument model writes it). The true image
 * solves F(Q) = Q_obs; it is found by the fixed-point iteration Q <- Q_obs - (F(Q) - Q), which converges because the
 * correction is a small fraction of the charge. Pixels masked BAD, SAT or NO_DATA are first replaced along their rows
 * (a hot pixel or a saturated core would otherwise push charge into its neighbours' corrections) and keep their values.
 *
 * <p>The kernel is a general (2r+1)^2 array; the convolution uses its singular value decomposition, keeping the
 * separable terms, largest first, until what is left holds less than a given fraction of the kernel's power. Each
 * term costs two 1-D passes over the CCD per iteration, so the count is the correction's cost: a 17 x 17 kernel
 * measured from one flat pair has all 9 terms a mirror-symmetric kernel can have, the last ones holding 1e-5-1e-4 of
 * its power (its noise), and the simulator's two-Gaussian kernel has 2. A tolerance of 1e-3 leaves ~3% of the
 * kernel's rms amplitude, below what a measured kernel is known to; 0 keeps every term.
 */
public final class BrighterFatterCorrection {

    private BrighterFatterCorrection() {
    }

    /**
     * Corrects {@code e} in place.
     *
     * @param kernel     the (2r+1)^2 kernel K, 1/e-
     * @param iterations fixed-point iterations
     * @param tolerance  the kernel's separable terms are kept until what is left holds less than this fraction of its
     *                   power (0: all of them)
     * @return the number of separable terms used
     */
    public static int apply(MaskedImage e, double[] kernel, int iterations, double tolerance) {
        int n = side(kernel);
        int w = e.width();
        int h = e.height();
        int skip = MaskPlane.BAD.bitmask() | MaskPlane.SAT.bitmask() | MaskPlane.NO_DATA.bitmask();
        // the image with its masked pixels interpolated (variance and mask untouched: only the values are needed)
        float[] obs = e.image().array().clone();
        Interpolation.imageAlongRows(obs, e.mask().array(), w, h, skip & ~MaskPlane.NO_DATA.bitmask());
        List<double[][]> terms = separable(kernel, n, tolerance);
        float[] q = obs.clone();
        // buffers shared by the iterations
        float[] next = new float[q.length];
        float[] phi = new float[q.length];
        float[] tmp = new float[q.length];
        double[] acc = terms.size() > 1 ? new double[q.length] : null;
        for (int it = 0; it < iterations; it++) {
            convolve(q, w, h, terms, n / 2, tmp, acc, phi);
            step(q, phi, obs, next, w, h);
            float[] t = q;
            q = next;
            next = t;
        }
        float[] img = e.image().array();
        int[] mask = e.mask().array();
        for (int k = 0; k < img.length; k++) {
            if ((mask[k] & skip) == 0) {
                img[k] = q[k];
            }
        }
        return terms.size();
    }

    /**
     * The kernel as the correction applies it: the sum of the separable terms kept to {@code tolerance}, as a
     * (2r+1)^2 row-major array like the input.
     */
    public static double[] asApplied(double[] kernel, double tolerance) {
        int n = side(kernel);
        double[] out = new double[kernel.length];
        for (double[][] t : separable(kernel, n, tolerance)) {
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < n; i++) {
                    out[j * n + i] += t[0][j] * t[1][i];
                }
            }
        }
        return out;
    }

    /** The number of separable terms the correction uses for {@code kernel} at {@code tolerance}. */
    public static int terms(double[] kernel, double tolerance) {
        return separable(kernel, side(kernel), tolerance).size();
    }

    private static int side(double[] kernel) {
        int n = (int) Math.round(Math.sqrt(kernel.length));
        if (n * n != kernel.length || n % 2 == 0) {
            throw new IllegalArgumentException("brighter-fatter kernel must be (2r+1)^2 values, got " + kernel.length);
        }
        return n;
    }

    /**
     * next = obs - (F(Q) - Q), with F(Q) - Q the charge each pixel gained: (Q_p + Q_q)/4 (phi_q - phi_p) over the
     * 4-neighbours q of p.
     */
    private static void step(float[] q, float[] phi, float[] obs, float[] next, int w, int h) {
        IntStream.range(0, h).parallel().forEach(y -> {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                int k = row + x;
                double qk = q[k];
                double f = phi[k];
                double d = 0;
                if (x > 0) {
                    d += (qk + q[k - 1]) * (phi[k - 1] - f);
                }
                if (x + 1 < w) {
                    d += (qk + q[k + 1]) * (phi[k + 1] - f);
                }
                if (y > 0) {
                    d += (qk + q[k - w]) * (phi[k - w] - f);
                }
                if (y + 1 < h) {
                    d += (qk + q[k + w]) * (phi[k + w] - f);
                }
                next[k] = obs[k] - (float) (0.25 * d);
            }
        });
    }

    /** Rows per parallel task of the convolution: one row buffer each, not one per row. */
    private static final int CHUNK = 64;

    /**
     * phi = sum over terms of (column filter) x (row filter) applied to src with replicated edges. Each output is the
     * same sum in the same order as the direct loops (per pixel, taps from -r to r, then terms in order, in double,
     * rounded to float at the end), computed eight pixels at a time with the sums in registers (eight independent
     * sums keep the floating-point adder busy; four left it waiting on each sum's latency, 35% slower): the row pass
     * over the row padded by its edge values, the column pass over the 2r + 1 row-filtered rows it needs (float, as
     * they are stored, widened once per row into a ring of doubles). {@code tmp} is scratch; {@code acc} carries the
     * sum between terms (needed with more than one term).
     */
    static void convolve(float[] src, int w, int h, List<double[][]> terms, int r, float[] tmp, double[] acc,
                         float[] phi) {
        if (terms.isEmpty()) {
            java.util.Arrays.fill(phi, 0f);
            return;
        }
        int chunks = (h + CHUNK - 1) / CHUNK;
        int n = 2 * r + 1;
        for (int ti = 0; ti < terms.size(); ti++) {
            double[] col = terms.get(ti)[0];
            double[] row = terms.get(ti)[1];
            boolean first = ti == 0;
            boolean last = ti == terms.size() - 1;
            IntStream.range(0, chunks).parallel().forEach(c -> {
                double[] pad = new double[w + 2 * r];
                for (int y = c * CHUNK; y < Math.min(h, (c + 1) * CHUNK); y++) {
                    int base = y * w;
                    // pad[i] = src at column i - r, edges replicated
                    for (int i = 0; i < r; i++) {
                        pad[i] = src[base];
                        pad[w + r + i] = src[base + w - 1];
                    }
                    for (int x = 0; x < w; x++) {
                        pad[r + x] = src[base + x];
                    }
                    int x = 0;
                    for (; x + 8 <= w; x += 8) {
                        double s0 = 0;
                        double s1 = 0;
                        double s2 = 0;
                        double s3 = 0;
                        double s4 = 0;
                        double s5 = 0;
                        double s6 = 0;
                        double s7 = 0;
                        for (int d = 0; d < n; d++) {
                            double k = row[d];
                            int i = x + d;
                            s0 += k * pad[i];
                            s1 += k * pad[i + 1];
                            s2 += k * pad[i + 2];
                            s3 += k * pad[i + 3];
                            s4 += k * pad[i + 4];
                            s5 += k * pad[i + 5];
                            s6 += k * pad[i + 6];
                            s7 += k * pad[i + 7];
                        }
                        tmp[base + x] = (float) s0;
                        tmp[base + x + 1] = (float) s1;
                        tmp[base + x + 2] = (float) s2;
                        tmp[base + x + 3] = (float) s3;
                        tmp[base + x + 4] = (float) s4;
                        tmp[base + x + 5] = (float) s5;
                        tmp[base + x + 6] = (float) s6;
                        tmp[base + x + 7] = (float) s7;
                    }
                    for (; x < w; x++) {
                        double s0 = 0;
                        for (int d = 0; d < n; d++) {
                            s0 += row[d] * pad[x + d];
                        }
                        tmp[base + x] = (float) s0;
                    }
                }
            });
            IntStream.range(0, chunks).parallel().forEach(c -> {
                // ring[yy mod n] holds filtered row yy as doubles; rows[d] is row y + d - r (clamped) for this y
                double[][] ring = new double[n][w];
                double[][] rows = new double[n][];
                int[] held = new int[n];
                java.util.Arrays.fill(held, -1);
                for (int y = c * CHUNK; y < Math.min(h, (c + 1) * CHUNK); y++) {
                    int out = y * w;
                    for (int d = 0; d < n; d++) {
                        int yy = Math.min(h - 1, Math.max(0, y + d - r));
                        int slot = yy % n;
                        double[] rr = ring[slot];
                        if (held[slot] != yy) {
                            int base = yy * w;
                            for (int x = 0; x < w; x++) {
                                rr[x] = tmp[base + x];
                            }
                            held[slot] = yy;
                        }
                        rows[d] = rr;
                    }
                    int x = 0;
                    for (; x + 8 <= w; x += 8) {
                        double a0 = first ? 0.0 : acc[out + x];
                        double a1 = first ? 0.0 : acc[out + x + 1];
                        double a2 = first ? 0.0 : acc[out + x + 2];
                        double a3 = first ? 0.0 : acc[out + x + 3];
                        double a4 = first ? 0.0 : acc[out + x + 4];
                        double a5 = first ? 0.0 : acc[out + x + 5];
                        double a6 = first ? 0.0 : acc[out + x + 6];
                        double a7 = first ? 0.0 : acc[out + x + 7];
                        for (int d = 0; d < n; d++) {
                            double k = col[d];
                            double[] rr = rows[d];
                            a0 += k * rr[x];
                            a1 += k * rr[x + 1];
                            a2 += k * rr[x + 2];
                            a3 += k * rr[x + 3];
                            a4 += k * rr[x + 4];
                            a5 += k * rr[x + 5];
                            a6 += k * rr[x + 6];
                            a7 += k * rr[x + 7];
                        }
                        if (last) {
                            phi[out + x] = (float) a0;
                            phi[out + x + 1] = (float) a1;
                            phi[out + x + 2] = (float) a2;
                            phi[out + x + 3] = (float) a3;
                            phi[out + x + 4] = (float) a4;
                            phi[out + x + 5] = (float) a5;
                            phi[out + x + 6] = (float) a6;
                            phi[out + x + 7] = (float) a7;
                        } else {
                            acc[out + x] = a0;
                            acc[out + x + 1] = a1;
                            acc[out + x + 2] = a2;
                            acc[out + x + 3] = a3;
                            acc[out + x + 4] = a4;
                            acc[out + x + 5] = a5;
                            acc[out + x + 6] = a6;
                            acc[out + x + 7] = a7;
                        }
                    }
                    for (; x < w; x++) {
                        double a0 = first ? 0.0 : acc[out + x];
                        for (int d = 0; d < n; d++) {
                            a0 += col[d] * rows[d][x];
                        }
                        if (last) {
                            phi[out + x] = (float) a0;
                        } else {
                            acc[out + x] = a0;
                        }
                    }
                }
            });
        }
    }

    /**
     * The kernel as a sum of separable terms {column, row} (element (dy, dx) = sum col[dy] row[dx]), by power
     * iteration with deflation, stopping when the remainder holds less than {@code tolerance} of the kernel's power
     * (with 0, when it holds less than 1e-12 of it: every term the kernel has, to rounding).
     */
    static List<double[][]> separable(double[] kernel, int n, double tolerance) {
        double stop = Math.max(tolerance, 1e-12);
        double[][] m = new double[n][n];
        double power = 0;
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                m[j][i] = kernel[j * n + i];
                power += m[j][i] * m[j][i];
            }
        }
        List<double[][]> terms = new ArrayList<>();
        if (power == 0) {
            return terms;
        }
        for (int t = 0; t < n; t++) {
            double[] v = new double[n];
            java.util.Arrays.fill(v, 1.0 / Math.sqrt(n));
            v[t % n] += 0.5;
            double[] u = new double[n];
            double sigma = 0;
            for (int it = 0; it < 500; it++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int i = 0; i < n; i++) {
                        s += m[j][i] * v[i];
                    }
                    u[j] = s;
                }
                double nu = norm(u);
                if (nu == 0) {
                    break;
                }
                for (int j = 0; j < n; j++) {
                    u[j] /= nu;
                }
                double[] v2 = new double[n];
                for (int i = 0; i < n; i++) {
                    double s = 0;
                    for (int j = 0; j < n; j++) {
                        s += m[j][i] * u[j];
                    }
                    v2[i] = s;
                }
                sigma = norm(v2);
                for (int i = 0; i < n; i++) {
                    v2[i] /= sigma;
                }
                double change = 0;
                for (int i = 0; i < n; i++) {
                    change += Math.abs(v2[i] - v[i]);
                }
                v = v2;
                if (change < 1e-13) {
                    break;
                }
            }
            double[] col = new double[n];
            for (int j = 0; j < n; j++) {
                col[j] = sigma * u[j];
            }
            terms.add(new double[][] {col, v.clone()});
            double rest = 0;
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < n; i++) {
                    m[j][i] -= col[j] * v[i];
                    rest += m[j][i] * m[j][i];
                }
            }
            if (rest < stop * power) {
                break;
            }
        }
        return terms;
    }

    private static double norm(double[] a) {
        double s = 0;
        for (double x : a) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
