package org.lovoccs.simulator.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.ImageF;

class BrighterFatterTest {

    private static final int N = 96;
    private static final double C = 47.3;

    private static ImageF star(double peak, double sky) {
        ImageF im = new ImageF(N, N);
        double sig = 4.0 / 2.3548;
        for (int y = 0; y < N; y++) {
            for (int x = 0; x < N; x++) {
                double r2 = (x - C) * (x - C) + (y - C) * (y - C);
                im.set(x, y, (float) (sky + peak * Math.exp(-0.5 * r2 / (sig * sig))));
            }
        }
        return im;
    }

    private static double sum(ImageF im) {
        double s = 0;
        for (float v : im.array()) {
            s += v;
        }
        return s;
    }

    /** Second moment about the true centre, of the image minus {@code sky}. */
    private static double secondMoment(ImageF im, double sky) {
        double s = 0;
        double m = 0;
        for (int y = 0; y < N; y++) {
            for (int x = 0; x < N; x++) {
                double v = im.get(x, y) - sky;
                s += v;
                m += v * ((x - C) * (x - C) + (y - C) * (y - C));
            }
        }
        return m / s;
    }

    @Test
    void brightStarBroadensByAboutOnePercentAndChargeIsConserved() {
        ImageF im = star(150000, 0);
        double before = sum(im);
        double m0 = secondMoment(im, 0);
        BrighterFatter.decam().apply(im);
        assertEquals(before, sum(im), 1e-6 * before);
        double growth = Math.sqrt(secondMoment(im, 0) / m0) - 1;
        assertTrue(growth > 0.008 && growth < 0.025, "FWHM growth " + growth);
        assertTrue(im.get(47, 47) < star(150000, 0).get(47, 47), "peak lowered");
    }

    @Test
    void faintStarIsUnchangedTo1e4() {
        ImageF im = star(150, 0);
        double before = sum(im);
        double m0 = secondMoment(im, 0);
        BrighterFatter.decam().apply(im);
        assertEquals(before, sum(im), 1e-6 * before);
        assertEquals(1.0, secondMoment(im, 0) / m0, 1e-4);
        ImageF ref = star(150, 0);
        for (int k = 0; k < im.array().length; k++) {
            assertEquals(ref.array()[k], im.array()[k], 1e-4 * 150);
        }
    }

    @Test
    void effectGrowsWithFluxOnSky() {
        double g1 = growth(20000);
        double g2 = growth(80000);
        assertTrue(g2 > 3 * g1 && g1 > 0, g1 + " " + g2);
    }

    private static double growth(double peak) {
        ImageF im = star(peak, 1000);
        double before = sum(im);
        double m0 = secondMoment(im, 1000);
        BrighterFatter.decam().apply(im);
        assertEquals(before, sum(im), 1e-6 * before);
        return Math.sqrt(secondMoment(im, 1000) / m0) - 1;
    }

    @Test
    void uniformImageIsUnchangedAndKernelIsConsistent() {
        ImageF im = new ImageF(64, 80);
        im.fill(40000f);
        BrighterFatter bf = BrighterFatter.decam();
        bf.apply(im);
        for (float v : im.array()) {
            assertEquals(40000f, v, 0f);
        }
        double[] k = bf.kernel();
        int n = 2 * bf.radius() + 1;
        double s = 0;
        for (double v : k) {
            s += v;
        }
        assertEquals(bf.strength() * 1.3, s, 1e-9 * s);
        assertEquals(k[bf.radius() * n + bf.radius() + 2], k[(bf.radius() + 2) * n + bf.radius()], 0.0);
    }

    @Test
    void fullCcdTakesUnderTwoSecondsWarm() {
        ImageF big = new ImageF(2048, 4096);
        big.fill(1000f);
        big.set(1000, 2000, 150000f);
        BrighterFatter bf = BrighterFatter.decam();
        bf.apply(big);
        long t = System.nanoTime();
        bf.apply(big);
        double seconds = (System.nanoTime() - t) / 1e9;
        System.out.printf("BrighterFatter 2048x4096: %.2f s%n", seconds);
        assertTrue(seconds < 2.0, "took " + seconds + " s");
    }
}
