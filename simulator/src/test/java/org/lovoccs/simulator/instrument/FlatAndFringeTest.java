package org.lovoccs.simulator.instrument;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.Band;
import org.lovoccs.imaging.ImageF;
import org.lovoccs.simulator.DecamCamera;
import org.lovoccs.simulator.DecamCcd;

class FlatAndFringeTest {

    private static final long SEED = 20240310L;
    private static final int W = DecamCamera.CCD_WIDTH;
    private static final int H = DecamCamera.CCD_HEIGHT;

    private static double rowMean(ImageF im, int y) {
        double s = 0;
        for (int x = 0; x < W; x++) {
            s += im.get(x, y);
        }
        return s / W;
    }

    @Test
    void illuminationHasUnitMeanOverTheCameraAndFallsOffOutwards() {
        DecamCamera cam = DecamCamera.standard();
        LargeScaleIllumination ill = new LargeScaleIllumination(SEED, cam);
        for (Band b : Band.values()) {
            // independent estimate of the focal-plane mean: a different grid than the normalisation's (37 x 71 per CCD)
            double s = 0;
            long n = 0;
            for (DecamCcd c : cam.ccds()) {
                for (int j = 0; j < 71; j++) {
                    for (int i = 0; i < 37; i++) {
                        s += ill.value(b, c.xMinMm() + (i + 0.5) / 37 * (c.xMaxMm() - c.xMinMm()),
                                c.yMinMm() + (j + 0.5) / 71 * (c.yMaxMm() - c.yMinMm()));
                        n++;
                    }
                }
            }
            assertEquals(1.0, s / n, 1e-4, b.toString());
            double centre = ill.value(b, 0, 0);
            double edge = ill.value(b, 200, 0);
            double drop = 1 - edge / centre;
            assertTrue(drop > 0.01 && drop < 0.09, b + " falloff " + drop);
        }
        assertTrue(ill.falloff(Band.U) > ill.falloff(Band.Z));
    }

    @Test
    void flatHasPrnuOfTheStatedRmsAndMeanNearOne() {
        InstrumentModel m = InstrumentModel.of(SEED, 28);
        ImageF flat = m.flat(Band.R);
        ImageF ill = m.illuminationImage(Band.R);
        double s = 0;
        double s2 = 0;
        double mean = 0;
        for (int k = 0; k < W * H; k++) {
            double r = flat.array()[k] / ill.array()[k] - 1;
            s += r;
            s2 += r * r;
            mean += flat.array()[k];
        }
        int n = W * H;
        double rms = Math.sqrt(s2 / n - (s / n) * (s / n));
        assertEquals(m.prnuRms(Band.R), rms, 0.01 * m.prnuRms(Band.R));
        assertTrue(m.prnuRms(Band.R) >= 0.005 && m.prnuRms(Band.R) <= 0.01);
        assertEquals(0.0, s / n, 5 * m.prnuRms(Band.R) / Math.sqrt(n));
        // S4 is next to the optical axis: above the camera mean of 1, by less than the falloff
        assertTrue(mean / n > 1.0 && mean / n < 1.05, "mean " + mean / n);
    }

    @Test
    void flatJoinsContinuouslyAcrossTheN4N5Gap() {
        // N5 lies above N4 with a 2.3 mm gap; their columns are aligned to 0.07 mm
        ImageF n4 = InstrumentModel.of(SEED, 35).flat(Band.G);
        ImageF n5 = InstrumentModel.of(SEED, 36).flat(Band.G);
        double top = rowMean(n4, H - 1);
        double bottom = rowMean(n5, 0);
        assertEquals(1.0, bottom / top, 0.002);
        // the large-scale flat varies smoothly: within 2% from bottom to top of N4
        assertTrue(Math.abs(rowMean(n4, 0) / top - 1) < 0.02);
    }

    @Test
    void flatIsDeterministicPerSeedAndCcd() {
        float[] a = InstrumentModel.of(SEED, 10).flat(Band.I).array();
        float[] b = InstrumentModel.of(SEED, 10).flat(Band.I).array();
        float[] c = InstrumentModel.of(SEED + 1, 10).flat(Band.I).array();
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
    }

    @Test
    void fringePatternHasUnitRmsZeroMeanAndTensOfPixelScales() {
        for (int ccd : new int[] {1, 28, 36}) {
            ImageF f = InstrumentModel.of(SEED, ccd).fringePattern();
            double s = 0;
            double s2 = 0;
            for (float v : f.array()) {
                s += v;
                s2 += v * v;
            }
            int n = W * H;
            assertEquals(1.0, Math.sqrt(s2 / n), 0.03, "rms on CCD " + ccd);
            assertEquals(0.0, s / n, 0.05, "mean on CCD " + ccd);
            // mean distance between sign changes along rows and columns = half the local fringe period
            long crossings = 0;
            for (int y = 0; y < H; y += 64) {
                for (int x = 1; x < W; x++) {
                    if ((f.get(x, y) > 0) != (f.get(x - 1, y) > 0)) {
                        crossings++;
                    }
                }
            }
            for (int x = 0; x < W; x += 64) {
                for (int y = 1; y < H; y++) {
                    if ((f.get(x, y) > 0) != (f.get(x, y - 1) > 0)) {
                        crossings++;
                    }
                }
            }
            double halfPeriod = (64.0 * (W - 1) + 32.0 * (H - 1)) / crossings;
            assertTrue(halfPeriod > 5 && halfPeriod < 75, "CCD " + ccd + " half period " + halfPeriod);
        }
    }

    @Test
    void fringeImageMatchesTheFocalPlaneFunctionSoItIsContinuousAcrossCcds() {
        FringeModel fm = new FringeModel(SEED);
        DecamCcd n4 = DecamCamera.standard().ccd("N4");
        ImageF img = fm.image(n4);
        double p = DecamCamera.PIXEL_SIZE_MM;
        for (int[] xy : new int[][] {{0, 0}, {2047, 4095}, {1000, 17}, {5, 3000}}) {
            double direct = fm.value(n4.xMinMm() + (xy[0] + 0.5) * p, n4.yMinMm() + (xy[1] + 0.5) * p);
            assertEquals(direct, img.get(xy[0], xy[1]), 1e-4);
        }
        // one pixel step changes the pattern by much less than its range (the phase moves < 1 rad per pixel)
        double maxStep = 0;
        for (int x = 1; x < W; x++) {
            maxStep = Math.max(maxStep, Math.abs(img.get(x, 2000) - img.get(x - 1, 2000)));
        }
        assertTrue(maxStep < 1.0, "max step " + maxStep);
    }

    @Test
    void fringeAmplitudeIsAFewPercentOfSkyInZOnly() {
        for (long s = 0; s < 50; s++) {
            double z = FringeModel.amplitudeElectrons(s, Band.Z, 5000);
            assertTrue(z >= 50 && z <= 150, "z " + z);
            assertEquals(0.0, FringeModel.amplitudeElectrons(s, Band.R, 5000));
            double i = FringeModel.amplitudeElectrons(s, Band.I, 5000);
            assertTrue(i > 0 && i < z);
        }
        assertEquals(FringeModel.amplitudeElectrons(7, Band.Z, 1000), FringeModel.amplitudeElectrons(7, Band.Z, 1000));
        assertTrue(FringeModel.amplitudeElectrons(7, Band.Z, 1000) != FringeModel.amplitudeElectrons(8, Band.Z, 1000));
    }
}
