package org.lovoccs.imaging.isr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.MaskPlane;
import org.lovoccs.imaging.MaskedImage;

/**
 * The cosmic-ray finder on a sky of known stars and hits: hits are masked, and a star a hit lands beside keeps its
 * unmasked core. Seen on 2026-12-05 in a simulated z exposure in 1.3" seeing (ProcessCcdTest, first exposure
 * 364587200, CCD 28 of visit +9): a one-pixel hit 6 px from an 18.4 mag star grew through every pixel of the star above
 * 3 sigma, the whole star was masked CR and interpolated, and its flux came out 1.7 mag faint.
 */
class CosmicRayFinderTest {

    static final int W = 256;
    static final int H = 256;
    static final double SKY = 1500; // e-
    static final double READ_NOISE = 7; // e-

    /** Sky with Gaussian noise of the sky's Poisson and read noise, variance plane set accordingly. */
    static MaskedImage sky(long seed) {
        MaskedImage e = MaskedImage.allocate(W, H);
        SplittableRandom rng = new SplittableRandom(seed);
        float[] im = e.image().array();
        float[] var = e.variance().array();
        for (int k = 0; k < im.length; k++) {
            var[k] = (float) (SKY + READ_NOISE * READ_NOISE);
            im[k] = (float) (SKY + gauss(rng) * Math.sqrt(var[k]));
        }
        return e;
    }

