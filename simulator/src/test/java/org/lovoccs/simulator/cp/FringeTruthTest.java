package org.lovoccs.simulator.cp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Iterator;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.Band;
import org.lovoccs.imaging.MaskPlane;
import org.lovoccs.imaging.MaskedImage;
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
 * Fringe frame from z science exposures against the simulator's fringe pattern F (unit rms; an exposure adds a_k F
 * e-). Criteria, fixed before measuring: the Pearson correlation of the fringe frame with F over the unmasked pixels
 * is > 0.9, and the amplitude fitted in each exposure (least squares of its calibrated image against the frame,
 * converted to e- per unit of F through the frame's regression on F) is within 5% of the true a_k. The test uses 8
 * z exposures of the planner (90 s; sky about 4,000 e-; a_k 1-3% of it), a master bias from 10 zeros and a z master
 * flat from 10 dome flats, on one full CCD.
 */
class FringeTruthTest {

    static final int CCD = 14;
    static final long SEED = 63;
    static final int VISITS = 8;

    @Test
    void fringeFrameMatchesTheTruePatternAndItsAmplitudeFitRecoversEachExposures() {
        CampaignSpec spec = CampaignSpec.preset(CampaignSpec.Scale.TEST, "CP", CpFixtures.RA, CpFixtures.DEC)
                .seed(SEED).bands(List.of(Band.Z)).nights(1).visitsPerBandPerNight(VISITS).zerosPerNight(10)
                .flatsPerBandPerNight(10).build();
        List<PlannedExposure> zeros = CpFixtures.planned(spec, ObsType.ZERO, null);
        List<PlannedExposure> flats = CpFixtures.planned(spec, ObsType.DOME_FLAT, Band.Z);
        List<PlannedExposure> science = CpFixtures.planned(spec, ObsType.SCIENCE, Band.Z);
        assertEquals(VISITS, science.size());
        SkyCatalog sky = new CampaignWriter(spec).sky();
        CalibProduct bias = MasterBias.build(CpFixtures.raws(zeros, SEED, CCD), MasterBias.Config.defaults());
        CalibProduct flat = MasterFlat.build(CpFixtures.raws(flats, SEED, CCD), bias, MasterFlat.Config.defaults());
        long t0 = System.nanoTime();
        SkyPatterns.Config config = SkyPatterns.Config.defaults();
        CalibProduct fringe = SkyPatterns.buildFringe(scienceRaws(science, sky), bias, flat, config);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(CalibType.FRINGE, fringe.type());
        assertEquals(Band.Z, fringe.band());

        float[] truth = InstrumentModel.of(SEED, CCD).fringePattern().array();
        float[] got = fringe.image().image().array();
        int[] mask = fringe.image().mask().array();
        double n = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        for (int i = 0; i < truth.length; i++) {
            if ((mask[i] & MaskPlane.NO_DATA.bitmask()) != 0 || !Float.isFinite(got[i])) {
                continue;
            }
            double x = truth[i];
            double y = got[i];
            n++;
            sx += x;
            sy += y;
            sxx += x * x;
            syy += y * y;
            sxy += x * y;
        }
        double cov = sxy / n - sx / n * sy / n;
        double vx = sxx / n - sx / n * sx / n;
        double vy = syy / n - sy / n * sy / n;
        double corr = cov / Math.sqrt(vx * vy);
        double slope = cov / vx;
        double meanRel = 0;
        for (PlannedExposure e : science) {
            meanRel += e.fringeAmplitude() / e.skyElectrons();
        }
        meanRel /= VISITS;
        System.out.printf("fringe frame: %d z exposures, correlation with the true pattern %.4f, slope %.5f per unit"
                + " of F (mean true a/sky %.5f), %.1f s including simulation%n", VISITS, corr, slope, meanRel,
                seconds);
        assertTrue(corr > 0.9, "correlation " + corr + " (goal > 0.9)");

        double worst = 0;
        Iterator<RawCcd> raws = scienceRaws(science, sky).iterator();
        for (PlannedExposure e : science) {
            MaskedImage img = SkyPatterns.calibrate(raws.next(), config.isr(), bias, flat);
            SkyPatterns.FringeFit fit = SkyPatterns.fitFringe(img, fringe, config.combine().rejectedPlanes(), 3.0, 3);
            double estimate = fit.amplitude() * slope;
            double rel = estimate / e.fringeAmplitude() - 1;
            worst = Math.max(worst, Math.abs(rel));
            System.out.printf("  EXPNUM %d: fitted %.2f e- per unit F (+- %.2f), true %.2f e- (%+.2f%%), sky %.0f e-%n",
                    e.expnum(), estimate, fit.amplitudeError() * slope, e.fringeAmplitude(), 100 * rel,
                    e.skyElectrons());
        }
        assertTrue(worst < 0.05, "worst fitted amplitude error " + worst + " (goal < 5%)");
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
