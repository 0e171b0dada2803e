package org.lovoccs.simulator.cp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.Band;
import org.lovoccs.imaging.MaskPlane;
import org.lovoccs.imaging.cp.CalibProduct;
import org.lovoccs.imaging.cp.CalibType;
import org.lovoccs.imaging.cp.MasterBias;
import org.lovoccs.imaging.cp.MasterFlat;
import org.lovoccs.imaging.cp.SkyPatterns;
import org.lovoccs.imaging.raw.RawCcd;
import org.lovoccs.simulator.ExposureScene;
import org.lovoccs.simulator.ObsType;
import org.lovoccs.simulator.campaign.CampaignSpec;
import org.lovoccs.simulator.campaign.CampaignWriter;
import org.lovoccs.simulator.campaign.PlannedExposure;
import org.lovoccs.simulator.instrument.InstrumentModel;
import org.lovoccs.simulator.universe.SkyCatalog;

/**
 * Sky frame from r science exposures against the truth. The simulator's sky is uniform on the sky and its dome flat
 * illuminates the CCD as the sky does (both are multiplied by the same true flat T = illumination x PRNU), so after
 * dividing by the master flat M an exposure's sky is S x T / M, and the true sky frame (normalised to median 1) is
 * T / M normalised to median 1. The frame is compared with it on large scales, where the sky frame is meant to be
 * used: in 128 x 128 px blocks (16 x 32 blocks), the median over the block of frame / (T / M), with the pixels that
 * are NO_DATA, not finite or in the CCD's defects left out, and the 512 block medians divided by their median.
 *
 * <p>Criteria, fixed before measuring: the rms of the block medians about 1 is below 0.1% and the worst block is
 * within 0.3%. Expected: the frame's photon noise per pixel is about 1 / sqrt(6 x 2,500 e-) = 0.8%, 0.01% in a block
 * median of 16,384 pixels; faint sources below the 5-sigma mask, which the clipped mean of 6 dithered exposures and
 * the block median do not remove entirely, should add less. The test also requires the true flat's own block
 * medians to vary by more than 0.2% rms, so that a sky frame that kept the illumination (flat-fielding gone wrong)
 * would fail the 0.1% criterion; the guess before measuring was about 1%.
 *
 * <p>Measured (2 shared cores): rms 0.064%, worst block 0.102%; the true flat's block rms is 0.31% (not the 1%
 * guessed), so a frame that kept it would fail by a factor of 3. The 0.064% is above the photon-noise floor (0.01%):
 * the faint sources the 5-sigma mask leaves are the likely excess. 78-89 s, nearly all simulation (10 zeros, 10
 * flats and 6 science exposures of a full CCD).
 */
class SkyFrameTruthTest {

    static final int CCD = 14;
    static final long SEED = 71;
    static final int VISITS = 6;
    static final int BLOCK = 128;

