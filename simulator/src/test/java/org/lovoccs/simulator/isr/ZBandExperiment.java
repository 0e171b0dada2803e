package org.lovoccs.simulator.isr;

import nom.tam.fits.Header;
import org.lovoccs.imaging.Band;
import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.Mask;
import org.lovoccs.imaging.MaskedImage;
import org.lovoccs.imaging.astrometry.ReferenceStar;
import org.lovoccs.imaging.calibrate.CalibrateConfig;
import org.lovoccs.imaging.calibrate.CalibrateResult;
import org.lovoccs.imaging.calibrate.Calibrator;
import org.lovoccs.imaging.characterize.BackgroundConfig;
import org.lovoccs.imaging.characterize.CharacterizeConfig;
import org.lovoccs.imaging.characterize.CharacterizeResult;
import org.lovoccs.imaging.characterize.Characterizer;
import org.lovoccs.imaging.characterize.Source;
import org.lovoccs.imaging.characterize.SourceCatalog;
import org.lovoccs.imaging.characterize.SourceFlag;
import org.lovoccs.imaging.cp.CalibProduct;
import org.lovoccs.imaging.cp.CalibType;
import org.lovoccs.imaging.cp.CombineConfig;
import org.lovoccs.imaging.cp.MasterBias;
import org.lovoccs.imaging.cp.MasterFlat;
import org.lovoccs.imaging.cp.SkyPatterns;
import org.lovoccs.imaging.isr.FullIsr;
import org.lovoccs.imaging.isr.FullIsrConfig;
import org.lovoccs.imaging.isr.IsrConfig;
import org.lovoccs.imaging.MaskPlane;
import org.lovoccs.imaging.photometry.PhotometricReference;
import org.lovoccs.imaging.quality.CcdQuality;
import org.lovoccs.imaging.quality.CheckVisit;
import org.lovoccs.imaging.quality.MoffatFit;
import org.lovoccs.imaging.quality.MoffatFitter;
import org.lovoccs.imaging.raw.RawCcd;
import org.lovoccs.imaging.wcs.Gnomonic;
import org.lovoccs.imaging.wcs.TanWcs;
import org.lovoccs.simulator.DecamCamera;
import org.lovoccs.simulator.DecamCcd;
import org.lovoccs.simulator.ExposureScene;
import org.lovoccs.simulator.ObsType;
import org.lovoccs.simulator.RawExposureSimulator;
import org.lovoccs.simulator.SimulatedCcd;
import org.lovoccs.simulator.campaign.CampaignPlanner;
import org.lovoccs.simulator.campaign.CampaignSpec;
import org.lovoccs.simulator.campaign.CampaignWriter;
import org.lovoccs.simulator.campaign.PlannedExposure;
import org.lovoccs.simulator.instrument.BrighterFatter;
import org.lovoccs.simulator.instrument.InstrumentModel;
import org.lovoccs.simulator.optics.ExposureAstrometry;
import org.lovoccs.simulator.sky.PsfField;
import org.lovoccs.simulator.sky.StarTruth;
import org.lovoccs.simulator.universe.PhotRefStar;
import org.lovoccs.simulator.universe.RefStar;
import org.lovoccs.simulator.universe.ReferenceCatalogs;
import org.lovoccs.simulator.universe.SkyCatalog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Why z misses SCIENCE.md's goals where r meets them (ProcessCcdTest through the services): a test-scale campaign of 3
 * visits of one full CCD in a band, the whole chain (master bias and flat, fringe frame from the same 3 exposures in
 * z, FullIsr, characterizeImage, calibrate, check_visit's star selection and Moffat fits) against the simulator's
 * truth, per visit: check_visit's FWHM and e against the PSF field averaged over the CCD, astrometric rms of src at
 * S/N > 100 against the true positions, src magnitudes at S/N > 50 against the true ones. Also per star: the Moffat
 * FWHM on the calexp and on the noise-free truth image at the same position, against the PSF field there, by S/N.
 *
 * <p>{@code ZBandExperiment VARIANT...}, VARIANT one of: r; z (fringe frame of the 3 exposures with SkyPatterns'
 * defaults, as the services make it: sources masked at 5 sigma per pixel grown by 3 px; FullIsr takes each exposure's
 * own contribution out of it); zold (the same frame with its inputs' EXPNUMs hidden, so FullIsr uses it whole, as
 * before); zloo (each visit's frame built from the other visits only); zmask2 (2 sigma per pixel
 * grown by 8 px: floods the fringes); ztrue (the true fringe pattern as the frame); znofringe (no fringes simulated, no fringe step);
 * znofringe-nobf (and no brighter-fatter in simulation or ISR); r-nobf. System properties: seed (47), ccd (28),
 * visits (3), zeros (2), flats (2). Run like bench/process-ccd/run.sh does ProcessCcdBench.
 */
public final class ZBandExperiment {

    static final RawExposureSimulator SIM = new RawExposureSimulator();
    static final double RA = 10.4583;
    static final double DEC = -9.3031;
    static final long SEED = Long.getLong("seed", 47);
    static final int CCD = Integer.getInteger("ccd", 28);
    static final int VISITS = Integer.getInteger("visits", 3);
    static final double SIGMA_TO_FWHM = 2 * Math.sqrt(2 * Math.log(2));

    private ZBandExperiment() {
    }

    /** One way of simulating and processing. */
    record Variant(String name, Band band, boolean fringes, String frame, boolean bf, SkyPatterns.Config fringeConfig) {
    }

    static Variant variant(String name) {
        SkyPatterns.Config d = SkyPatterns.Config.defaults();
        return switch (name) {
            case "r" -> new Variant(name, Band.R, false, "none", true, d);
            case "r-nobf" -> new Variant(name, Band.R, false, "none", false, d);
            // the services' frame: 5 sigma per pixel grown by 3 px
            case "z" -> new Variant(name, Band.Z, true, "built", true, d);
            case "ztrue" -> new Variant(name, Band.Z, true, "true", true, d);
            // diagnostic: each visit defringed with a frame built from the OTHER visits only (leave-one-out)
            case "zloo" -> new Variant(name, Band.Z, true, "loo", true, d);
            // the frame of the 3 exposures with its inputs' EXPNUMs hidden, so the ISR cannot take each exposure's
            // own contribution out (the behaviour before SkyPatterns.withoutInput)
            case "zold" -> new Variant(name, Band.Z, true, "anonymous", true, d);
            case "znofringe" -> new Variant(name, Band.Z, false, "none", true, d);
            case "znofringe-nobf" -> new Variant(name, Band.Z, false, "none", false, d);
            // the frame built with a deeper source mask: 2 sigma per pixel, grown by 8 px
            case "zmask2" -> new Variant(name, Band.Z, true, "built", true, new SkyPatterns.Config(IsrConfig.defaults(),
                    BackgroundConfig.defaults().withMeshSize(512), 2.0, 8, CombineConfig.defaults()
                    .withRejectedPlanes(CombineConfig.DEFAULT_REJECTED | MaskPlane.DETECTED.bitmask()), 1.0));
            default -> throw new IllegalArgumentException("unknown variant " + name);
        };
    }

    public static void main(String[] args) throws Exception {
        List<String> names = args.length == 0 ? List.of("r", "z", "ztrue", "znofringe", "znofringe-nobf")
                : List.of(args);
        List<String> table = new ArrayList<>();
        for (String n : names) {
            table.addAll(run(variant(n)));
        }
        System.out.println("RESULT variant visit | FWHM truth px | dFWHM % | e truth | de | nfit | dFWHM% per star"
                + " calexp / noise-free (median) | astro rms mas S/N>100 (n) | centroid rms x,y mas | dmag mmag (n)");
        table.forEach(System.out::println);
    }

    static List<String> run(Variant v) throws Exception {
        long t0 = System.nanoTime();
        CampaignSpec spec = CampaignSpec.preset(CampaignSpec.Scale.TEST, "ZEXP", RA, DEC).seed(SEED)
                .ccds(List.of(CCD)).bands(List.of(v.band())).nights(1).visitsPerBandPerNight(VISITS)
                .zerosPerNight(Integer.getInteger("zeros", 2)).flatsPerBandPerNight(Integer.getInteger("flats", 2))
                .galaxiesPerArcmin2(10).build();
        List<PlannedExposure> plan = CampaignPlanner.plan(spec);
        SkyCatalog sky = new CampaignWriter(spec).sky();
        CalibProduct bias = MasterBias.build(raws(plan.stream().filter(e -> e.obsType() == ObsType.ZERO).toList(),
                null, SIM), MasterBias.Config.defaults());
        CalibProduct flat = MasterFlat.build(raws(plan.stream().filter(e -> e.obsType() == ObsType.DOME_FLAT)
                .toList(), null, SIM), bias, MasterFlat.Config.defaults());
        RawExposureSimulator sim = v.bf() ? SIM : SIM.withBrighterFatter(new BrighterFatter(0, 1.0, 3.0, 0.3, 9));
        List<PlannedExposure> science = new ArrayList<>();
        for (PlannedExposure e : plan) {
            if (e.obsType() == ObsType.SCIENCE) {
                science.add(v.fringes() ? e : new PlannedExposure(e.expnum(), e.obsType(), e.band(), e.dateObs(),
                        e.exptime(), e.night(), e.visit(), e.commandedRaDeg(), e.commandedDecDeg(), e.astrometry(),
                        e.psf(), e.airmass(), e.cloudsMag(), e.zeroPoint(), e.skyElectrons(), 0.0, e.satellite(),
                        e.seed()));
            }
        }
        InstrumentModel model = InstrumentModel.of(SEED, CCD);
        CalibProduct fringe = switch (v.frame()) {
            case "built", "loo" -> SkyPatterns.buildFringe(raws(science, sky, sim), bias, flat, v.fringeConfig());
            case "anonymous" -> {
                CalibProduct b = SkyPatterns.buildFringe(raws(science, sky, sim), bias, flat, v.fringeConfig());
                Header anon = new Header();
                for (var it = b.metadata().iterator(); it.hasNext(); ) {
                    var c = it.next();
                    if (!"END".equals(c.getKey()) && !("HISTORY".equals(c.getKey()) && c.getComment() != null
                            && c.getComment().contains("EXPNUM"))) {
                        anon.addLine(c.copy());
                    }
                }
                yield new CalibProduct(b.type(), b.band(), b.image(), b.count(), anon);
            }
            case "true" -> {
                ImageF p = model.fringePattern();
                int w = p.width();
                int h = p.height();
                ImageF c = new ImageF(w, h);
                c.fill(3f);
                yield new CalibProduct(CalibType.FRINGE, Band.Z, new MaskedImage(new ImageF(w, h, p.array().clone()),
                        new Mask(w, h), new ImageF(w, h)), c, new Header());
            }
            default -> null;
        };
        FullIsrConfig isrConfig = FullIsrConfig.defaults().with("doFringe", fringe != null)
                .with("doBrighterFatter", v.bf());
        FullIsr.Calibrations calibs = new FullIsr.Calibrations(bias, flat, fringe,
                FullIsrTruthTest.crosstalk(model),
                FullIsrTruthTest.linearizer(model),
                FullIsrTruthTest.defects(model), model.brighterFatter().kernel());
        List<ReferenceStar> gaia = new ArrayList<>();
        for (RefStar r : ReferenceCatalogs.gaia(sky.stars(), SEED)) {
            gaia.add(new ReferenceStar(r.id(), r.raDeg(), r.decDeg(), r.gMag()));
        }
        List<PhotometricReference> ps1 = new ArrayList<>();
        for (PhotRefStar r : ReferenceCatalogs.photometric(sky.stars(), v.band(), SEED)) {
            ps1.add(new PhotometricReference(r.id(), r.raDeg(), r.decDeg(), r.mag(), r.magErr()));
        }
        List<String> rows = new ArrayList<>();
        DecamCcd ccd = DecamCamera.standard().ccd(CCD);
        ImageF truePattern = model.fringePattern();
        for (PlannedExposure e : science) {
            SimulatedCcd s = sim.simulateCcd(new ExposureScene("ZEXP", e, sky, SEED, true), CCD);
            RawCcd raw = s.toRawCcd();
            CalibProduct frame = fringe;
            if (v.frame().equals("loo")) {
                List<PlannedExposure> others = science.stream().filter(o -> o != e).toList();
                frame = SkyPatterns.buildFringe(raws(others, sky, sim), bias, flat, v.fringeConfig());
            }
            FullIsr.Calibrations cv = new FullIsr.Calibrations(bias, flat, frame, calibs.crosstalk(),
                    calibs.linearizer(), calibs.defects(), calibs.bfKernel());
            FullIsr.Result isr = FullIsr.run(raw, isrConfig, cv);
            if (frame != null) {
                // the frame's scale in units of the true pattern, so fitted x scale compares with the truth
                // (FullIsr takes the exposure's own contribution out of a frame it went into: project that frame)
                String expnum = isr.isr().metadata().findCard("EXPNUM").getValue();
                CalibProduct used = SkyPatterns.withoutInput(frame, SkyPatterns.calibrate(raw, v.fringeConfig().isr(),
                        bias, flat), expnum);
                double scale = projection(used.image().image(), truePattern);
                System.out.printf(Locale.ROOT, "AMP %s v%d fitted %.2f frame/true %.6f -> e- per unit true pattern"
                        + " %.3f, true %.3f (%+.2f%%)%n", v.name(), e.visit(), isr.fringeAmplitude(), scale,
                        isr.fringeAmplitude() * scale, e.fringeAmplitude(),
                        100 * (isr.fringeAmplitude() * scale / e.fringeAmplitude() - 1));
            }
            TanWcs rawWcs = TanWcs.fromHeader(isr.isr().wcs());
            CharacterizeResult ch = Characterizer.run(isr.isr().exposure(), CharacterizeConfig.defaults());
            CalibrateResult cal = Calibrator.run(ch, rawWcs, gaia, ps1, e.exptime(), 12.0, CalibrateConfig.defaults());
            rows.add(measure(v, e, s, cal, gaia, ccd, isr.fringeAmplitude()));
        }
        System.out.printf(Locale.ROOT, "variant %s done in %.0f s%n", v.name(), (System.nanoTime() - t0) / 1e9);
        return rows;
    }

    static String measure(Variant v, PlannedExposure e, SimulatedCcd s, CalibrateResult cal, List<ReferenceStar> gaia,
                          DecamCcd ccd, double fringeAmp) {
        SourceCatalog src = cal.sources();
        MaskedImage calexp = cal.exposure();
        // check_visit as QualityRunner runs it
        double guess = psfFwhm(src);
        int half = (int) Math.max(8, Math.ceil(3 * guess));
        CheckVisit.ReferenceStars stars = CheckVisit.referenceStars(gaia, src, cal.astrometry().wcs(), calexp.width(),
                calexp.height(), 1.0, 30, Math.max(15, half), half + 2);
        double offset = cal.calibration().backgroundOffset();
        CcdQuality q = CheckVisit.measure(e.visit(), CCD, v.band().bandName(), calexp, cal.astrometry().wcs(),
                stars.toFit(), stars.matched(), guess, offset);
        // truth: the PSF field averaged over the CCD as ProcessCcdTest does
        PsfField field = e.psf();
        double[] mean = field.meanOverCcd(ccd);
        double fwhm = mean[0];
        double eTrue = Math.hypot(mean[1], mean[2]);

        // per star: the calexp fit and the fit on the noise-free truth (expected e- minus sky, variance = expected)
        ImageF expected = s.truth().expectedElectrons();
        int w = expected.width();
        int h = expected.height();
        float[] ideal = expected.array().clone();
        float[] idealVar = expected.array().clone();
        for (int k = 0; k < ideal.length; k++) {
            ideal[k] -= (float) e.skyElectrons();
            idealVar[k] += 49f;
        }
        MaskedImage idealImage = new MaskedImage(new ImageF(w, h, ideal), new Mask(w, h), new ImageF(w, h, idealVar));
        List<StarTruth> truth = s.truth().stars();
        double[][] bins = {{30, 100}, {100, 300}, {300, 1000}, {1000, 1e9}};
        List<List<double[]>> perBin = new ArrayList<>();
        for (int b = 0; b < bins.length; b++) {
            perBin.add(new ArrayList<>());
        }
        List<Double> dAll = new ArrayList<>();
        List<Double> dIdeal = new ArrayList<>();
        List<Double> de1 = new ArrayList<>();
        List<Double> de2 = new ArrayList<>();
        for (double[] p : stars.toFit()) {
            Source sr = nearestSource(src, p[0], p[1]);
            MoffatFit f = MoffatFitter.fit(calexp, p[0], p[1], half, guess, offset);
            MoffatFit fi = MoffatFitter.fit(idealImage, p[0], p[1], half, guess, 0);
            if (f == null || !f.converged() || Math.hypot(f.x() - p[0], f.y() - p[1]) > 2 || fi == null) {
                continue;
            }
            double[] fp = ExposureAstrometry.focalPlaneMm(ccd, p[0], p[1]);
            double ft = field.fwhmPixels(fp[0], fp[1]);
            double[] g = field.ellipticity(fp[0], fp[1]);
            double g2 = g[0] * g[0] + g[1] * g[1];
            double d = f.fwhm() / ft - 1;
            dAll.add(d);
            dIdeal.add(fi.fwhm() / ft - 1);
            de1.add(f.e1() - 2 * g[0] / (1 + g2));
            de2.add(f.e2() - 2 * g[1] / (1 + g2));
            double snr = sr == null ? 0 : sr.snr();
            for (int b = 0; b < bins.length; b++) {
                if (snr >= bins[b][0] && snr < bins[b][1]) {
                    perBin.get(b).add(new double[] {d, fi.fwhm() / ft - 1});
                }
            }
        }
        StringBuilder bin = new StringBuilder();
        for (int b = 0; b < bins.length; b++) {
            List<Double> a = perBin.get(b).stream().map(x -> x[0]).toList();
            List<Double> c = perBin.get(b).stream().map(x -> x[1]).toList();
            bin.append(String.format(Locale.ROOT, " S/N %.0f+: %+.2f/%+.2f (%d)", bins[b][0], 100 * median(a),
                    100 * median(c), a.size()));
        }

        // astrometry: src at S/N > 100 against the true star positions (nearest truth within 1 px, true mag > 17)
        double sum = 0;
        double sx = 0;
        double sy = 0;
        int na = 0;
        List<Double> dmag = new ArrayList<>();
        List<Double> dinst = new ArrayList<>();
        for (Source so : src.sources()) {
            if (!(so.snr() > 50)) {
                continue;
            }
            StarTruth t = nearestTruth(truth, so.x(), so.y(), 1.0);
            if (t == null || t.magnitude() < 17) {
                continue;
            }
            dmag.add(cal.calibration().photo().magnitude(cal.calibration().totalFlux(so)) - t.magnitude());
            dinst.add(-2.5 * Math.log10(cal.calibration().totalFlux(so) / t.fluxElectrons()));
            if (so.snr() > 100) {
                double[] sk = cal.astrometry().wcs().pixelToSky(so.x(), so.y());
                double[] tp = Gnomonic.toTangent(t.raDeg(), t.decDeg(), sk[0], sk[1]);
                sum += (tp[0] * tp[0] + tp[1] * tp[1]) * 1e6;
                sx += Math.pow((so.x() - t.x()) * 263, 2);
                sy += Math.pow((so.y() - t.y()) * 263, 2);
                na++;
            }
        }
        String row = String.format(Locale.ROOT, "RESULT %-14s v%d | %.3f | %+.2f | %.4f | %+.4f | %d/%d | per-star"
                        + " median %+.2f / noise-free %+.2f;%s | e1,e2 per star med %+.4f %+.4f | astro %.1f (%d) |"
                        + " centroid %.1f,%.1f | dmag %+.1f (%d) | zp %.4f+-%.4f (%d/%d) flux/true %+.1f mmag bkgoffs %.2f apcorr %.4f | sky %.0f"
                        + " fringeA %.0f (true %.0f)", v.name(),
                e.visit(), fwhm, 100 * (q.fwhmPixels() / fwhm - 1), eTrue, q.ellipticity() - eTrue, q.starsFitted(),
                stars.toFit().size(), 100 * median(dAll), 100 * median(dIdeal), bin, median(de1), median(de2),
                Math.sqrt(sum / na), na, Math.sqrt(sx / na), Math.sqrt(sy / na), 1000 * median(dmag), dmag.size(),
                cal.photoCalib().zeroPoint(), cal.photoCalib().zeroPointErr(), cal.photoCalib().used(),
                cal.photoCalib().matched(), 1000 * median(dinst), offset, cal.calibration().apCorr().at(1023, 2047), e.skyElectrons(), fringeAmp, e.fringeAmplitude());
        System.out.println(row);
        System.out.flush();
        return row;
    }

    /** Least-squares scale of {@code frame} on {@code truth} over the finite pixels. */
    static double projection(ImageF frame, ImageF truth) {
        double sxy = 0;
        double sxx = 0;
        for (int y = 0; y < truth.height(); y++) {
            int fb = frame.index(0, y);
            int tb = truth.index(0, y);
            for (int x = 0; x < truth.width(); x++) {
                double f = frame.array()[fb + x];
                double t = truth.array()[tb + x];
                if (Double.isFinite(f)) {
                    sxy += f * t;
                    sxx += t * t;
                }
            }
        }
        return sxy / sxx;
    }

    static Source nearestSource(SourceCatalog src, double x, double y) {
        Source best = null;
        double bd = 0.5;
        for (Source s : src.sources()) {
            double d = Math.hypot(s.x() - x, s.y() - y);
            if (d < bd) {
                bd = d;
                best = s;
            }
        }
        return best;
    }

    static StarTruth nearestTruth(List<StarTruth> truth, double x, double y, double radius) {
        StarTruth best = null;
        double bd = radius;
        for (StarTruth t : truth) {
            if (Math.abs(t.y() - y) > bd) {
                continue;
            }
            double d = Math.hypot(t.x() - x, t.y() - y);
            if (d < bd) {
                bd = d;
                best = t;
            }
        }
        return best;
    }

    static double psfFwhm(SourceCatalog src) {
        double[] f = src.sources().stream().filter(s -> s.has(SourceFlag.PSF_USED))
                .mapToDouble(s -> SIGMA_TO_FWHM * Math.sqrt(0.5 * (s.ixx() + s.iyy())))
                .filter(v -> v > 0 && Double.isFinite(v)).sorted().toArray();
        return f.length == 0 ? 4.0 : f[f.length / 2];
    }

    static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).toArray();
        if (a.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(a);
        return a.length % 2 == 1 ? a[a.length / 2] : 0.5 * (a[a.length / 2 - 1] + a[a.length / 2]);
    }

    static Iterable<RawCcd> raws(List<PlannedExposure> exposures, SkyCatalog sky, RawExposureSimulator sim) {
        return () -> new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < exposures.size();
            }

            @Override
            public RawCcd next() {
                return sim.simulateCcd(new ExposureScene("ZEXP", exposures.get(i++), sky, SEED, true), CCD)
                        .toRawCcd();
            }
        };
    }
}
