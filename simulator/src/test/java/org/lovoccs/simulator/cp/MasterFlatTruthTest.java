package org.lovoccs.simulator.cp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.Band;
import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.MaskPlane;
import org.lovoccs.imaging.cp.CalibProduct;
import org.lovoccs.imaging.cp.CalibType;
import org.lovoccs.imaging.cp.MasterBias;
import org.lovoccs.imaging.cp.MasterFlat;
import org.lovoccs.simulator.ObsType;
import org.lovoccs.simulator.campaign.CampaignSpec;
import org.lovoccs.simulator.campaign.PlannedExposure;
import org.lovoccs.simulator.instrument.InstrumentModel;

/**
 * Master flat against the simulator's true flat (illumination x PRNU), both normalised by their median over the CCD:
 * rms of master / truth - 1 below 0.2% (issue 6). Each dome flat is the planner's (10 s, 19,000-21,000 e- x flat),
 * whose photon noise is 0.71% per pixel, so the floor is about 0.72% / sqrt(N) with the clipped mean: the test uses
 * N = 20 r-band flats (floor 0.16%) and a master bias from 30 zeros (1.1 e- per pixel, 6e-5 of the flat level). The
 * CCD's defects (bad columns, hot pixels: the defect list's business, not the flat's) are left out of the comparison.
 */
class MasterFlatTruthTest {

    static final int CCD = 14;
    static final long SEED = 62;
    static final int FLATS = 20;
    static final int ZEROS = 30;

    @Test
    void masterFlatIsWithinTwoPerMilleRmsOfTheTrueFlat() {
        CampaignSpec spec = CpFixtures.spec(SEED, 1, ZEROS, FLATS, List.of(Band.R));
        List<PlannedExposure> zeros = CpFixtures.planned(spec, ObsType.ZERO, null);
        List<PlannedExposure> flats = CpFixtures.planned(spec, ObsType.DOME_FLAT, Band.R);
        assertEquals(FLATS, flats.size());
        CalibProduct bias = MasterBias.build(CpFixtures.raws(zeros, SEED, CCD), MasterBias.Config.defaults());
        long t0 = System.nanoTime();
        CalibProduct flat = MasterFlat.build(CpFixtures.raws(flats, SEED, CCD), bias, MasterFlat.Config.defaults());
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(CalibType.FLAT, flat.type());
        assertEquals(Band.R, flat.band());

        InstrumentModel model = InstrumentModel.of(SEED, CCD);
        boolean[] defect = CpFixtures.defectPixels(model);
        ImageF trueFlat = model.flat(Band.R);
        float[] t = trueFlat.array();
        float[] m = flat.image().image().array();
        int[] mask = flat.image().mask().array();
        float[] sel = new float[t.length];
        int n = 0;
        for (int i = 0; i < t.length; i++) {
            if (!defect[i] && (mask[i] & MaskPlane.NO_DATA.bitmask()) == 0) {
                sel[n++] = t[i];
            }
        }
        float[] sorted = java.util.Arrays.copyOf(sel, n);
        java.util.Arrays.sort(sorted);
        double trueMedian = n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
        double ss = 0;
        double sVar = 0;
        double sTrue = 0;
        long k = 0;
        for (int i = 0; i < t.length; i++) {
            if (defect[i] || (mask[i] & MaskPlane.NO_DATA.bitmask()) != 0) {
                continue;
            }
            double truth = t[i] / trueMedian;
            double r = m[i] / truth - 1;
            ss += r * r;
            sTrue += (truth - 1) * (truth - 1);
            sVar += flat.image().variance().array()[i] / (truth * truth);
            k++;
        }
        double rms = Math.sqrt(ss / k);
        double predicted = Math.sqrt(sVar / k);
        System.out.printf("master flat: %d flats, rms(master/true - 1) = %.4f%% (variance plane %.4f%%; true flat rms"
                + " %.3f%%), %d pixels (%d defect pixels left out), build %.1f s including simulation%n", FLATS,
                100 * rms, 100 * predicted, 100 * Math.sqrt(sTrue / k), k, t.length - k, seconds);
        assertTrue(rms < 0.002, "master flat rms(ratio - 1) " + rms + " (goal < 0.002)");
    }
}