    @Test
    void skyFrameIsTrueFlatOverMasterFlatOnLargeScales() {
        CampaignSpec spec = CampaignSpec.preset(CampaignSpec.Scale.TEST, "CP", CpFixtures.RA, CpFixtures.DEC)
                .seed(SEED).bands(List.of(Band.R)).nights(1).visitsPerBandPerNight(VISITS).zerosPerNight(10)
                .flatsPerBandPerNight(10).build();
        List<PlannedExposure> zeros = CpFixtures.planned(spec, ObsType.ZERO, null);
        List<PlannedExposure> flats = CpFixtures.planned(spec, ObsType.DOME_FLAT, Band.R);
        List<PlannedExposure> science = CpFixtures.planned(spec, ObsType.SCIENCE, Band.R);
        assertEquals(VISITS, science.size());
        SkyCatalog sky = new CampaignWriter(spec).sky();
        long t0 = System.nanoTime();
        CalibProduct bias = MasterBias.build(CpFixtures.raws(zeros, SEED, CCD), MasterBias.Config.defaults());
        CalibProduct flat = MasterFlat.build(CpFixtures.raws(flats, SEED, CCD), bias, MasterFlat.Config.defaults());
        CalibProduct frame = SkyPatterns.buildSky(scienceRaws(science, sky), bias, flat,
                SkyPatterns.Config.defaults());
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(CalibType.SKY, frame.type());
        assertEquals(Band.R, frame.band());

        InstrumentModel model = InstrumentModel.of(SEED, CCD);
        float[] trueFlat = model.flat(Band.R).array();
        float[] master = flat.image().image().array();
        float[] got = frame.image().image().array();
        int[] mask = frame.image().mask().array();
        boolean[] defects = CpFixtures.defectPixels(model);
        int w = model.width();
        int h = model.height();
        int bx = w / BLOCK;
        int by = h / BLOCK;
        double[] ratio = new double[bx * by];
        double[] flatBlocks = new double[bx * by];
        float[] values = new float[BLOCK * BLOCK];
        float[] flatValues = new float[BLOCK * BLOCK];
        for (int j = 0; j < by; j++) {
            for (int i = 0; i < bx; i++) {
                int n = 0;
                for (int y = j * BLOCK; y < (j + 1) * BLOCK; y++) {
                    for (int x = i * BLOCK; x < (i + 1) * BLOCK; x++) {
                        int p = y * w + x;
                        double expected = trueFlat[p] / master[p];
                        if (defects[p] || (mask[p] & MaskPlane.NO_DATA.bitmask()) != 0 || !Float.isFinite(got[p])
                                || !(expected > 0) || !Double.isFinite(expected)) {
                            continue;
                        }
                        values[n] = (float) (got[p] / expected);
                        flatValues[n++] = trueFlat[p];
                    }
                }
                assertTrue(n > BLOCK * BLOCK / 2, "block " + i + "," + j + " has only " + n + " usable pixels");
                ratio[j * bx + i] = median(values, n);
                flatBlocks[j * bx + i] = median(flatValues, n);
            }
        }
        double rms = rmsAboutOne(ratio);
        double worst = 0;
        double norm = median(ratio);
        for (double r : ratio) {
            worst = Math.max(worst, Math.abs(r / norm - 1));
        }
        double flatRms = rmsAboutOne(flatBlocks);
        System.out.printf("sky frame: %d r exposures, %d blocks of %d px: rms(frame / (T/M) - 1) = %.4f%%, worst"
                        + " %.4f%% (true flat's block rms %.3f%%), %.1f s including simulation%n", VISITS, ratio.length,
                BLOCK, 100 * rms, 100 * worst, 100 * flatRms, seconds);
        assertTrue(flatRms > 0.002, "the true flat's large-scale structure (" + flatRms + " rms) must exceed the"
                + " criterion for the comparison to tell a flat-fielded sky frame from one that kept it");
        assertTrue(rms < 0.001, "rms of the block medians " + rms + " (goal < 0.1%)");
        assertTrue(worst < 0.003, "worst block " + worst + " (goal within 0.3%)");
    }

    /** The rms about 1 of values divided by their median. */
    private static double rmsAboutOne(double[] v) {
        double m = median(v);
        double s = 0;
        for (double x : v) {
            s += (x / m - 1) * (x / m - 1);
        }
        return Math.sqrt(s / v.length);
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : 0.5 * (c[c.length / 2 - 1] + c[c.length / 2]);
    }

    private static double median(float[] v, int n) {
        float[] c = Arrays.copyOf(v, n);
        Arrays.sort(c);
        return n % 2 == 1 ? c[n / 2] : 0.5 * (c[n / 2 - 1] + c[n / 2]);
    }

    private static Iterable<RawCcd> scienceRaws(List<PlannedExposure> science, SkyCatalog sky) {
        return () -> new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < science.size();
            }

            @Override
            public RawCcd next() {
                return CpFixtures.SIMULATOR.simulateCcd(new ExposureScene("CP", science.get(i++), sky, SEED, true),
                        CCD).toRawCcd();
            }
        };
    }
}
