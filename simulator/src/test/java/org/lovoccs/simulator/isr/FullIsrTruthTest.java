package org.lovoccs.simulator.isr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.Band;
import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.MaskPlane;
import org.lovoccs.imaging.PixelBox;
import org.lovoccs.imaging.cp.CalibProduct;
import org.lovoccs.imaging.cp.MasterBias;
import org.lovoccs.imaging.cp.MasterFlat;
import org.lovoccs.imaging.isr.Crosstalk;
import org.lovoccs.imaging.isr.CuratedCalibrationReader;
import org.lovoccs.simulator.curated.CuratedCalibrations;
import org.lovoccs.imaging.isr.FullIsr;
import org.lovoccs.imaging.isr.FullIsrConfig;
import org.lovoccs.imaging.isr.Linearizer;
import org.lovoccs.imaging.raw.RawCcd;
import org.lovoccs.simulator.ExposureScene;
import org.lovoccs.simulator.ObsType;
import org.lovoccs.simulator.RawExposureSimulator;
import org.lovoccs.simulator.SimulatedCcd;
import org.lovoccs.simulator.campaign.CampaignPlanner;
import org.lovoccs.simulator.campaign.CampaignSpec;
import org.lovoccs.simulator.campaign.CampaignWriter;
import org.lovoccs.simulator.campaign.PlannedExposure;
import org.lovoccs.simulator.instrument.CosmicRays;
import org.lovoccs.simulator.instrument.CrosstalkTerm;
import org.lovoccs.simulator.instrument.Defect;
import org.lovoccs.simulator.instrument.InstrumentModel;
import org.lovoccs.simulator.instrument.NonLinearity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The complete ISR of a science CCD against the simulator's truth (SCIENCE.md: ISR output - true sky and objects,
 * mean &lt; 0.1 e-, chi^2/dof within 2% of 1). One r-band science exposure of CCD N1 (28) from the campaign planner,
 * with the whole instrument signature on (bias structure, crosstalk, non-linearity, flat, brighter-fatter, defects,
 * cosmic rays, bleed trails); the master bias from 12 zeros and the master flat from 8 dome flats are built from
 * simulated calibration exposures by cp; crosstalk, linearizer and defects are read from the files
 * write-curated-calibrations writes (and checked against the instrument model); the brighter-fatter kernel is the
 * instrument model's.
 *
 * <p>The truth is the expected image (sky, stars and galaxies in e-) times the true flat's median, the normalisation
 * a median-1 master flat leaves (the zero point absorbs it). Criteria, set before measuring, over the pixels ISR did
 * not mask (BAD, SAT, CR, INTRP): mean residual &lt; 0.1 e-; chi^2/dof of the residual against ISR's own variance
 * plane within 2% of 1; &ge; 99% of the pixels a cosmic ray hit with more than 10 sigma masked CR; fewer than 1% of
 * the centre pixels of stars and galaxies of more than 5,000 e- masked CR; at most 1% of the CR pixels more than a
 * pixel from any hit (added 2026-12-05, when a hit beside a star took the star: 0 of 1,255 here, before and after that
 * was mended, as no hit on this CCD lands beside a star; CosmicRayFinderTest has that case); every defect pixel BAD; and with crosstalk or linearity
 * switched off the residual of the pixels they affect is visibly wrong (the steps do work).
 */
class FullIsrTruthTest {

    static final int CCD = 28;
    static final long SEED = 71;
    static final RawExposureSimulator SIMULATOR = new RawExposureSimulator();
    static final double RA = 10.4583;
    static final double DEC = -9.3031;

    static SimulatedCcd science;
    static FullIsr.Calibrations calibs;
    static FullIsr.Result result;
    static double flatNorm;

