package org.lovoccs.imaging.isr;

import org.lovoccs.imaging.MaskPlane;
import org.lovoccs.imaging.MaskedImage;
import org.lovoccs.imaging.simd.Simd;
import org.lovoccs.imaging.simd.VectorLoops;

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
 *
 * <p>Iterations stop, as LSST's do, when the image changed by less than a threshold (the sum over pixels of
 * |Q_new - Q_old|, e-) or after a maximum count. The first iteration convolves the whole CCD. After it, phi is kept
 * up to date by convolving only the change of Q, since K * Q is linear: phi += K * (Q_new - Q_old). The change is
 * large only around sources, so it is convolved tile by tile, and a tile whose pending change cannot move any
 * pixel's correction by more than {@code pixelTolerance} e- is left pending (it keeps accumulating and is convolved
 * when it grows). On the bench's simulated DECam CCD with a kernel measured from flat pairs (ProcessCcdBench), at
 * 0.1 e- the three iterations convolve 1.06 CCDs instead of 3 and the image is the whole-CCD one to 0.002 e- beyond
 * 2 ulps (dropping the kernel's 4 smallest separable terms moves it by 1.2 e-). The bound: a dropped change of at most eps within r of p moves phi near p by at most
 * eps sum|K|, and the correction at p, 1/4 sum over 4 neighbours of (Q_p + Q_q)(phi_q - phi_p), by at most
 * 4 Qmax eps sum|K|, with Qmax the largest |Q| within r + 1 of the tile. Tiles whose phi or Q may have changed are
 * the only ones stepped again. {@code pixelTolerance} 0 convolves the whole CCD every iteration.
 */
public final class BrighterFatterCorrection {

    private BrighterFatterCorrection() {
    }

    /** Side of the tiles the later iterations work in, px. */
    static final int TILE = 64;

    /**
     * What the correction did.
     *
     * @param terms          separable terms of the kernel used
     * @param iterations     iterations run
     * @param lastChange     sum over pixels of |Q_new - Q_old| in the last iteration, e-
     * @param converged      whether {@code lastChange} fell under the threshold (or no tile was left to convolve)
     * @param convolvedTiles tiles convolved over all iterations, in units of the CCD's tile count (the first
     *                       iteration counts 1)
     */
    public record Result(int terms, int iterations, double lastChange, boolean converged, double convolvedTiles) {
    }

    /**
     * Corrects {@code e} in place: at most {@code maxIterations} iterations, all of them with {@code threshold} 0.
     *
     * @param kernel          the (2r+1)^2 kernel K, 1/e-
     * @param maxIterations   most fixed-point iterations (LSST's brighterFatterMaxIter)
     * @param threshold       stop when an iteration changed the image by less than this, summed over pixels, e-
     *                        (LSST's brighterFatterThreshold); 0 runs every iteration
     * @param kernelTolerance the kernel's separable terms are kept until what is left holds less than this fraction
     *                        of its power (0: all of them)
     * @param pixelTolerance  after the first iteration, a tile's change is convolved once it can move some pixel's
     *                        correction by more than this, e- (0: the whole CCD is convolved every iteration)
     */
    public static Result apply(MaskedImage e, double[] kernel, int maxIterations, double threshold,
                               double kernelTolerance, double pixelTolerance) {
        if (maxIterations < 1 || !(threshold >= 0) || !(pixelTolerance >= 0)) {
            throw new IllegalArgumentException("brighter-fatter: maxIterations >= 1, threshold >= 0 and"
                    + " pixelTolerance >= 0 are needed, got " + maxIterations + ", " + threshold + ", "
                    + pixelTolerance);
        }
        int n = side(kernel);
        int r = n / 2;
        int w = e.width();
        int h = e.height();
        int skip = MaskPlane.BAD.bitmask() | MaskPlane.SAT.bitmask() | MaskPlane.NO_DATA.bitmask();
        // the image with its masked pixels interpolated (variance and mask untouched: only the values are needed)
        float[] obs = e.image().array().clone();
        Interpolation.imageAlongRows(obs, e.mask().array(), w, h, skip & ~MaskPlane.NO_DATA.bitmask());
        List<double[][]> terms = separable(kernel, n, kernelTolerance);
        double absSum = 0;
        for (double v : sumOfTerms(terms, n)) {
            absSum += Math.abs(v);
        }
        Tiles tiles = new Tiles(w, h, TILE, (r + TILE) / TILE);
        float[] q = obs.clone();
        float[] next = new float[q.length];
        float[] phi = new float[q.length];
        float[] tmp = new float[q.length];
        double[] acc = terms.size() > 1 ? new double[q.length] : null;
        // the change of Q not yet convolved into phi (sparse iterations only)
        float[] pending = pixelTolerance > 0 ? new float[q.length] : null;
        double[] tilePending = new double[tiles.count];
        double[] tileMaxQ = new double[tiles.count];
        boolean[] stepped = new boolean[tiles.count];
        int iterations = 0;
        double change = Double.NaN;
        boolean converged = false;
        double convolved = 0;
        for (int it = 0; it < maxIterations; it++) {
            if (it == 0 || pending == null) {
                convolve(q, w, h, terms, r, tmp, acc, phi);
                step(q, phi, obs, next, w, h);
                java.util.Arrays.fill(stepped, true);
                convolved += 1;
            } else {
                // tiles whose pending change could move a correction by more than the tolerance
                boolean[] active = new boolean[tiles.count];
                int nActive = 0;
                for (int t = 0; t < tiles.count; t++) {
                    if (tilePending[t] > 0 && 4 * absSum * tilePending[t] * tiles.maxAround(tileMaxQ, t)
                            > pixelTolerance) {
                        active[t] = true;
                        nActive++;
                    }
                }
                if (nActive == 0) {
                    converged = true;
                    break;
                }
                convolveTiles(pending, w, h, terms, r, tiles, active, phi);
                for (int t = 0; t < tiles.count; t++) {
                    if (active[t]) {
                        tiles.fill(pending, t, 0f);
                        tilePending[t] = 0;
                    }
                }
                stepTiles(q, phi, obs, next, w, h, tiles, active, r);
                // the tiles holding a stepped pixel (next equals q on the others, and on the rest of these)
                boolean[] out = tiles.dilate(active);
                System.arraycopy(out, 0, stepped, 0, stepped.length);
                convolved += nActive / (double) tiles.count;
            }
            change = update(q, next, pending, w, tiles, stepped, tilePending, tileMaxQ);
            iterations = it + 1;
            if (change < threshold) {
                converged = true;
                break;
            }
        }
        float[] img = e.image().array();
        int[] mask = e.mask().array();
        for (int k = 0; k < img.length; k++) {
            if ((mask[k] & skip) == 0) {
                img[k] = q[k];
            }
        }
        return new Result(terms.size(), iterations, change, converged, convolved);
    }

    /**
     * For the tiles stepped: adds next - q to the pending change, copies next into q (so that next equals q again
     * everywhere), and refreshes the tiles' largest pending change and largest |Q|. Returns the sum of |next - q|
     * over them.
     */
    private static double update(float[] q, float[] next, float[] pending, int w, Tiles tiles, boolean[] stepped,
                                 double[] tilePending, double[] tileMaxQ) {
        return IntStream.range(0, tiles.count).parallel().filter(t -> stepped[t]).mapToDouble(t -> {
            double sum = 0;
            double maxP = 0;
            double maxQ = 0;
            for (int y = tiles.y0(t); y < tiles.y1(t); y++) {
                for (int k = y * w + tiles.x0(t), end = y * w + tiles.x1(t); k < end; k++) {
                    float d = next[k] - q[k];
                    sum += Math.abs(d);
                    if (pending != null) {
                        float p = pending[k] + d;
                        pending[k] = p;
                        maxP = Math.max(maxP, Math.abs(p));
                    }
                    q[k] = next[k];
                    maxQ = Math.max(maxQ, Math.abs(q[k]));
                }
            }
            tilePending[t] = maxP;
            tileMaxQ[t] = maxQ;
            return sum;
        }).sum();
    }

    /** The CCD cut into square tiles, with the neighbourhood (in tiles) a change within r + 1 px can reach. */
    static final class Tiles {
        final int w;
        final int h;
        final int side;
        final int nx;
        final int ny;
        final int count;
        final int reach;

        Tiles(int w, int h, int side, int reach) {
            this.w = w;
            this.h = h;
            this.side = side;
            this.nx = (w + side - 1) / side;
            this.ny = (h + side - 1) / side;
            this.count = nx * ny;
            this.reach = reach;
        }

        int x0(int t) {
            return (t % nx) * side;
        }

        int x1(int t) {
            return Math.min(w, x0(t) + side);
        }

        int y0(int t) {
            return (t / nx) * side;
        }

        int y1(int t) {
            return Math.min(h, y0(t) + side);
        }

        /** The largest of {@code v} over the tiles within {@code reach} of {@code t}. */
        double maxAround(double[] v, int t) {
            int tx = t % nx;
            int ty = t / nx;
            double m = 0;
            for (int j = Math.max(0, ty - reach); j <= Math.min(ny - 1, ty + reach); j++) {
                for (int i = Math.max(0, tx - reach); i <= Math.min(nx - 1, tx + reach); i++) {
                    m = Math.max(m, v[j * nx + i]);
                }
            }
            return m;
        }

        /** The tiles within {@code reach} of a set one. */
        boolean[] dilate(boolean[] set) {
            boolean[] out = new boolean[count];
            for (int t = 0; t < count; t++) {
                if (set[t]) {
                    int tx = t % nx;
                    int ty = t / nx;
                    for (int j = Math.max(0, ty - reach); j <= Math.min(ny - 1, ty + reach); j++) {
                        for (int i = Math.max(0, tx - reach); i <= Math.min(nx - 1, tx + reach); i++) {
                            out[j * nx + i] = true;
                        }
                    }
                }
            }
            return out;
        }

        void fill(float[] a, int t, float v) {
            for (int y = y0(t); y < y1(t); y++) {
                java.util.Arrays.fill(a, y * w + x0(t), y * w + x1(t), v);
            }
        }
    }

    /**
     * phi += K * d, with d taken as zero outside the tiles {@code active} and the CCD's edges replicated (as the
     * whole-CCD convolution does, so that the sum of the parts is the convolution of the whole). Each active tile's
     * part reaches r px beyond it; tiles are done in four passes by the parity of their column and row, so that parts
     * done side by side never overlap (r < the tile's side). Per tile: the row filter on the tile's rows over its
     * columns and r either side, then the column filter over the r rows either side, summed over terms in double and
     * added to phi.
     */
    static void convolveTiles(float[] d, int w, int h, List<double[][]> terms, int r, Tiles tiles, boolean[] active,
                              float[] phi) {
        if (r >= tiles.side) {
            throw new IllegalStateException("tiles of " + tiles.side + " px cannot hold a kernel of radius " + r);
        }
        int n = 2 * r + 1;
        for (int parity = 0; parity < 4; parity++) {
            int px = parity & 1;
            int py = parity >> 1;
            IntStream.range(0, tiles.count).parallel()
                    .filter(t -> active[t] && (t % tiles.nx) % 2 == px && (t / tiles.nx) % 2 == py).forEach(t -> {
                int x0 = tiles.x0(t);
                int x1 = tiles.x1(t);
                int y0 = tiles.y0(t);
                int y1 = tiles.y1(t);
                int ox0 = Math.max(0, x0 - r);
                int ox1 = Math.min(w, x1 + r);
                int oy0 = Math.max(0, y0 - r);
                int oy1 = Math.min(h, y1 + r);
                int ow = ox1 - ox0;
                // the tile's rows, padded: column ox0 - r + i, edges replicated, zero outside the tile's columns
                double[] pad = new double[ow + 2 * r];
                double[] rows = new double[(y1 - y0) * ow];
                double[] sum = new double[(oy1 - oy0) * ow];
                for (double[][] term : terms) {
                    double[] col = term[0];
                    double[] row = term[1];
                    java.util.Arrays.fill(rows, 0.0);
                    for (int y = y0; y < y1; y++) {
                        int base = y * w;
                        for (int i = 0; i < ow + 2 * r; i++) {
                            int xx = Math.min(w - 1, Math.max(0, ox0 - r + i));
                            pad[i] = xx >= x0 && xx < x1 ? d[base + xx] : 0.0;
                        }
                        int o = (y - y0) * ow;
                        for (int k = 0; k < n; k++) {
                            double c = row[k];
                            for (int x = 0; x < ow; x++) {
                                rows[o + x] += c * pad[x + k];
                            }
                        }
                    }
                    for (int y = oy0; y < oy1; y++) {
                        int so = (y - oy0) * ow;
                        for (int k = 0; k < n; k++) {
                            int yy = Math.min(h - 1, Math.max(0, y + k - r));
                            if (yy < y0 || yy >= y1) {
                                continue;
                            }
                            double c = col[k];
                            int o = (yy - y0) * ow;
                            for (int x = 0; x < ow; x++) {
                                sum[so + x] += c * rows[o + x];
                            }
                        }
                    }
                }
                for (int y = oy0; y < oy1; y++) {
                    int base = y * w + ox0;
                    int so = (y - oy0) * ow;
                    for (int x = 0; x < ow; x++) {
                        phi[base + x] += (float) sum[so + x];
                    }
                }
            });
        }
    }

    /**
     * {@link #step} over each active tile and r + 1 px around it (where phi may have changed): next, which equals q
     * elsewhere, gets the new values there. Overlapping margins are written twice with the same value.
     */
    private static void stepTiles(float[] q, float[] phi, float[] obs, float[] next, int w, int h, Tiles tiles,
                                  boolean[] active, int r) {
        IntStream.range(0, tiles.count).parallel().filter(t -> active[t]).forEach(t -> {
            int x0 = Math.max(0, tiles.x0(t) - r - 1);
            int x1 = Math.min(w, tiles.x1(t) + r + 1);
            for (int y = Math.max(0, tiles.y0(t) - r - 1); y < Math.min(h, tiles.y1(t) + r + 1); y++) {
                stepRow(q, phi, obs, next, w, h, y, x0, x1);
            }
        });
    }

    /**
     * The kernel as the correction applies it: the sum of the separable terms kept to {@code tolerance}, as a
     * (2r+1)^2 row-major array like the input.
     */
    public static double[] asApplied(double[] kernel, double tolerance) {
        int n = side(kernel);
        return sumOfTerms(separable(kernel, n, tolerance), n);
    }

    /** The n x n kernel the separable terms add up to, row-major. */
    private static double[] sumOfTerms(List<double[][]> terms, int n) {
        double[] out = new double[n * n];
        for (double[][] t : terms) {
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
        IntStream.range(0, h).parallel().forEach(y -> stepRow(q, phi, obs, next, w, h, y, 0, w));
    }

    private static void stepRow(float[] q, float[] phi, float[] obs, float[] next, int w, int h, int y, int x0,
                                int x1) {
        int row = y * w;
        for (int x = x0; x < x1; x++) {
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
     * sum between terms (needed with more than one term). With {@link Simd#enabled()}, a vector of pixels at a time,
     * the same sums in the same order.
     */
    static void convolve(float[] src, int w, int h, List<double[][]> terms, int r, float[] tmp, double[] acc,
                         float[] phi) {
        convolve(src, w, h, terms, r, tmp, acc, phi, Simd.enabled());
    }

    /** {@link #convolve} with its loops chosen: the SIMD form ({@link VectorLoops}) or the scalar one (the same bits). */
    static void convolve(float[] src, int w, int h, List<double[][]> terms, int r, float[] tmp, double[] acc,
                         float[] phi, boolean simd) {
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
                    int x = simd ? VectorLoops.rowFilter(pad, row, tmp, base, w) : 0;
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
                double[] line = simd ? new double[w] : null;
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
                    int x = simd ? VectorLoops.columnFilter(rows, col, acc, phi, out, w, first, last, line) : 0;
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
