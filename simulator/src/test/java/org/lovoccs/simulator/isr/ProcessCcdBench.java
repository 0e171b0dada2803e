package org.lovoccs.simulator.isr;

import org.lovoccs.imaging.Band;
import org.lovoccs.imaging.MaskedImage;
import org.lovoccs.imaging.astrometry.ReferenceStar;
import org.lovoccs.imaging.calibrate.CalexpFormatter;
import org.lovoccs.imaging.calibrate.CalibrateConfig;
import org.lovoccs.imaging.calibrate.CalibrateResult;
import org.lovoccs.imaging.calibrate.Calibrator;
import org.lovoccs.imaging.characterize.CharacterizeConfig;
import org.lovoccs.imaging.characterize.CharacterizeResult;
import org.lovoccs.imaging.characterize.Characterizer;
import org.lovoccs.imaging.cp.BrighterFatterKernel;
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

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Wall time per CCD of process_ccd's three steps on one full 2048 x 4096 science CCD with the whole simulated
 * instrument signature (FullIsrTruthTest's CCD N1, r): FullIsr, characterizeImage, calibrate (astrometry against the
 * campaign's Gaia-like catalogue, zero point against its PS1-like r catalogue), and writing the calexp in memory.
 * Simulation and the master calibrations are not timed. {@code ProcessCcdBench REPETITIONS}; prints each step's
 * median and one RESULT line.
 *
 * <p>The ISR's brighter-fatter kernel is the instrument model's, which has 2 separable terms. The services use the
 * kernel cp measures from flat pairs (cpBfkSolve), which has up to 9: after the rounds, FullIsr is timed again with
 * the kernel measured from this campaign's 2 flat pairs, keeping its terms to the default tolerance and keeping all
 * of them, alternately, and one more RESULT line compares the two.
 */
public final class ProcessCcdBench {

    private ProcessCcdBench() {
    }

    private static String digest(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
    }

    private static String digest(MaskedImage e) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        ByteBuffer b = ByteBuffer.allocate(e.width() * e.height() * 4);
        b.asFloatBuffer().put(e.image().array());
        md.update(b.array());
        b.clear();
        b.asIntBuffer().put(e.mask().array());
        md.update(b.array());
        b.clear();
        b.asFloatBuffer().put(e.variance().array());
        md.update(b.array());
        return HexFormat.of().formatHex(md.digest(), 0, 8);
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
        System.out.println("== " + org.lovoccs.imaging.simd.Simd.describe());
        TanWcs rawWcs = null;   // the raw header's WCS on the assembled grid, as every ISR result carries it
        double[][] t = new double[4][reps];
        CalibrateResult last = null;
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            FullIsr.Result isr = FullIsr.run(raw, FullIsrConfig.defaults(), calibs);
            long t1 = System.nanoTime();
            if (rawWcs == null) {
                rawWcs = TanWcs.fromHeader(isr.isr().wcs());
            }
            String isrDigest = digest(isr.isr().exposure());
            long t1b = System.nanoTime();
            CharacterizeResult ch = Characterizer.run(isr.isr().exposure(), CharacterizeConfig.defaults());
            long t2 = System.nanoTime();
            last = Calibrator.run(ch, rawWcs, gaia, ps1, exposure.exptime(), 12.0, CalibrateConfig.defaults());
            long t3 = System.nanoTime();
            byte[] calexp = CalexpFormatter.toBytes(last, isr.isr().metadata());
            long t4 = System.nanoTime();
            t[0][r] = (t1 - t0) / 1e9;
            t[1][r] = (t2 - t1b) / 1e9;
            t[2][r] = (t3 - t2) / 1e9;
            t[3][r] = (t4 - t3) / 1e9;
            System.out.printf(Locale.ROOT, "round %d: isr %.2f s, characterize %.2f s, calibrate %.2f s, calexp %.2f s"
                    + " (%d MB); %d sources, %d astrometric matches, zero point %.4f%n", r + 1, t[0][r], t[1][r],
                    t[2][r], t[3][r], calexp.length >> 20, ch.sources().size(), last.astrometry().used(),
                    last.photoCalib().zeroPoint());
            // the same inputs must give the same bits whatever is made faster: postISRCCD planes and the calexp
            System.out.printf(Locale.ROOT, "round %d digests: postISRCCD %s, calexp %s%n", r + 1, isrDigest,
                    digest(calexp));
        }
        handoff(reps, FullIsr.run(raw, FullIsrConfig.defaults(), calibs), rawWcs, gaia, ps1, exposure.exptime());
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
        int cores = Runtime.getRuntime().availableProcessors();
        // with one core (ONE_CORE=1) the figure is the service's case: one CCD per core, CCDs side by side on 2 cores
        String rate = cores == 1
                ? String.format(Locale.ROOT, "one CCD per core on 2 cores: %.0f s", 62 * total / 2)
                : String.format(Locale.ROOT, "on %d cores: %.0f s", cores, 62 * total / cores);
        System.out.printf(Locale.ROOT, "RESULT process_ccd per CCD (median of %d, %d cores): %stotal %.2f s; a 62-CCD"
                + " exposure at this rate %s%n", reps, cores, line, total, rate);
        if (Boolean.parseBoolean(System.getProperty("bench.kernel", "true"))) {
            measuredKernel(reps, plan, bias, flat, raw, model);
        }
    }

    /**
     * What a CCD's job spends handing the postISRCCD to characterizeImage, the icExp to calibrate and the calexp to
     * checkVisit: as files (each FITS-encoded, MASK compressed for the first two, and decoded again, the icExp's PSF
     * read from the whole file), as the worker did before 5d03ec8, or as objects ({@code PostIsrCcdFormatter.asRead},
     * the PSF through its own HDU), as it does now; the calexp is encoded either way, it is written.
     */
    static void handoff(int reps, FullIsr.Result isr, TanWcs rawWcs, List<ReferenceStar> gaia,
                        List<PhotometricReference> ps1, double exptime) throws Exception {
        org.lovoccs.imaging.isr.PostIsrCcd post = isr.isr().toPostIsrCcd();
        CharacterizeResult ch = Characterizer.run(post.image(), CharacterizeConfig.defaults());
        CalibrateResult cal = Calibrator.run(ch, rawWcs, gaia, ps1, exptime, 12.0, CalibrateConfig.defaults());
        org.lovoccs.imaging.isr.PostIsrCcd icExp = new org.lovoccs.imaging.isr.PostIsrCcd(ch.exposure(),
                post.metadata(), post.wcs());
        org.lovoccs.imaging.isr.PostIsrCcd calexp = CalexpFormatter.exposure(cal, post.metadata());
        byte[] calexpFile = CalexpFormatter.toBytes(calexp, cal.psf());
        double[][] t = new double[2][Math.max(reps, 3)];
        for (int r = 0; r < t[0].length; r++) {
            long t0 = System.nanoTime();
            org.lovoccs.imaging.isr.PostIsrCcdFormatter.read(
                    org.lovoccs.imaging.isr.PostIsrCcdFormatter.toBytes(post, true));
            java.io.ByteArrayOutputStream psf = new java.io.ByteArrayOutputStream();
            org.lovoccs.imaging.characterize.PsfModelFormatter.write(ch.psf(), psf);
            byte[] icExpFile = org.lovoccs.imaging.fits.FitsHduIndex.appendExtensions(
                    org.lovoccs.imaging.isr.PostIsrCcdFormatter.toBytes(icExp, true), psf.toByteArray());
            org.lovoccs.imaging.isr.PostIsrCcdFormatter.read(icExpFile);
            org.lovoccs.imaging.characterize.PsfModelFormatter.read(icExpFile, "icExp");
            org.lovoccs.imaging.isr.PostIsrCcdFormatter.read(calexpFile);
            long t1 = System.nanoTime();
            org.lovoccs.imaging.isr.PostIsrCcdFormatter.asRead(post);
            java.io.ByteArrayOutputStream psf2 = new java.io.ByteArrayOutputStream();
            org.lovoccs.imaging.characterize.PsfModelFormatter.write(ch.psf(), psf2);
            org.lovoccs.imaging.isr.PostIsrCcdFormatter.asRead(icExp);
            org.lovoccs.imaging.characterize.PsfModelFormatter.read(psf2.toByteArray(), "icExp PSF");
            org.lovoccs.imaging.isr.PostIsrCcdFormatter.asRead(calexp);
            long t2 = System.nanoTime();
            t[0][r] = (t1 - t0) / 1e9;
            t[1][r] = (t2 - t1) / 1e9;
        }
        for (double[] a : t) {
            Arrays.sort(a);
        }
        System.out.printf(Locale.ROOT, "RESULT handing postISRCCD, icExp and calexp on within a CCD's job (median of"
                + " %d): as files %.3f s, as objects %.3f s%n", t[0].length, t[0][t[0].length / 2],
                t[1][t[1].length / 2]);
    }

    /**
     * FullIsr with the kernel cp measures from this campaign's flat pairs (as the services' cpBfkSolve does), in turn
     * in each round: the defaults (LSST's threshold, changes convolved by tile); the whole CCD convolved every
     * iteration (pixel tolerance 0); 3 whole-CCD iterations without a threshold (the correction before the tiles); and
     * every separable term of the kernel.
     */
    static void measuredKernel(int reps, List<PlannedExposure> plan, CalibProduct bias, CalibProduct flat, RawCcd raw,
                               InstrumentModel model) throws Exception {
        BrighterFatterKernel bfk = BrighterFatterKernel.fromRawPairs(FullIsrTruthTest.raws(plan.stream()
                .filter(e -> e.obsType() == ObsType.DOME_FLAT).toList()), bias, BrighterFatterKernel.Config.defaults());
        double[] kernel = bfk.kernel();
        FullIsr.Calibrations measured = new FullIsr.Calibrations(bias, flat, null, FullIsrTruthTest.crosstalk(model),
                FullIsrTruthTest.linearizer(model), FullIsrTruthTest.defects(model), kernel);
        FullIsrConfig d = FullIsrConfig.defaults();
        String[] names = {"defaults", "whole CCD each iteration", "3 whole-CCD iterations, no threshold",
                "all kernel terms", "pixel tolerance x10"};
        FullIsrConfig[] configs = {d,
                d.withBrighterFatterIterations(d.brighterFatterIterations(), d.brighterFatterThreshold(), 0),
                d.withBrighterFatterIterations(3, 0, 0),
                d.withBrighterFatterKernelTolerance(0),
                d.withBrighterFatterIterations(d.brighterFatterIterations(), d.brighterFatterThreshold(),
                        10 * d.brighterFatterPixelTolerance())};
        double[][] tb = new double[configs.length][reps];
        // the reference image: the whole CCD convolved every iteration (configs[1])
        float[] whole = FullIsr.run(raw, configs[1], measured).isr().exposure().image().array();
        for (int r = 0; r < reps; r++) {
            StringBuilder line = new StringBuilder();
            for (int k = 0; k < configs.length; k++) {
                long t0 = System.nanoTime();
                FullIsr.Result res = FullIsr.run(raw, configs[k], measured);
                tb[k][r] = (System.nanoTime() - t0) / 1e9;
                var bf = res.brighterFatter();
                String vsWhole = "";
                if (r == 0 && k != 1) {
                    // against the whole CCD convolved every iteration: the largest difference, and beyond 2 ulps
                    float[] a = res.isr().exposure().image().array();
                    double max = 0;
                    double beyond = 0;
                    for (int i = 0; i < a.length; i++) {
                        double diff = Math.abs(a[i] - whole[i]);
                        max = Math.max(max, diff);
                        beyond = Math.max(beyond, diff - 2 * Math.ulp(Math.abs(whole[i])));
                    }
                    vsWhole = String.format(Locale.ROOT, ", from the whole-CCD image at most %.3g e- (%.3g e- beyond"
                            + " 2 ulps)", max, beyond);
                }
                line.append(String.format(Locale.ROOT, "%n  %s: %.2f s (%d terms, %d iterations, last change %.0f e-,"
                        + " %.2f CCDs convolved), postISRCCD %s%s", names[k], tb[k][r], bf.terms(), bf.iterations(),
                        bf.lastChange(), bf.convolvedTiles(), r == 0 ? digest(res.isr().exposure()) : "-", vsWhole));
            }
            System.out.printf(Locale.ROOT, "round %d, measured kernel:%s%n", r + 1, line);
        }
        StringBuilder result = new StringBuilder();
        for (int k = 0; k < configs.length; k++) {
            Arrays.sort(tb[k]);
            result.append(String.format(Locale.ROOT, "%s %.2f s; ", names[k], tb[k][reps / 2]));
        }
        System.out.printf(Locale.ROOT, "RESULT FullIsr with the kernel measured from %d flat pair(s) (median of %d, %d"
                + " cores): %s%n", bfk.pairs(), reps, Runtime.getRuntime().availableProcessors(), result);
    }
}