    @BeforeAll
    static void simulateAndCalibrate() {
        CampaignSpec spec = CampaignSpec.preset(CampaignSpec.Scale.TEST, "ISR", RA, DEC).seed(SEED)
                .ccds(List.of(CCD)).bands(List.of(Band.R)).nights(1).visitsPerBandPerNight(1).zerosPerNight(12)
                .flatsPerBandPerNight(8).build();
        List<PlannedExposure> plan = CampaignPlanner.plan(spec);
        List<PlannedExposure> zeros = plan.stream().filter(e -> e.obsType() == ObsType.ZERO).toList();
        List<PlannedExposure> flats = plan.stream().filter(e -> e.obsType() == ObsType.DOME_FLAT).toList();
        PlannedExposure exposure = plan.stream().filter(e -> e.obsType() == ObsType.SCIENCE).findFirst().orElseThrow();
        CalibProduct bias = MasterBias.build(raws(zeros), MasterBias.Config.defaults());
        CalibProduct flat = MasterFlat.build(raws(flats), bias, MasterFlat.Config.defaults());
        science = SIMULATOR.simulateCcd(new ExposureScene("ISR", exposure, new CampaignWriter(spec).sky(), SEED,
                true), CCD);
        InstrumentModel model = InstrumentModel.of(SEED, CCD);
        // crosstalk, linearizer and defects as write-curated-calibrations writes them, read back as ISR reads them
        Map<String, byte[]> curated = new HashMap<>();
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("curated");
            for (CuratedCalibrations.Product p : CuratedCalibrations.decam(SEED).write(CCD, dir)) {
                curated.put(p.datasetType(), java.nio.file.Files.readAllBytes(p.file()));
            }
            calibs = new FullIsr.Calibrations(bias, flat, null,
                    CuratedCalibrationReader.crosstalk(curated.get("crosstalk")),
                    CuratedCalibrationReader.linearizer(curated.get("linearizer")),
                    CuratedCalibrationReader.defects(curated.get("defects")), model.brighterFatter().kernel());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertEquals(crosstalk(model), calibs.crosstalk(), "curated crosstalk read back");
        assertEquals(linearizer(model), calibs.linearizer(), "curated linearizer read back");
        assertEquals(defects(model), calibs.defects(), "curated defects read back");
        long t0 = System.nanoTime();
        result = FullIsr.run(science.toRawCcd(), FullIsrConfig.defaults(), calibs);
        System.out.printf(Locale.ROOT, "full ISR of %s in %.1f s: %s; %d CR pixels, %d interpolated, %d bleed%n",
                science.truth().detpos(), (System.nanoTime() - t0) / 1e9, result.isr().stepsApplied(),
                result.cosmicRayPixels(), result.interpolatedPixels(), result.bleedPixels());
        float[] f = science.truth().effects().flat().array().clone();
        Arrays.sort(f);
        flatNorm = f[f.length / 2];
    }

    static Iterable<RawCcd> raws(List<PlannedExposure> exposures) {
        return () -> new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < exposures.size();
            }

