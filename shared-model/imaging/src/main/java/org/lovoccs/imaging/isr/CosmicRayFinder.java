package org.lovoccs.imaging.isr;

import java.util.Arrays;

import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.MaskPlane;
import org.lovoccs.imaging.MaskedImage;
import org.lovoccs.imaging.characterize.BackgroundConfig;
import org.lovoccs.imaging.characterize.BackgroundEstimator;
import org.lovoccs.imaging.characterize.BackgroundModel;

/**
 * Cosmic rays found by their sharpness, the morphological test of SDSS's photo and LSST's {@code findCosmicRays}: a
 * pixel more than {@code minSigma} above the background is a cosmic-ray candidate when, in at least one of the four
 * directions (row, column, two diagonals), it rises above the mean of its two neighbours by more than any image of
 * the sky through the telescope could: (p - cond3 sigma_p) x R_d &gt; mean(neighbours) + cond3 sigma_n, with R_d the
 * ratio of a Gaussian PSF of {@code minPsfFwhm} at one pixel (or one diagonal) to its peak. Stars and galaxies are
 * never sharper than the sharpest PSF, cosmic rays (deposited in one or a few pixels) are. Each candidate is grown by
 * one ring, into its neighbours above {@code growSigma} (not further: a hit beside a star would take the star), and
 * the search is repeated with found pixels replaced by what their surroundings give them, the lowest of the straight
 * lines across them along the four directions (a track's inner pixels have bright neighbours along the track, but not
 * across it; a star hit in its core is filled with the star, not cut down to the sky).
 *
 * @see <a href="https://doi.org/10.1086/323894">Lupton et al. 2001 (SDSS photo)</a>
 */
public final class CosmicRayFinder {

    /**
     * @param minSigma   detection threshold above the background, in units of the pixel's noise
     * @param cond3      the noise allowance in the sharpness test, in sigmas (LSST's cond3_fac)
     * @param minPsfFwhm the sharpest PSF the sky can have, pixels (DECam's best seeing ~0.7" = 2.7 px)
     * @param growSigma  a candidate's eight neighbours above this many sigma join its cosmic ray
     * @param passes     search passes
     */
    public record Config(double minSigma, double cond3, double minPsfFwhm, double growSigma, int passes) {
        public static Config defaults() {
            return new Config(6.0, 2.5, 2.5, 3.0, 3);
        }
    }

    private CosmicRayFinder() {
    }

    /** Marks CR in {@code e}'s mask; returns the number of CR pixels. Pixels already BAD, SAT or NO_DATA are skipped. */
    public static int find(MaskedImage e, Config config) {
        return find(e, config, false);
    }

