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
 * never sharper than the sharpest PSF, cosmic rays (deposited in one or a few pixels) are. Candidates are grown into
 * their neighbours above {@code growSigma}, and the search is repeated with found pixels replaced by their
 * surroundings (a track's inner pixels have bright neighbours along the track, but not across it).
 *
 * @see <a href="https://doi.org/10.1086/323894">Lupton et al. 2001 (SDSS photo)</a>
 */
public final class CosmicRayFinder {

    /**
     * @param minSigma   detection threshold above the background, in units of the pixel's noise
     * @param cond3      the noise allowance in the sharpness test, in sigmas (LSST's cond3_fac)
     * @param minPsfFwhm the sharpest PSF the sky can have, pixels (DECam's best seeing ~0.7" = 2.7 px)
     * @param growSigma  neighbours above this many sigma join a cosmic ray
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
            // grow into connected neighbours above growSigma
            for (int i = 0; i < tail; i++) {
                mask[queue[i]] |= cr;
                found++;
            }
            for (int head = 0; head < tail; head++) {
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
            // the next pass sees found pixels as the background, so a track's inner pixels lose their bright
            // neighbours along the track
            for (int k = 0; k < work.length; k++) {
                if ((mask[k] & cr) != 0) {
                    work[k] = b[k];
                }
            }
        }
        return total;
    }
}
