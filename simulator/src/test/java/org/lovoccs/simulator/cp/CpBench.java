package org.lovoccs.simulator.cp;

import java.util.ArrayList;
import java.util.List;

import org.lovoccs.imaging.Band;
import org.lovoccs.imaging.cp.CalibProduct;
import org.lovoccs.imaging.cp.MasterBias;
import org.lovoccs.imaging.cp.MasterFlat;
import org.lovoccs.imaging.raw.RawCcd;
import org.lovoccs.simulator.ObsType;
import org.lovoccs.simulator.campaign.CampaignSpec;
import org.lovoccs.simulator.campaign.PlannedExposure;

/**
 * Master bias and master flat build times for one 2048 x 4096 CCD from raws held in memory (simulated first, not
 * timed): {@code CpBench ZEROS FLATS REPETITIONS}. Prints one RESULT line per product with the median time.
 */
public final class CpBench {

    private CpBench() {
    }

    public static void main(String[] args) {
        int zeros = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int flats = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        CampaignSpec spec = CpFixtures.spec(5, 1, zeros, flats, List.of(Band.R));
        List<RawCcd> z = materialise(CpFixtures.planned(spec, ObsType.ZERO, null), 14);
        List<RawCcd> f = materialise(CpFixtures.planned(spec, ObsType.DOME_FLAT, Band.R), 14);
        double[] tb = new double[reps];
        double[] tf = new double[reps];
        CalibProduct bias = null;
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            bias = MasterBias.build(z, MasterBias.Config.defaults());
            long t1 = System.nanoTime();
            MasterFlat.build(f, bias, MasterFlat.Config.defaults());
            long t2 = System.nanoTime();
            tb[r] = (t1 - t0) / 1e9;
            tf[r] = (t2 - t1) / 1e9;
            System.out.printf("rep %d: master bias %.2f s, master flat %.2f s%n", r + 1, tb[r], tf[r]);
        }
        java.util.Arrays.sort(tb);
        java.util.Arrays.sort(tf);
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf("RESULT master bias, %d zeros 2048x4096 (ISR + combine): median %.2f s (%.0f ms per zero),"
                + " %d cores%n", zeros, tb[reps / 2], 1000 * tb[reps / 2] / zeros, cores);
        System.out.printf("RESULT master flat, %d flats 2048x4096 (ISR + bias + median + combine + normalise): median"
                + " %.2f s (%.0f ms per flat), %d cores%n", flats, tf[reps / 2], 1000 * tf[reps / 2] / flats, cores);
    }

    private static List<RawCcd> materialise(List<PlannedExposure> exposures, int ccd) {
        List<RawCcd> out = new ArrayList<>();
        for (RawCcd r : CpFixtures.raws(exposures, 5, ccd)) {
            out.add(r);
        }
        return out;
    }
}