    /**
     * {@link #find(MaskedImage, Config)}; with {@code everyPixelEachPass} every pass tests every pixel instead of the
     * neighbours of the last pass's finds alone (the same result, slower: for the test that shows it).
     */
    static int find(MaskedImage e, Config config, boolean everyPixelEachPass) {
        int w = e.width();
        int h = e.height();
        int skip = MaskPlane.BAD.bitmask() | MaskPlane.SAT.bitmask() | MaskPlane.NO_DATA.bitmask();
        BackgroundModel bg = BackgroundEstimator.estimate(e.image(), e.mask(), BackgroundConfig.defaults());
        ImageF level = bg.renderLevel();
        float[] b = level.array();
        float[] work = e.image().array().clone();
        float[] var = e.variance().array();
        int[] mask = e.mask().array();
        int cr = MaskPlane.CR.bitmask();
        double growSigma = config.growSigma();
        Sharpness sharp = new Sharpness(work, b, var, mask, skip | cr, w, config);
        int total = 0;
        int[] queue = new int[1024];
        // the pixels a pass tests, in increasing index order; null: every pixel (the first pass)
        int[] toTest = null;
        for (int pass = 0; pass < config.passes(); pass++) {
            int found = 0;
            // candidates in increasing index order, then grown breadth first: the order of the pixel-by-pixel search
            int tail = 0;
            if (toTest == null || everyPixelEachPass) {
                for (int y = 1; y < h - 1; y++) {
                    for (int x = 1; x < w - 1; x++) {
                        int k = y * w + x;
                        if (sharp.candidate(k)) {
                            queue = append(queue, tail++, k);
                        }
                    }
                }
            } else {
                for (int k : toTest) {
                    if (sharp.candidate(k)) {
                        queue = append(queue, tail++, k);
                    }
                }
            }
            // grow each candidate by one ring: its neighbours above growSigma (a hit's charge shared with the pixels
            // beside it). Grown pixels are not grown from: a hit beside a star would otherwise take every pixel of
            // the star above growSigma with it
            int candidates = tail;
            for (int i = 0; i < candidates; i++) {
                mask[queue[i]] |= cr;
                found++;
            }
            for (int head = 0; head < candidates; head++) {
                int k = queue[head];
                int x = k % w;
                int y = k / w;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int xx = x + dx;
                        int yy = y + dy;
                        if (xx < 0 || yy < 0 || xx >= w || yy >= h) {
                            continue;
                        }
                        int n = yy * w + xx;
                        if ((mask[n] & (cr | skip)) != 0) {
                            continue;
                        }
                        double sig = Math.sqrt(Math.max(var[n], 1e-6));
                        if (work[n] - b[n] > growSigma * sig) {
                            mask[n] |= cr;
                            queue = append(queue, tail++, n);
                            found++;
                        }
                    }
                }
            }
            total += found;
            if (found == 0) {
                break;
            }
            // the next pass sees the found pixels as their surroundings would have them: along each of the four
            // directions, the straight line between the nearest pixels on either side that are not CR, and of the
            // four the lowest. Across a track that is the sky, so a track's inner pixels lose their bright neighbours
            // along it; inside a star it is the star, so the pixels around a hit on a star do not look sharp against
            // a hole cut in it
            float[] fill = new float[tail];
            for (int i = 0; i < tail; i++) {
                fill[i] = (float) (b[queue[i]] + interpolatedExcess(work, b, mask, cr | skip, w, h, queue[i]));
            }
            for (int i = 0; i < tail; i++) {
                work[queue[i]] = fill[i];
            }
            // A pixel's test reads only its own value, its eight neighbours' and the background and variance there;
            // only the pixels just found (now CR, not tested again) changed. So the pixels whose test can come out
            // differently next pass are the neighbours of those: the next pass tests them alone, in index order, and
            // finds what a pass over every pixel would
            toTest = neighbours(queue, tail, w, h);
        }
        return total;
    }

    /** {@code q} with {@code v} at index {@code n}, grown when full. */
    private static int[] append(int[] q, int n, int v) {
        int[] r = n == q.length ? Arrays.copyOf(q, 2 * n) : q;
        r[n] = v;
        return r;
    }

    /** The interior pixels (1 .. w - 2, 1 .. h - 2) beside {@code found[0 .. n)} (8-connected), sorted, once each. */
    static int[] neighbours(int[] found, int n, int w, int h) {
        int[] out = new int[8 * n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            int k = found[i];
            int x = k % w;
            int y = k / w;
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    int xx = x + dx;
                    int yy = y + dy;
                    if ((dx != 0 || dy != 0) && xx >= 1 && yy >= 1 && xx < w - 1 && yy < h - 1) {
                        out[m++] = yy * w + xx;
                    }
                }
            }
        }
        Arrays.sort(out, 0, m);
        int u = 0;
        for (int i = 0; i < m; i++) {
            if (u == 0 || out[i] != out[u - 1]) {
                out[u++] = out[i];
            }
        }
        return Arrays.copyOf(out, u);
    }

    /**
     * The candidate test of one pixel: not CR or skipped, more than {@code minSigma} above the background, and sharper
     * than the sharpest PSF in one of the four directions. It reads the pixel's and its eight neighbours' values only.
     */
    private static final class Sharpness {
        private final float[] work;
        private final float[] b;
        private final float[] var;
        private final int[] mask;
        private final int excluded;
        /** Neighbours in the four directions (row, column, two diagonals) are k + off[d] and k - off[d]. */
        private final int[] off;
        private final double[] ratio;
        private final double minSigma;
        private final double cond3;
        private final boolean noPrefilter;
        private final double prefilter;

        Sharpness(float[] work, float[] b, float[] var, int[] mask, int excluded, int w, Config config) {
            this.work = work;
            this.b = b;
            this.var = var;
            this.mask = mask;
            this.excluded = excluded;
            double s = config.minPsfFwhm() / (2 * Math.sqrt(2 * Math.log(2)));
            double r1 = Math.exp(-1.0 / (2 * s * s));
            double r2 = Math.exp(-2.0 / (2 * s * s));
            this.off = new int[] {1, w, w + 1, 1 - w};
            this.ratio = new double[] {r1, r1, r2, r2};
            this.minSigma = config.minSigma();
            this.cond3 = config.cond3();
            // p > minSigma sqrt(v) needs p > 0 and p^2 > minSigma^2 v: pixels well below that skip the square root
            this.noPrefilter = !(minSigma > 0);
            this.prefilter = noPrefilter ? 0 : minSigma * minSigma * (1 - 1e-9);
        }

        boolean candidate(int k) {
            double p = work[k] - b[k];
            double vk = Math.max(var[k], 1e-6);
            // one branch for the common case (unmasked sky, far below the threshold), without the unpredictable ones
            // on each condition
            if (!(((mask[k] & excluded) == 0) & (noPrefilter | ((p > 0) & (p * p >= prefilter * vk))))) {
                return false;
            }
            double sig = Math.sqrt(vk);
            if (!(p > minSigma * sig)) {
                return false;
            }
            for (int d = 0; d < 4; d++) {
                int k1 = k + off[d];
                int k2 = k - off[d];
                double n = 0.5 * (work[k1] - b[k1] + work[k2] - b[k2]);
                double sn = 0.5 * Math.sqrt(Math.max(var[k1], 0) + Math.max(var[k2], 0));
                if ((p - cond3 * sig) * ratio[d] > n + cond3 * sn) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Farthest a found pixel's replacement looks for pixels that are not CR, along each direction, pixels. */
    static final int FILL_REACH = 8;

    /** The row, the column and the two diagonals, as (dx, dy). */
    private static final int[][] DIRECTIONS = {{1, 0}, {0, 1}, {1, 1}, {1, -1}};

    /**
     * The value above the background that pixel {@code k}'s surroundings give it: the lowest, over the row, the column
     * and the two diagonals, of the linear interpolation between the nearest pixels on either side that are not
     * {@code exclude}d; 0 (the background) when no direction has such a pair within {@link #FILL_REACH}.
     */
    static double interpolatedExcess(float[] work, float[] b, int[] mask, int exclude, int w, int h, int k) {
        int x = k % w;
        int y = k / w;
        double best = Double.POSITIVE_INFINITY;
        for (int[] d : DIRECTIONS) {
            int a = reach(mask, exclude, w, h, x, y, -d[0], -d[1]);
            int c = reach(mask, exclude, w, h, x, y, d[0], d[1]);
            if (a < 0 || c < 0) {
                continue;
            }
            int ka = (y - a * d[1]) * w + (x - a * d[0]);
            int kc = (y + c * d[1]) * w + (x + c * d[0]);
            double va = work[ka] - b[ka];
            double vc = work[kc] - b[kc];
            double v = va + (vc - va) * a / (a + c);
            if (v < best) {
                best = v;
            }
        }
        return Double.isFinite(best) ? best : 0;
    }

    /** Steps from (x, y) along (dx, dy) to the first pixel that is not excluded, or -1 beyond the reach or the edge. */
    private static int reach(int[] mask, int exclude, int w, int h, int x, int y, int dx, int dy) {
        for (int step = 1; step <= FILL_REACH; step++) {
            int xx = x + step * dx;
            int yy = y + step * dy;
            if (xx < 0 || yy < 0 || xx >= w || yy >= h) {
                return -1;
            }
            if ((mask[yy * w + xx] & exclude) == 0) {
                return step;
            }
        }
        return -1;
    }
}