    /** Adds a noiseless circular Gaussian star of {@code fwhm} px and total {@code flux} e- at (x0, y0). */
    static void addStar(MaskedImage e, double x0, double y0, double fwhm, double flux) {
        double s = fwhm / (2 * Math.sqrt(2 * Math.log(2)));
        float[] im = e.image().array();
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                double r2 = (x - x0) * (x - x0) + (y - y0) * (y - y0);
                if (r2 < 100 * s * s) {
                    im[y * W + x] += (float) (flux / (2 * Math.PI * s * s) * Math.exp(-r2 / (2 * s * s)));
                }
            }
        }
    }

    static int crPixels(MaskedImage e) {
        int n = 0;
        for (int m : e.mask().array()) {
            if ((m & MaskPlane.CR.bitmask()) != 0) {
                n++;
            }
        }
        return n;
    }

    static boolean cr(MaskedImage e, int x, int y) {
        return (e.mask().array()[y * W + x] & MaskPlane.CR.bitmask()) != 0;
    }

    @Test
    void aHitBesideAStarDoesNotTakeTheStarWithIt() {
        // the star of the z exposure: FWHM 4.9 px (1.29"), ~900 ADU (3,600 e-) at its peak over the sky
        double fwhm = 4.9;
        double s = fwhm / (2 * Math.sqrt(2 * Math.log(2)));
        double flux = 3600 * 2 * Math.PI * s * s;
        MaskedImage e = sky(11);
        addStar(e, 128, 128, fwhm, flux);
        // a one-pixel hit where the star's wing is still a few sigma above the sky: 6 px along the row, 2 down
        e.image().array()[126 * W + 134] += 2000;
        int n = CosmicRayFinder.find(e, CosmicRayFinder.Config.defaults());
        assertTrue(cr(e, 134, 126), "the hit is masked CR");
        for (int y = 128 - 3; y <= 128 + 3; y++) {
            for (int x = 128 - 3; x <= 128 + 3; x++) {
                assertTrue(!cr(e, x, y), "the star's core at (" + x + ", " + y + ") masked CR; " + n
                        + " CR pixels in all");
            }
        }
        // the hit and at most its eight neighbours
        assertTrue(n <= 9, n + " CR pixels for a one-pixel hit");
        assertEquals(n, crPixels(e));
    }

    @Test
    void aHitOnAStarsCoreIsMaskedWithoutTheWholeStar() {
        double fwhm = 4.9;
        double s = fwhm / (2 * Math.sqrt(2 * Math.log(2)));
        MaskedImage e = sky(12);
        addStar(e, 128.3, 127.6, fwhm, 3600 * 2 * Math.PI * s * s);
        e.image().array()[129 * W + 129] += 3000;
        int n = CosmicRayFinder.find(e, CosmicRayFinder.Config.defaults());
        assertTrue(cr(e, 129, 129), "the hit on the core is masked CR");
        assertTrue(n <= 9, n + " CR pixels for a one-pixel hit on a star");
    }

    @Test
    void tracksAreMaskedAndStarsAloneAreNot() {
        MaskedImage e = sky(13);
        // stars from faint to bright in the best seeing the finder allows for (2.7 px) and in poor seeing (6 px)
        double[] fwhms = {2.7, 3.5, 4.9, 6.0};
        double[] peaks = {300, 3000, 30000};
        int i = 0;
        for (double fwhm : fwhms) {
            for (double peak : peaks) {
                double s = fwhm / (2 * Math.sqrt(2 * Math.log(2)));
                addStar(e, 24 + 18.5 * (i % 12) + 0.3 * i % 1, 200.4, fwhm, peak * 2 * Math.PI * s * s);
                i++;
            }
        }
        // a straight muon track, its charge deposited bilinearly in steps of 0.2 px (as the simulator deposits it)
        float[] im = e.image().array();
        float[] deposit = new float[W * H];
        double x0 = 40.3;
        double y0 = 60.7;
        double x1 = 180.6;
        double y1 = 95.2;
        double length = Math.hypot(x1 - x0, y1 - y0);
        int steps = (int) Math.ceil(length / 0.2);
        double perStep = 70.0 * 15 * length / steps; // 70 e- per um, 15 um pixels
        for (int k = 0; k <= steps; k++) {
            double x = x0 + (x1 - x0) * k / steps;
            double y = y0 + (y1 - y0) * k / steps;
            int ix = (int) Math.floor(x);
            int iy = (int) Math.floor(y);
            double fx = x - ix;
            double fy = y - iy;
            deposit[iy * W + ix] += (float) (perStep * (1 - fx) * (1 - fy));
            deposit[iy * W + ix + 1] += (float) (perStep * fx * (1 - fy));
            deposit[(iy + 1) * W + ix] += (float) (perStep * (1 - fx) * fy);
            deposit[(iy + 1) * W + ix + 1] += (float) (perStep * fx * fy);
        }
        for (int k = 0; k < im.length; k++) {
            im[k] += deposit[k];
        }
        CosmicRayFinder.find(e, CosmicRayFinder.Config.defaults());
        int strong = 0;
        int masked = 0;
        double sigma = Math.sqrt(SKY + READ_NOISE * READ_NOISE);
        for (int k = 0; k < im.length; k++) {
            if (deposit[k] > 10 * sigma) {
                strong++;
                if ((e.mask().array()[k] & MaskPlane.CR.bitmask()) != 0) {
                    masked++;
                }
            }
        }
        assertTrue(strong > 100, "pixels of the track above 10 sigma: " + strong);
        assertEquals(strong, masked, "pixels of the track above 10 sigma masked CR");
        for (int y = 180; y < 220; y++) {
            for (int x = 0; x < W; x++) {
                assertTrue(!cr(e, x, y), "a star alone masked CR at (" + x + ", " + y + ")");
            }
        }
    }

    /**
     * The passes after the first test only the neighbours of what the last pass found: on a sky crowded with tracks
     * and hits, some on stars, the mask and the count are those of testing every pixel every pass, and the later
     * passes do find pixels (so the restriction is exercised).
     */
    @Test
    void laterPassesTestingTheNeighboursOfTheFoundFindWhatTestingEveryPixelFinds() {
        for (long seed = 1; seed <= 4; seed++) {
            MaskedImage e = sky(100 + seed);
            SplittableRandom rng = new SplittableRandom(seed);
            for (int i = 0; i < 25; i++) {
                double fwhm = 2.7 + 3 * rng.nextDouble();
                addStar(e, 10 + 236 * rng.nextDouble(), 10 + 236 * rng.nextDouble(), fwhm,
                        2e3 + 3e5 * rng.nextDouble());
            }
            float[] im = e.image().array();
            for (int t = 0; t < 40; t++) {
                // tracks of 1 to 30 px at any angle, 300 to 3000 e- per pixel, some crossing stars and each other
                double x = 5 + 246 * rng.nextDouble();
                double y = 5 + 246 * rng.nextDouble();
                double a = 2 * Math.PI * rng.nextDouble();
                int len = 1 + rng.nextInt(30);
                double q = 300 + 2700 * rng.nextDouble();
                for (int k = 0; k < len; k++) {
                    int ix = (int) Math.round(x + k * Math.cos(a));
                    int iy = (int) Math.round(y + k * Math.sin(a));
                    if (ix >= 0 && iy >= 0 && ix < W && iy < H) {
                        im[iy * W + ix] += (float) q;
                    }
                }
            }
            for (int b = 0; b < 12; b++) {
                // blobs of 5 to 9 px a side (an alpha's or a low-energy electron's splash): their cores are not
                // sharp against their own charge, only once the pixels around them are found and filled
                int side = 5 + rng.nextInt(5);
                int bx = rng.nextInt(W - side);
                int by = rng.nextInt(H - side);
                double q = 500 + 5000 * rng.nextDouble();
                for (int y = by; y < by + side; y++) {
                    for (int x = bx; x < bx + side; x++) {
                        im[y * W + x] += (float) q;
                    }
                }
            }
            CosmicRayFinder.Config many = new CosmicRayFinder.Config(6.0, 2.5, 2.5, 3.0, 6);
            MaskedImage every = copy(e);
            MaskedImage onePass = copy(e);
            int n = CosmicRayFinder.find(e, many);
            int nEvery = CosmicRayFinder.find(every, many, true);
            int nOne = CosmicRayFinder.find(onePass, new CosmicRayFinder.Config(6.0, 2.5, 2.5, 3.0, 1));
            assertEquals(nEvery, n, "CR pixels, seed " + seed);
            assertTrue(java.util.Arrays.equals(every.mask().array(), e.mask().array()), "the mask, seed " + seed);
            assertTrue(n > nOne, "the later passes found pixels, seed " + seed + ": " + n + " against " + nOne
                    + " in one pass");
        }
    }

    static MaskedImage copy(MaskedImage e) {
        return new MaskedImage(e.image().copy(), new org.lovoccs.imaging.Mask(W, H, e.mask().array().clone()),
                e.variance().copy());
    }

    static double gauss(SplittableRandom rng) {
        double u = rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }
}
