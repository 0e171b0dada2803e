package org.lovoccs.imaging.cp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import nom.tam.fits.Header;
import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.MaskedImage;
import org.lovoccs.imaging.fits.FitsHeaders;
import org.lovoccs.imaging.isr.PostIsrCcd;

/** The Poisson solver, the covariance estimator and the pairing rules of {@link BrighterFatterKernel}. */
class BrighterFatterKernelTest {

    /** The test flats are 128 px wide: two 64-column amplifier strips. */
    private static final BrighterFatterKernel.Config SMALL = BrighterFatterKernel.Config.defaults().withAmpColumns(64);

    /** A two-Gaussian kernel like the simulator's, truncated at the grid (1/e-). */
    private static double[] gaussianKernel(int r) {
        int side = 2 * r + 1;
        double[] k = new double[side * side];
        for (int y = -r; y <= r; y++) {
            for (int x = -r; x <= r; x++) {
                double rr = x * x + y * y;
                k[(y + r) * side + x + r] = 3e-6 * (Math.exp(-rr / 2) / (2 * Math.PI)
                        + 0.3 * Math.exp(-rr / 18) / (18 * Math.PI));
            }
        }
        return k;
    }

    @Test
    void laplacianOfADeltaIsTheFivePointStencil() {
        int r = 2;
        double[] delta = new double[25];
        delta[12] = 1;
        double[] l = BrighterFatterKernel.laplacian(delta, r);
        assertEquals(-4, l[12]);
        assertEquals(1, l[11]);
        assertEquals(1, l[13]);
        assertEquals(1, l[7]);
        assertEquals(1, l[17]);
        assertEquals(0, l[6]);
        assertEquals(0, l[0]);
    }

    @Test
    void poissonSolverInvertsTheForwardModel() {
        int r = 8;
        double[] k = gaussianKernel(r);
        double[] x = BrighterFatterKernel.laplacian(k, r);
        double[] back = BrighterFatterKernel.solvePoisson(x, r);
        double worst = 0;
        for (int i = 0; i < k.length; i++) {
            worst = Math.max(worst, Math.abs(back[i] - k[i]));
        }
        // the kernel's peak is 5e-7 1/e-: the solve is exact up to double rounding
        assertTrue(worst < 1e-18, "max |solved - true| = " + worst + " 1/e-");
        // and it is not the identity: the Laplacian differs from the kernel
        assertTrue(Math.abs(x[r * 17 + r] - k[r * 17 + r]) > 1e-7);
    }

