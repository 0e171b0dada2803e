package org.lovoccs.imaging.isr;

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
        double s = config.minPsfFwhm() / (2 * Math.sqrt(2 * Math.log(2)));
        double r1 = Math.exp(-1.0 / (2 * s * s));
        double r2 = Math.exp(-2.0 / (2 * s * s));
        // neighbours in the four directions (row, column, two diagonals) are k + off[d] and k - off[d]
        int[] off = {1, w, w + 1, 1 - w};
        double[] ratio = {r1, r1, r2, r2};
        double minSigma = config.minSigma();
        double cond3 = config.cond3();
        double growSigma = config.growSigma();
        // p > minSigma sqrt(v) needs p > 0 and p^2 > minSigma^2 v: pixels well below that skip the square root
        boolean noPrefilter = !(minSigma > 0);
        double prefilter = noPrefilter ? 0 : minSigma * minSigma * (1 - 1e-9);
        int total = 0;
        int[] queue = new int[1024];
        for (int pass = 0; pass < config.passes(); pass++) {
            int found = 0;
            // candidates in increasing index order, then grown breadth first: the order of the pixel-by-pixel search
            int tail = 0;
            for (int y = 1; y < h - 1; y++) {
                for (int x = 1; x < w - 1; x++) {
                    int k = y * w + x;
                    double p = work[k] - b[k];
                    double vk = Math.max(var[k], 1e-6);
                    // one branch for the common case (unmasked sky, far below the threshold), without the
                    // unpredictable ones on each condition
                    if (!(((mask[k] & (skip | cr)) == 0) & (noPrefilter | ((p > 0) & (p * p >= prefilter * vk))))) {
                        continue;
                    }
                    double sig = Math.sqrt(vk);
                    if (!(p > minSigma * sig)) {
                        continue;
                    }
                    for (int d = 0; d < 4; d++) {
                        int k1 = k + off[d];
                        int k2 = k - off[d];
                        double n = 0.5 * (work[k1] - b[k1] + work[k2] - b[k2]);
                        double sn = 0.5 * Math.sqrt(Math.max(var[k1], 0) + Math.max(var[k2], 0));
                        if ((p - cond3 * sig) * ratio[d] > n + cond3 * sn) {
                            if (tail == queue.length) {
                                queue = java.util.Arrays.copyOf(queue, 2 * tail);
                            }
                            queue[tail++] = k;
                            break;
                        }
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
                            if (tail == queue.length) {
                                queue = java.util.Arrays.copyOf(queue, 2 * tail);
                            }
                            queue[tail++] = n;
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
        }
        return total;
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
