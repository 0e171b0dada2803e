package org.lovoccs.simulator.cp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import nom.tam.fits.Header;
import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.MaskedImage;
import org.lovoccs.imaging.cp.BrighterFatterKernel;
import org.lovoccs.imaging.fits.FitsHeaders;
import org.lovoccs.imaging.isr.PostIsrCcd;
import org.lovoccs.simulator.instrument.BrighterFatter;

/**
 * The factor between flat-pair covariances and the kernel, checked numerically against the simulator's own discrete
 * brighter-fatter ({@link BrighterFatter#apply}) with nothing else in the way: white Gaussian noise of variance mu
 * about mu = 30,000 e- on 2048 x 2048 pixels, {@code BrighterFatter.decam()} applied, 8 pairs measured by
 * {@link BrighterFatterKernel#fromProcessedPairs}. The derivation in BrighterFatterKernel predicts
 * X(l) = C_diff(l) / (2 mu^2) = LK(l), the 5-point Laplacian of the true kernel.
 *
 * <p>Criterion, set before measuring: the least-squares amplitude a of the measured X on the true LK over the lags
 * 0 < max(|dx|, |dy|) <= 3 (where LK is large) is within 5% of 1. A factor 2 (or 1/2) error gives a = 2 (0.5). The
 * statistical error of X per lag is 1/(mu sqrt(N_pix)) / sqrt(2 x 8) = 4e-9 against |LK(1, 0)| = 2.7e-7, and the
 * dropped second-order terms are of relative size mu LK(0) / 2 = 1.1%.
 */
class BrighterFatterKernelFactorTest {

    static final int SIZE = 2048;
    static final double MU = 30_000;
    static final int PAIRS = 8;

    /**
     * LK of the simulator's kernel on the grid of radius {@code bf.radius() + 1}, so that no part of LK is cut off:
     * element (dy + R)(2R + 1) + dx + R with R = radius + 1.
     */
    static double[] trueLaplacian(BrighterFatter bf) {
        int kr = bf.radius();
        int ks = 2 * kr + 1;
        int r = kr + 1;
        int side = 2 * r + 1;
        double[] k = bf.kernel();
        double[] padded = new double[side * side];
        for (int y = -kr; y <= kr; y++) {
            for (int x = -kr; x <= kr; x++) {
                padded[(y + r) * side + x + r] = k[(y + kr) * ks + x + kr];
            }
        }
        return BrighterFatterKernel.laplacian(padded, r);
    }

    /** LK(dx, dy) from {@link #trueLaplacian}. */
    static double lk(double[] laplacian, BrighterFatter bf, int dx, int dy) {
        int r = bf.radius() + 1;
        return laplacian[(dy + r) * (2 * r + 1) + dx + r];
    }

    @Test
    void pairCovariancesOverTwoMeanSquaredAreTheKernelsLaplacian() {
        BrighterFatter bf = BrighterFatter.decam();
        List<PostIsrCcd> flats = new ArrayList<>();
        for (int i = 0; i < 2 * PAIRS; i++) {
            MaskedImage mi = MaskedImage.allocate(SIZE, SIZE);
            float[] a = mi.image().array();
            SplittableRandom rng = new SplittableRandom(1000 + i);
            double sd = Math.sqrt(MU);
            for (int p = 0; p < a.length; p++) {
                a[p] = (float) (MU + sd * rng.nextGaussian());
            }
            bf.apply(mi.image());
            Header h = new Header();
            FitsHeaders.add(h, "EXPNUM", 100 + i, "exposure");
            FitsHeaders.add(h, "DETPOS", "S15", "detector");
            FitsHeaders.add(h, "FILTER", "r", "filter");
            FitsHeaders.add(h, "EXPTIME", 15.0, "s");
            flats.add(new PostIsrCcd(mi, h, null));
        }
        int r = 4;
        long t0 = System.nanoTime();
        BrighterFatterKernel k = BrighterFatterKernel.fromProcessedPairs(flats,
                BrighterFatterKernel.Config.defaults().withRadius(r));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(PAIRS, k.pairs());
        double[] truth = trueLaplacian(bf);
        double sxy = 0;
        double syy = 0;
        for (int dy = -3; dy <= 3; dy++) {
            for (int dx = -3; dx <= 3; dx++) {
                if (dx == 0 && dy == 0) {
                    continue;
                }
                double t = lk(truth, bf, dx, dy);
                sxy += k.xcorr(dx, dy) * t;
                syy += t * t;
            }
        }
        double amplitude = sxy / syy;
        double t10 = lk(truth, bf, 1, 0);
        System.out.printf("BFK factor: a = %.4f; X(1,0) = %.4g (LK %.4g, +- %.2g), X(0,0) zero sum %.4g (LK %.4g);"
                + " %d pairs of %dx%d measured in %.1f s%n", amplitude, k.xcorr(1, 0), t10, k.xcorrError()[
                r * (2 * r + 1) + r + 1], k.xcorr(0, 0), lk(truth, bf, 0, 0), PAIRS, SIZE, SIZE,
                seconds);
        assertTrue(Math.abs(amplitude - 1) < 0.05, "amplitude of X on LK " + amplitude + " (goal 1 +- 0.05)");
    }
}
