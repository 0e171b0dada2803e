package org.lovoccs.simulator.cp;

import java.util.ArrayList;
import java.util.List;

import org.lovoccs.imaging.Band;
import org.lovoccs.imaging.cp.BrighterFatterKernel;
import org.lovoccs.imaging.cp.CalibProduct;
import org.lovoccs.imaging.cp.CalibrationSteps;
import org.lovoccs.imaging.cp.MasterBias;
import org.lovoccs.imaging.isr.IsrTask;
import org.lovoccs.imaging.isr.PostIsrCcd;
import org.lovoccs.imaging.raw.RawCcd;
import org.lovoccs.simulator.ObsType;
import org.lovoccs.simulator.campaign.CampaignSpec;

/**
 * Brighter-fatter kernel measurement time for pairs of 2048 x 4096 flats already through ISR and bias subtraction
 * (the calibration service's {@link BrighterFatterKernel#fromProcessedPairs} on cpFlatProc), held in memory:
 * {@code BfkBench PAIRS REPETITIONS}. The flats are the truth test's (r, 10 s, about 80,000 e-). Prints one RESULT
 * line with the median time and the time per pair.
 */
public final class BfkBench {

    private BfkBench() {
    }

    public static void main(String[] args) {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        CampaignSpec spec = CpFixtures.spec(5, 1, 3, 2 * pairs, List.of(Band.R));
        CalibProduct bias = MasterBias.build(CpFixtures.raws(CpFixtures.planned(spec, ObsType.ZERO, null), 5, 14),
                MasterBias.Config.defaults());
        BrighterFatterKernel.Config config = BrighterFatterKernel.Config.defaults();
        List<PostIsrCcd> flats = new ArrayList<>();
        for (RawCcd raw : CpFixtures.raws(CpFixtures.planned(spec, ObsType.DOME_FLAT, Band.R).stream()
                .map(BrighterFatterKernelTruthTest::brighter).toList(), 5, 14)) {
            PostIsrCcd p = IsrTask.run(raw, config.isr()).toPostIsrCcd();
            CalibrationSteps.subtractBias(p.image(), bias);
            flats.add(p);
        }
        double[] t = new double[reps];
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            BrighterFatterKernel k = BrighterFatterKernel.fromProcessedPairs(flats, config);
            t[r] = (System.nanoTime() - t0) / 1e9;
            System.out.printf("rep %d: %d pairs %.2f s (K(0,0) %.4g 1/e-)%n", r + 1, k.pairs(), t[r], k.kernel(0, 0));
        }
        java.util.Arrays.sort(t);
        System.out.printf("RESULT brighter-fatter kernel, %d pairs of 2048x4096 processed flats, radius %d: median"
                + " %.2f s (%.2f s per pair), %d cores%n", pairs, config.radius(), t[reps / 2], t[reps / 2] / pairs,
                Runtime.getRuntime().availableProcessors());
    }
}
