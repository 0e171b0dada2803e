package org.lovoccs.imaging.cp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import nom.tam.fits.Header;
import nom.tam.fits.HeaderCard;
import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.Band;
import org.lovoccs.imaging.MaskedImage;
import org.lovoccs.imaging.characterize.BackgroundConfig;
import org.lovoccs.imaging.isr.PostIsrCcd;

/**
 * {@link SkyPatterns#fringeFromProcessed} and {@link SkyPatterns#skyFromProcessed}, the calibration service's entry
 * points, on synthetic calibrated exposures (e-) with a known pattern: sky level S_k x (1 + g(x, y)) + a_k S_k f(x, y)
 * with photon noise, where g is a smooth large-scale gradient (what a sky frame keeps) and f a fringe of 24 px period
 * (what a fringe frame keeps, per unit of sky). 256 x 512 pixels and 128 px background meshes keep it quick; the
 * meshes are still five fringe periods wide, as the 512 px default is to DECam's 20-100 px fringes.
 */
class SkyPatternsFromProcessedTest {
    private static final int W = 256;
    private static final int H = 512;
    /** fringe amplitude relative to the sky, as the simulator's z fringes (1-3%) */
    private static final double FRINGE = 0.03;

    private static SkyPatterns.Config config() {
        SkyPatterns.Config d = SkyPatterns.Config.defaults();
        return new SkyPatterns.Config(d.isr(), BackgroundConfig.defaults().withMeshSize(128), d.detectSigma(),
                d.growRadius(), d.combine(), 0.0);
    }

    private static double gradient(int x, int y) {
        return 0.05 * (y - H / 2.0) / H;
    }

    private static double fringe(int x, int y) {
        return Math.sin(2 * Math.PI * (x + 0.5 * y) / 24.0);
    }