            @Override
            public RawCcd next() {
                return SIMULATOR.simulateCcd(new ExposureScene("ISR", exposures.get(i++), null, SEED, true), CCD)
                        .toRawCcd();
            }
        };
    }

    static Crosstalk crosstalk(InstrumentModel model) {
        List<Crosstalk.Term> terms = new ArrayList<>();
        for (CrosstalkTerm t : model.intraCcdCrosstalk()) {
            terms.add(new Crosstalk.Term(t.victimAmp(), t.sourceAmp(), t.coefficient()));
        }
        return new Crosstalk(terms);
    }

    static Linearizer linearizer(InstrumentModel model) {
        Map<String, Linearizer.Params> p = new HashMap<>();
        for (var amp : model.amps()) {
            NonLinearity nl = model.nonLinearity(amp.name());
            p.put(amp.name(), new Linearizer.Params(nl.alpha(), nl.delta(), nl.tau()));
        }
        return new Linearizer(p);
    }

    static List<PixelBox> defects(InstrumentModel model) {
        return model.defects().all().stream().map(Defect::box).toList();
    }

    /** {mean residual, chi^2/dof, pixels} over the pixels without any of {@code excluded}. */
    static double[] residual(FullIsr.Result r, int excluded) {
        ImageF truth = science.truth().expectedElectrons();
        float[] t = truth.array();
        float[] img = r.isr().exposure().image().array();
        float[] var = r.isr().exposure().variance().array();
        int[] mask = r.isr().exposure().mask().array();
        double sum = 0;
        double chi2 = 0;
        long n = 0;
        for (int k = 0; k < img.length; k++) {
            if ((mask[k] & excluded) != 0 || !Float.isFinite(img[k])) {
                continue;
            }
            double d = img[k] - flatNorm * t[k];
            sum += d;
            chi2 += d * d / var[k];
            n++;
        }
        return new double[] {sum / n, chi2 / n, n};
    }

    static final int MASKED = MaskPlane.BAD.bitmask() | MaskPlane.SAT.bitmask() | MaskPlane.CR.bitmask()
            | MaskPlane.INTRP.bitmask() | MaskPlane.NO_DATA.bitmask();

    @Test
    void residualMeanBelowATenthOfAnElectronAndChi2WithinTwoPercent() {
        double[] r = residual(result, MASKED);
        System.out.printf(Locale.ROOT, "ISR residual over %.0f unmasked pixels: mean %+.4f e-, chi2/dof %.4f"
                + " (flat median %.4f)%n", r[2], r[0], r[1], flatNorm);
        assertTrue(Math.abs(r[0]) < 0.1, "mean residual " + r[0] + " e-");
        assertTrue(Math.abs(r[1] - 1) < 0.02, "chi2/dof " + r[1]);
    }

    /**
     * The brighter-fatter inversion met LSST's threshold within its iterations, and the postISRCCD's header says what
     * it did (BFITER, BFDIFF, BFCONV, BFTERMS), as the result does.
     */
    @Test
    void brighterFatterMetTheThresholdAndTheHeaderSaysSo() {
        var bf = result.brighterFatter();
        var meta = result.isr().metadata();
        assertTrue(bf != null && bf.converged() && bf.iterations() < FullIsrConfig.BF_MAX_ITERATIONS
                && bf.lastChange() < FullIsrConfig.BF_THRESHOLD, String.valueOf(bf));
        assertEquals(bf.iterations(), meta.getIntValue("BFITER"));
        assertEquals(bf.terms(), meta.getIntValue("BFTERMS"));
        assertTrue(meta.getBooleanValue("BFCONV"));
        assertEquals(bf.lastChange(), meta.getDoubleValue("BFDIFF"), 1e-6 * bf.lastChange());
    }

    @Test
    void cosmicRaysAreMaskedAndStarsAreNot() {
        CosmicRays.Result rays = science.truth().effects().cosmicRays();
        int[] mask = result.isr().exposure().mask().array();
        float[] var = result.isr().exposure().variance().array();
        int w = result.isr().exposure().width();
        int strong = 0;
        int masked = 0;
        for (int i = 0; i < rays.pixels().length; i++) {
            int k = rays.pixels()[i];
            if (rays.electrons()[i] > 10 * Math.sqrt(var[k]) && (mask[k] & (MaskPlane.BAD.bitmask()
                    | MaskPlane.SAT.bitmask())) == 0) {
                strong++;
                if ((mask[k] & MaskPlane.CR.bitmask()) != 0) {
                    masked++;
                }
            }
        }
        // the centres of the stars and galaxies bright enough that a cosmic-ray finder could mistake their cores
        List<double[]> objects = new ArrayList<>();
        science.truth().stars().forEach(st -> objects.add(new double[] {st.x(), st.y(), st.fluxElectrons()}));
        science.truth().galaxies().forEach(g -> objects.add(new double[] {g.x(), g.y(), g.renderedElectrons()}));
        int stars = 0;
        int starsHit = 0;
        for (double[] o : objects) {
            int x = (int) Math.round(o[0]);
            int y = (int) Math.round(o[1]);
            if (x < 2 || y < 2 || x >= w - 2 || y >= result.isr().exposure().height() - 2 || o[2] < 5000) {
                continue;
            }
            stars++;
            if ((mask[y * w + x] & MaskPlane.CR.bitmask()) != 0) {
                starsHit++;
            }
        }
        // CR pixels that no cosmic ray came within a pixel of: the finder's false positives (a hit beside a star once
        // took the whole star with it)
        int h = result.isr().exposure().height();
        boolean[] nearHit = new boolean[mask.length];
        for (int k : rays.pixels()) {
            int x = k % w;
            int y = k / w;
            for (int yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1); yy++) {
                for (int xx = Math.max(0, x - 1); xx <= Math.min(w - 1, x + 1); xx++) {
                    nearHit[yy * w + xx] = true;
                }
            }
        }
        int crPixels = 0;
        int falseCr = 0;
        for (int k = 0; k < mask.length; k++) {
            if ((mask[k] & MaskPlane.CR.bitmask()) != 0) {
                crPixels++;
                if (!nearHit[k]) {
                    falseCr++;
                }
            }
        }
        System.out.printf(Locale.ROOT, "cosmic rays: %d of %d pixels hit by > 10 sigma masked CR (%.2f%%); %d of %d"
                + " star and galaxy centres (> 5,000 e-) masked CR; %d of %d CR pixels more than a pixel from any hit%n",
                masked, strong, 100.0 * masked / strong, starsHit, stars, falseCr, crPixels);
        assertTrue(strong > 100, "too few cosmic-ray pixels to judge: " + strong);
        assertTrue(masked >= 0.99 * strong, masked + " of " + strong + " strong cosmic-ray pixels masked");
        assertTrue(stars >= 50, "too few bright objects to judge: " + stars);
        assertTrue(starsHit < 0.01 * stars + 1, starsHit + " of " + stars + " object centres masked as cosmic rays");
        assertTrue(falseCr <= 0.01 * crPixels, falseCr + " of " + crPixels + " CR pixels more than a pixel from any hit");
    }

    @Test
    void everyDefectPixelIsBadAndInterpolated() {
        int[] mask = result.isr().exposure().mask().array();
        int w = result.isr().exposure().width();
        int h = result.isr().exposure().height();
        int pixels = 0;
        for (PixelBox b : calibs.defects()) {
            for (int y = Math.max(0, b.y0()); y <= Math.min(h - 1, b.maxY()); y++) {
                for (int x = Math.max(0, b.x0()); x <= Math.min(w - 1, b.maxX()); x++) {
                    int m = mask[y * w + x];
                    assertTrue((m & MaskPlane.BAD.bitmask()) != 0 && (m & MaskPlane.INTRP.bitmask()) != 0,
                            "defect pixel (" + x + ", " + y + ") mask " + m);
                    pixels++;
                }
            }
        }
        assertTrue(pixels > 1000, "the CCD has defects to check: " + pixels);
    }

    @Test
    void switchingCrosstalkOrLinearityOffLeavesTheirSignature() {
        FullIsr.Result noLin = FullIsr.run(science.toRawCcd(), FullIsrConfig.defaults().with("doLinearize", false)
                .with("doCosmicRay", false), calibs);
        double[] lin = residual(noLin, MASKED);
        System.out.printf(Locale.ROOT, "without linearity: mean residual %+.3f e-%n", lin[0]);
        // the low-signal deficit (delta tau ~ 0.5-4 ADU, x gain) makes the sky read low by several e-
        assertTrue(lin[0] < -1.0, "linearity off should leave a deficit, mean residual " + lin[0]);
        assertEquals(List.of("overscan", "gain", "assemble", "saturation", "bias", "crosstalk", "variance",
                "defects", "bleed", "brighterFatter", "flat", "interpolate"), noLin.isr().stepsApplied());
        FullIsr.Result noXt = FullIsr.run(science.toRawCcd(), FullIsrConfig.defaults().with("doCrosstalk", false),
                calibs);
        double[] xt = residual(noXt, MASKED);
        double[] all = residual(result, MASKED);
        // what crosstalk put in, from the truth: each victim pixel gained c x g_v / g_s x the source amplifier's
        // collected charge at the mirrored readout position (DECam: x <-> 2047 - x), then was divided by the flat
        float[] collected = science.truth().noisyElectrons().array();
        float[] masterFlat = calibs.flat().image().image().array();
        int[] m = result.isr().exposure().mask().array();
        float[] out = result.isr().exposure().image().array();
        int w = result.isr().exposure().width();
        double added = 0;
        long n = 0;
        for (int k = 0; k < out.length; k++) {
            if ((m[k] & MASKED) != 0 || !Float.isFinite(out[k])) {
                continue;
            }
            int x = k % w;
            int y = k / w;
            String victim = x < w / 2 ? "B" : "A";
            double c = 0;
            for (Crosstalk.Term t : calibs.crosstalk().terms()) {
                if (t.victimAmp().equals(victim)) {
                    c += t.coefficient() * science.truth().amplifier(victim).gain()
                            / science.truth().amplifier(t.sourceAmp()).gain();
                }
            }
            added += c * collected[y * w + (w - 1 - x)] / masterFlat[k];
            n++;
        }
        double expected = added / n;
        double shift = xt[0] - all[0];
        System.out.printf(Locale.ROOT, "without crosstalk: mean residual moves by %+.3f e-; the crosstalk the"
                + " instrument added, from the truth: %+.3f e-%n", shift, expected);
        assertTrue(Math.abs(shift - expected) < 0.1 * Math.abs(expected) + 0.02, "crosstalk off moved the mean by "
                + shift + " e-, the instrument added " + expected + " e-");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FullIsr.run(
                science.toRawCcd(), FullIsrConfig.defaults().with("doFringe", true), calibs));
        assertTrue(e.getMessage().contains("fringe (doFringe)") && e.getMessage().contains("isr:doFringe=False"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FullIsrConfig.defaults().with("doFlats", true));
    }
}
