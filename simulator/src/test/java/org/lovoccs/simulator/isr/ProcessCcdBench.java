package org.lovoccs.simulator.isr;

import org.lovoccs.imaging.Band;
import org.lovoccs.imaging.astrometry.ReferenceStar;
import org.lovoccs.imaging.calibrate.CalexpFormatter;
import org.lovoccs.imaging.calibrate.CalibrateConfig;
import org.lovoccs.imaging.calibrate.CalibrateResult;
import org.lovoccs.imaging.calibrate.Calibrator;
import org.lovoccs.imaging.characterize.CharacterizeConfig;
import org.lovoccs.imaging.characterize.CharacterizeResult;
import org.lovoccs.imaging.characterize.Characterizer;
import org.lovoccs.imaging.cp.CalibProduct;
import org.lovoccs.imaging.cp.MasterBias;
import org.lovoccs.imaging.cp.MasterFlat;
import org.lovoccs.imaging.isr.FullIsr;
import org.lovoccs.imaging.isr.FullIsrConfig;
import org.lovoccs.imaging.photometry.PhotometricReference;
import org.lovoccs.imaging.raw.RawCcd;
import org.lovoccs.imaging.wcs.TanWcs;
import org.lovoccs.simulator.ExposureScene;
import org.lovoccs.simulator.ObsType;
import org.lovoccs.simulator.SimulatedCcd;
import org.lovoccs.simulator.campaign.CampaignPlanner;
import org.lovoccs.simulator.campaign.CampaignSpec;
import org.lovoccs.simulator.campaign.CampaignWriter;
import org.lovoccs.simulator.campaign.PlannedExposure;
import org.lovoccs.simulator.instrument.InstrumentModel;
import org.lovoccs.simulator.universe.PhotRefStar;
import org.lovoccs.simulator.universe.RefStar;
import org.lovoccs.simulator.universe.ReferenceCatalogs;
import org.lovoccs.simulator.universe.SkyCatalog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Wall time per CCD of process_ccd's three steps on one full 2048 x 4096 science CCD with the whole simulated
 * instrument signature (FullIsrTruthTest's CCD N1, r): FullIsr, characterizeImage, calibrate (astrometry against the
 * campaign's Gaia-like catalogue, zero point against its PS1-like r catalogue), and writing the calexp in memory.
 * Simulation and the master calibrations are not timed. {@code ProcessCcdBench REPETITIONS}; prints each step's
 * median and one RESULT line.
 */
public final class ProcessCcdBench {

    private ProcessCcdBench() {
    }

    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int ccd = FullIsrTruthTest.CCD;
        long seed = FullIsrTruthTest.SEED;
        CampaignSpec spec = CampaignSpec.preset(CampaignSpec.Scale.TEST, "BENCH", FullIsrTruthTest.RA,
                FullIsrTruthTest.DEC).seed(seed).ccds(List.of(ccd)).bands(List.of(Band.R)).nights(1)
                .visitsPerBandPerNight(1).zerosPerNight(5).flatsPerBandPerNight(4).build();
        List<PlannedExposure> plan = CampaignPlanner.plan(spec);
        CalibProduct bias = MasterBias.build(FullIsrTruthTest.raws(plan.stream()
                .filter(e -> e.obsType() == ObsType.ZERO).toList()), MasterBias.Config.defaults());
        CalibProduct flat = MasterFlat.build(FullIsrTruthTest.raws(plan.stream()
                .filter(e -> e.obsType() == ObsType.DOME_FLAT).toList()), bias, MasterFlat.Config.defaults());
        PlannedExposure exposure = plan.stream().filter(e -> e.obsType() == ObsType.SCIENCE).findFirst().orElseThrow();
        SkyCatalog sky = new CampaignWriter(spec).sky();
        SimulatedCcd science = FullIsrTruthTest.SIMULATOR.simulateCcd(new ExposureScene("BENCH", exposure, sky, seed,
                true), ccd);
        RawCcd raw = science.toRawCcd();
        InstrumentModel model = InstrumentModel.of(seed, ccd);
        FullIsr.Calibrations calibs = new FullIsr.Calibrations(bias, flat, null, FullIsrTruthTest.crosstalk(model),
                FullIsrTruthTest.linearizer(model), FullIsrTruthTest.defects(model), model.brighterFatter().kernel());
        List<ReferenceStar> gaia = new ArrayList<>();
        for (RefStar r : ReferenceCatalogs.gaia(sky.stars(), seed)) {
            gaia.add(new ReferenceStar(r.id(), r.raDeg(), r.decDeg(), r.gMag()));
        }
        List<PhotometricReference> ps1 = new ArrayList<>();
        for (PhotRefStar r : ReferenceCatalogs.photometric(sky.stars(), Band.R, seed)) {
            ps1.add(new PhotometricReference(r.id(), r.raDeg(), r.decDeg(), r.mag(), r.magErr()));
        }
        TanWcs rawWcs = TanWcs.fromHeader(FullIsr.run(raw, FullIsrConfig.overscanOnly(), null).isr().wcs());
        double[][] t = new double[4][reps];
        CalibrateResult last = null;
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            FullIsr.Result isr = FullIsr.run(raw, FullIsrConfig.defaults(), calibs);
            long t1 = System.nanoTime();
            CharacterizeResult ch = Characterizer.run(isr.isr().exposure(), CharacterizeConfig.defaults());
            long t2 = System.nanoTime();
            last = Calibrator.run(ch, rawWcs, gaia, ps1, exposure.exptime(), 12.0, CalibrateConfig.defaults());
            long t3 = System.nanoTime();
            byte[] calexp = CalexpFormatter.toBytes(last, isr.isr().metadata());
            long t4 = System.nanoTime();
            t[0][r] = (t1 - t0) / 1e9;
            t[1][r] = (t2 - t1) / 1e9;
            t[2][r] = (t3 - t2) / 1e9;
            t[3][r] = (t4 - t3) / 1e9;
            System.out.printf(Locale.ROOT, "round %d: isr %.2f s, characterize %.2f s, calibrate %.2f s, calexp %.2f s"
                    + " (%d MB); %d sources, %d astrometric matches, zero point %.4f%n", r + 1, t[0][r], t[1][r],
                    t[2][r], t[3][r], calexp.length >> 20, ch.sources().size(), last.astrometry().used(),
                    last.photoCalib().zeroPoint());
        }
        double total = 0;
        String[] names = {"isr", "characterize", "calibrate", "calexp"};
        StringBuilder line = new StringBuilder();
        for (int k = 0; k < 4; k++) {
            double[] s = t[k].clone();
            Arrays.sort(s);
            double med = s[s.length / 2];
            total += med;
            line.append(String.format(Locale.ROOT, "%s %.2f s, ", names[k], med));
        }
        System.out.printf(Locale.ROOT, "RESULT process_ccd per CCD (median of %d, %d cores): %stotal %.2f s; a 62-CCD"
                        + " exposure at this rate on %d cores: %.0f s%n", reps, Runtime.getRuntime().availableProcessors(),
                line, total, Runtime.getRuntime().availableProcessors(),
                62 * total / Runtime.getRuntime().availableProcessors());
    }
}