    private static PostIsrCcd exposure(int expnum, String filter, String detpos, double sky, double fringeAmp,
                                       Random rng) throws Exception {
        MaskedImage mi = MaskedImage.allocate(W, H);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                double mean = sky * (1 + gradient(x, y)) + fringeAmp * sky * fringe(x, y);
                mi.image().set(x, y, (float) (mean + Math.sqrt(mean) * rng.nextGaussian()));
                mi.variance().set(x, y, (float) mean);
            }
        }
        Header h = new Header();
        h.addLine(new HeaderCard("EXPNUM", expnum, "exposure number"));
        h.addLine(new HeaderCard("OBSTYPE", "object", "observation type"));
        h.addLine(new HeaderCard("FILTER", filter, "filter"));
        h.addLine(new HeaderCard("DETPOS", detpos, "detector position"));
        h.addLine(new HeaderCard("CCDNUM", 14, "CCD number"));
        return new PostIsrCcd(mi, h, new Header());
    }

    private static List<PostIsrCcd> stack(String filter, double fringeAmp) throws Exception {
        Random rng = new Random(7);
        List<PostIsrCcd> l = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            l.add(exposure(1000 + k, filter, "S15", 3000 + 500 * k, fringeAmp, rng));
        }
        return l;
    }

    /** Correlation of a frame with a pattern over the pixels with a finite value. */
    private static double correlation(MaskedImage m, java.util.function.BiFunction<Integer, Integer, Double> pattern) {
        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        long n = 0;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                double a = m.image().get(x, y);
                if (!Double.isFinite(a)) {
                    continue;
                }
                double b = pattern.apply(x, y);
                sa += a;
                sb += b;
                saa += a * a;
                sbb += b * b;
                sab += a * b;
                n++;
            }
        }
        double cov = sab / n - sa / n * sb / n;
        return cov / Math.sqrt((saa / n - sa / n * sa / n) * (sbb / n - sb / n * sb / n));
    }

    @Test
    void fringeFrameIsTheFringePerUnitOfSky() throws Exception {
        CalibProduct f = SkyPatterns.fringeFromProcessed(stack("z DECam SDSS c0004 9260.0 1520.0", FRINGE), config());
        assertEquals(CalibType.FRINGE, f.type());
        assertEquals(Band.Z, f.band());
        // per pixel noise of the frame: sqrt(S)/S/sqrt(4) ~ 0.9% at S ~ 3,750 e-, against a 3% x sqrt(1/2) rms fringe
        double r = correlation(f.image(), (x, y) -> fringe(x, y));
        assertTrue(r > 0.9, "correlation with the true fringe " + r);
        // the amplitude: regression slope of the frame on the pattern, within 5% of FRINGE
        double sab = 0, sbb = 0;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                double a = f.image().image().get(x, y);
                if (Double.isFinite(a)) {
                    sab += a * fringe(x, y);
                    sbb += fringe(x, y) * fringe(x, y);
                }
            }
        }
        assertEquals(FRINGE, sab / sbb, 0.05 * FRINGE, "fringe per unit of sky");
    }

    /** Exposure k of {@link #stack} with 30 Gaussian stars (sigma 2 px, peak 2,000-20,000 e-) at its own places. */
    private static List<PostIsrCcd> starryStack() throws Exception {
        List<PostIsrCcd> l = stack("z DECam SDSS c0004 9260.0 1520.0", FRINGE);
        Random rng = new Random(11);
        for (PostIsrCcd p : l) {
            for (int i = 0; i < 30; i++) {
                double cx = 10 + rng.nextDouble() * (W - 20);
                double cy = 10 + rng.nextDouble() * (H - 20);
                double peak = 2000 + 18000 * rng.nextDouble();
                for (int y = (int) cy - 12; y <= (int) cy + 12; y++) {
                    for (int x = (int) cx - 12; x <= (int) cx + 12; x++) {
                        if (x >= 0 && y >= 0 && x < W && y < H) {
                            double r2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
                            p.image().image().set(x, y, (float) (p.image().image().get(x, y)
                                    + peak * Math.exp(-0.5 * r2 / 4.0)));
                        }
                    }
                }
            }
        }
        return l;
    }

    /**
     * {@link SkyPatterns#withoutInput} gives the frame of the other exposures: exactly without smoothing, to within
     * 15% of the whole frame's difference with a 1 px smoothing (the others' mean is smoothed with weights there).
     * Clipping is off: the algebra assumes the exposure's own values were kept, and with 4 inputs the first
     * (median/IQR) pass clips 3.7% of the values of this stack; with 3 (ZBand, FringeOwnContributionTest) the later
     * passes put almost all of them back.
     */
    @Test
    void withoutInputIsTheFrameOfTheOtherExposures() throws Exception {
        for (double sigma : new double[] {0.0, 1.0}) {
            SkyPatterns.Config c = config();
            SkyPatterns.Config cfg = new SkyPatterns.Config(c.isr(), c.background(), c.detectSigma(),
                    c.growRadius(), c.combine().withClipSigma(1000), sigma);
            // as the ISR service reads it: through the calibration's FITS file (HISTORY inputs, COUNT plane)
            CalibProduct all = CalibProductFormatter.read(CalibProductFormatter.toBytes(
                    SkyPatterns.fringeFromProcessed(starryStack(), cfg)));
            assertEquals(List.of("1000", "1001", "1002", "1003"), SkyPatterns.inputExpnums(all.metadata()));
            for (int k = 0; k < 4; k++) {
                List<PostIsrCcd> others = starryStack();
                PostIsrCcd own = others.remove(k);
                CalibProduct expected = SkyPatterns.fringeFromProcessed(others, cfg);
                CalibProduct got = SkyPatterns.withoutInput(all, own.image(), String.valueOf(1000 + k));
                assertTrue(got != all, "exposure " + k + " not recognised among the inputs");
                double dd = 0;
                double de = 0;
                long n = 0;
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        double e = expected.image().image().get(x, y);
                        double g = got.image().image().get(x, y);
                        if (Double.isFinite(e) && Double.isFinite(g)) {
                            dd += (g - e) * (g - e);
                            double a = all.image().image().get(x, y);
                            de += (a - e) * (a - e);
                            n++;
                        }
                    }
                }
                double rmsGot = Math.sqrt(dd / n);
                double rmsAll = Math.sqrt(de / n);
                assertTrue(n > 0.97 * W * H, "only " + n + " pixels compared");
                assertTrue(sigma == 0 ? rmsGot < 1e-6 : rmsGot < 0.15 * rmsAll, "smoothing " + sigma + ", exposure "
                        + k + ": rms " + rmsGot + " from the others' frame (the whole frame: " + rmsAll + ")");
            }
            // an exposure that is not an input: the frame itself
            assertTrue(SkyPatterns.withoutInput(all, starryStack().get(0).image(), "999") == all);
        }
    }

    @Test
    void skyFrameIsTheLargeScalePatternWithMedianOne() throws Exception {
        CalibProduct s = SkyPatterns.skyFromProcessed(stack("r DECam SDSS c0002 6415.0 1480.0", 0.0), config());
        assertEquals(CalibType.SKY, s.type());
        assertEquals(Band.R, s.band());
        // median 1 and the 5% top-to-bottom gradient: mean of 16-row bands at the bottom and the top
        assertEquals(1.0, PixelStats.median(s.image(), 0), 2e-3, "median");
        double bottom = rowsMean(s.image(), 0, 16);
        double top = rowsMean(s.image(), H - 16, H);
        assertEquals(0.05 * (H - 16.0) / H, top - bottom, 0.005, "the gradient kept by the sky frame");
    }

    @Test
    void refusesMixedBandsAndNothing() throws Exception {
        List<PostIsrCcd> mixed = new ArrayList<>(stack("z DECam SDSS c0004 9260.0 1520.0", FRINGE));
        mixed.add(exposure(2000, "i DECam SDSS c0003 7835.0 1470.0", "S15", 3000, 0, new Random(1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SkyPatterns.fringeFromProcessed(mixed, config()));
        assertTrue(e.getMessage().contains("EXPNUM 2000") && e.getMessage().contains("band"), e.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> SkyPatterns.skyFromProcessed(List.of(), config()));
        assertTrue(none.getMessage().contains("no exposures"), none.getMessage());
    }

    private static double rowsMean(MaskedImage m, int y0, int y1) {
        double s = 0;
        long n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = 0; x < W; x++) {
                double v = m.image().get(x, y);
                if (Double.isFinite(v)) {
                    s += v;
                    n++;
                }
            }
        }
        return s / n;
    }
}