    @Test
    void covarianceRecoversAKnownNeighbourCorrelation() {
        // d = n + b n(x-1, y): C(0) = (1 + b^2) s^2, C(+-1, 0) = b s^2, C(0, 1) = 0
        int w = 512;
        int h = 512;
        double b = 0.3;
        SplittableRandom rng = new SplittableRandom(5);
        double[] n = new double[w * h];
        for (int i = 0; i < n.length; i++) {
            n[i] = rng.nextGaussian();
        }
        float[] d = new float[w * h];
        boolean[] rejected = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                d[y * w + x] = (float) (n[y * w + x] + (x > 0 ? b * n[y * w + x - 1] : 0));
            }
        }
        // rejected pixels (zero in d) are left out of the pair counts: a rejected column and a block
        for (int y = 0; y < h; y++) {
            rejected[y * w + 100] = true;
            d[y * w + 100] = 0;
        }
        for (int y = 200; y < 260; y++) {
            for (int x = 300; x < 340; x++) {
                rejected[y * w + x] = true;
                d[y * w + x] = 0;
            }
        }
        double[] c = BrighterFatterKernel.covariance(d, rejected, w, h, 2);
        // sampling error of each lag over 262,144 pixels: about 1/512 = 0.002
        assertEquals(1 + b * b, c[2 * 5 + 2], 0.01);
        assertEquals(b, c[2 * 5 + 3], 0.01);
        assertEquals(b, c[2 * 5 + 1], 0.01);
        assertEquals(0, c[3 * 5 + 2], 0.01);
        assertEquals(0, c[3 * 5 + 3], 0.01);
    }

    @Test
    void pairsWithARejectedEndAreNotCounted() {
        // d = 1 on kept pixels and 0 on rejected ones: every product of a kept pair is 1, so each lag's covariance
        // is exactly 1 when its pairs are counted right (rejected pixels at the edges, in a column, a block, a pair)
        int w = 97;
        int h = 61;
        boolean[] rejected = new boolean[w * h];
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < rejected.length; i++) {
            rejected[i] = rng.nextDouble() < 0.05;
        }
        for (int y = 0; y < h; y++) {
            rejected[y * w + 40] = true;
            rejected[y * w] = true;
        }
        for (int x = 0; x < w; x++) {
            rejected[(h - 1) * w + x] = true;
        }
        float[] d = new float[w * h];
        for (int i = 0; i < d.length; i++) {
            d[i] = rejected[i] ? 0 : 1;
        }
        double[] c = BrighterFatterKernel.covariance(d, rejected, w, h, 3);
        for (double v : c) {
            assertEquals(1.0, v, 1e-12);
        }
    }

    private static PostIsrCcd flat(int expnum, String detpos, String filter, double exptime, MaskedImage mi) {
        Header h = new Header();
        FitsHeaders.add(h, "EXPNUM", expnum, "exposure");
        FitsHeaders.add(h, "DETPOS", detpos, "detector");
        FitsHeaders.add(h, "CCDNUM", 14, "ccd");
        FitsHeaders.add(h, "OBSTYPE", "dome flat", "type");
        FitsHeaders.add(h, "FILTER", filter, "filter");
        FitsHeaders.add(h, "EXPTIME", exptime, "s");
        return new PostIsrCcd(mi, h, null);
    }

    private static MaskedImage level(double mu, long seed) {
        MaskedImage mi = MaskedImage.allocate(128, 128);
        SplittableRandom rng = new SplittableRandom(seed);
        float[] a = mi.image().array();
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (mu + Math.sqrt(mu) * rng.nextGaussian());
        }
        return mi;
    }

    @Test
    void flatsOfAnotherDetectorAreRefusedByName() {
        List<PostIsrCcd> flats = List.of(flat(1, "S15", "r", 10, level(1e4, 1)), flat(2, "N4", "r", 10,
                level(1e4, 2)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BrighterFatterKernel.fromProcessedPairs(flats, SMALL));
        assertTrue(e.getMessage().contains("EXPNUM 2") && e.getMessage().contains("N4")
                && e.getMessage().contains("S15"), e.getMessage());
    }

    @Test
    void withoutAPairTheMessageSaysWhatIsNeeded() {
        List<PostIsrCcd> flats = List.of(flat(1, "S15", "r", 10, level(1e4, 1)), flat(2, "S15", "g", 10,
                level(1e4, 2)), flat(3, "S15", "r", 20, level(1e4, 3)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BrighterFatterKernel.fromProcessedPairs(flats, SMALL));
        assertTrue(e.getMessage().contains("3 flat(s) gave no pair") && e.getMessage().contains("EXPTIME"),
                e.getMessage());
    }

    @Test
    void flatsOutOfExpnumOrderAreRefused() {
        List<PostIsrCcd> flats = List.of(flat(5, "S15", "r", 10, level(1e4, 1)), flat(4, "S15", "r", 10,
                level(1e4, 2)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BrighterFatterKernel.fromProcessedPairs(flats, SMALL));
        assertTrue(e.getMessage().contains("sorted by EXPNUM"), e.getMessage());
    }

    @Test
    void consecutiveFlatsOfTheSameFilterAndExposureTimePair() {
        // r10 g10 r10 g10 r20 r10: pairs (1,3) and (2,4); 5 has no partner; 6 waits alone
        List<PostIsrCcd> flats = new ArrayList<>();
        String[] f = {"r", "g", "r", "g", "r", "r"};
        double[] t = {10, 10, 10, 10, 20, 10};
        for (int i = 0; i < 6; i++) {
            flats.add(flat(i + 1, "S15", f[i], t[i], level(1e4, i)));
        }
        BrighterFatterKernel k = BrighterFatterKernel.fromProcessedPairs(flats,
                SMALL.withRadius(2));
        assertEquals(2, k.pairs());
        assertEquals(2, k.metadata().getIntValue("BFKUNPRD"));
        StringBuilder history = new StringBuilder();
        k.metadata().iterator().forEachRemaining(c -> history.append(c.toString()).append('\n'));
        assertTrue(history.toString().contains("pair 1+3 r") && history.toString().contains("pair 2+4 g"),
                history.toString());
        // uncorrelated noise: no correlation at any lag beyond the sampling error (1/(mu sqrt(N)) = 8e-7 per pair)
        assertEquals(0, k.xcorr(1, 0), 4e-6);
    }
}
