package org.lovoccs.isr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import nom.tam.fits.Fits;
import nom.tam.util.FitsOutputStream;
import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.astrometry.AstrometryConfig;
import org.lovoccs.imaging.characterize.CharacterizeConfig;
import org.lovoccs.imaging.characterize.DetectionConfig;
import org.lovoccs.imaging.fits.FitsHduIndex;
import org.lovoccs.imaging.isr.FullIsrConfig;
import org.lovoccs.imaging.isr.IsrConfig;
import org.lovoccs.imaging.isr.OverscanStatistic;

/** The quantum's config, as the pipeline's dump-config gives it, turned into what the worker runs. */
class TaskConfigsTest {

    /** isr's effective config in pipelines/LoVoCCS-orchestrator.yaml (the keys the orchestrator sends). */
    static Map<String, String> orchestratorIsr() {
        Map<String, String> c = new HashMap<>();
        for (String k : IsrConfigs.NOT_IMPLEMENTED) {
            c.put(k, "False");
        }
        c.putAll(Map.of("doBias", "False", "doFlat", "False"));
        c.putAll(Map.of("doOverscan", "True", "overscan.fitType", "MEANCLIP_PER_ROW", "overscan.order", "1",
                "overscan.numSigmaClip", "3.0", "overscan.leadingColumnsToSkip", "2",
                "overscan.trailingColumnsToSkip", "0", "doAssembleCcd", "True", "doSaturation", "True",
                "saturatedMaskName", "SAT", "growSaturationFootprintSize", "0"));
        c.putAll(Map.of("doVariance", "True", "doWrite", "True", "brighterFatterMaxIter", "10",
                "connections.outputExposure", "postISRCCD"));
        return c;
    }

    /**
     * Every IsrTask of the bundled pipelines (the orchestrator's default and prompt processing: isr, step0's
     * isrForCrosstalkSources, the cp ISRs) has an effective config the worker runs, as the orchestrator sends it.
     */
    @Test
    void everyIsrTaskOfTheBundledPipelinesHasAConfigTheWorkerRuns() {
        for (String file : List.of("LoVoCCS-orchestrator.yaml", "LoVoCCS-prompt.yaml")) {
            org.lovoccs.pipeline.Pipeline p = org.lovoccs.pipeline.Pipeline.load(
                    java.nio.file.Path.of("../../pipelines", file), null);
            int n = 0;
            for (var t : p.tasks().values()) {
                if (!t.className().equals(IsrWorker.ISR_CLASS)) {
                    continue;
                }
                try {
                    IsrConfigs.from(asSent(p, t.label()));
                } catch (IllegalArgumentException e) {
                    throw new AssertionError(file + " " + t.label() + ": " + e.getMessage(), e);
                }
                n++;
            }
            assertTrue(n >= 3, file + ": IsrTasks checked: " + n);
        }
        // step0 makes the crosstalk sources: overscan only, unassembled
        org.lovoccs.pipeline.Pipeline d = org.lovoccs.pipeline.Pipeline.load(
                java.nio.file.Path.of("../../pipelines", "LoVoCCS-orchestrator.yaml"), null);
        IsrConfigs.WorkerConfig w = IsrConfigs.from(asSent(d, "isrForCrosstalkSources"));
        assertTrue(w.full() == null && !w.doBias() && !w.doFlat() && w.isr().doOverscan() && !w.isr().doAssemble(),
                "step0's config: " + w);
        assertEquals(OverscanStatistic.MEAN_CLIPPED, w.isr().overscanStatistic(), "the same overscan as isr's");
        // the brighter-fatter tolerance is declared twice (IsrTask's field default, FullIsrConfig's): one value
        assertEquals(FullIsrConfig.BF_KERNEL_TOLERANCE, IsrConfigs.from(asSent(d, "isr")).full()
                .brighterFatterKernelTolerance(), "the pipeline's default is the library's");
    }

    /** A task's effective config as the orchestrator sends it (Python's True/False for booleans). */
    private static Map<String, String> asSent(org.lovoccs.pipeline.Pipeline p, String label) {
        Map<String, String> config = new HashMap<>();
        p.effectiveConfig(label).forEach((k, v) -> config.put(k, v instanceof Boolean b ? (b ? "True" : "False")
                : String.valueOf(v)));
        return config;
    }

    @Test
    void isrConfigFollowsThePipelineFields() {
        IsrConfigs.WorkerConfig w = IsrConfigs.from(orchestratorIsr());
        assertEquals(IsrConfig.defaults(), w.isr(), "the orchestrator's pipeline asks for the worker's defaults");
        assertFalse(w.doBias() || w.doFlat());
        Map<String, String> median = orchestratorIsr();
        median.put("overscan.fitType", "MEDIAN_PER_ROW");
        median.put("doAssembleCcd", "False");
        IsrConfig m = IsrConfigs.from(median).isr();
        assertEquals(OverscanStatistic.MEDIAN, m.overscanStatistic());
        assertFalse(m.doAssemble());
    }

    @Test
    void isrRefusesACorrectionItDoesNotApplyNamingIt() {
        Map<String, String> c = orchestratorIsr();
        c.put("doDark", "True");
        var e = assertThrows(IsrConfigs.UnsupportedConfigException.class, () -> IsrConfigs.from(c));
        assertTrue(e.getMessage().contains("isr:doDark=True is not implemented") && e.getMessage()
                .contains("isr:doDark=False"), e.getMessage());
        Map<String, String> withBias = orchestratorIsr();
        withBias.put("doBias", "True");
        withBias.put("doFlat", "True");
        assertTrue(IsrConfigs.from(withBias).doBias() && IsrConfigs.from(withBias).doFlat(),
                "bias and flat are applied from the quantum's master calibrations");
        assertEquals(null, IsrConfigs.from(withBias).full(), "bias and flat alone: the lean calibration-product ISR");
        withBias.put("doAssembleCcd", "False");
        assertTrue(assertThrows(IsrConfigs.UnsupportedConfigException.class, () -> IsrConfigs.from(withBias))
                .getMessage().contains("need doAssembleCcd=True"));
        Map<String, String> poly = orchestratorIsr();
        poly.put("overscan.fitType", "POLY");
        assertTrue(assertThrows(IsrConfigs.UnsupportedConfigException.class, () -> IsrConfigs.from(poly))
                .getMessage().contains("MEDIAN_PER_ROW or MEANCLIP_PER_ROW"));
        Map<String, String> typo = orchestratorIsr();
        typo.put("doOverscna", "True");
        assertTrue(assertThrows(IsrConfigs.UnsupportedConfigException.class, () -> IsrConfigs.from(typo))
                .getMessage().contains("no config field 'doOverscna'"));
    }

    @Test
    void theScienceIsrSwitchesFollowThePipelineFields() {
        Map<String, String> c = orchestratorIsr();
        for (String k : List.of("doBias", "doFlat", "doFringe", "doCrosstalk", "doLinearize", "doBrighterFatter",
                "doDefect", "doSaturationInterpolation", "doInterpolate", "doCosmicRay")) {
            c.put(k, "True");
        }
        c.put("brighterFatterMaxIter", "3");
        var full = IsrConfigs.from(c).full();
        assertTrue(full != null && full.doBias() && full.doFlat() && full.doFringe() && full.doCrosstalk()
                && full.doLinearize() && full.doBrighterFatter() && full.doDefect() && full.doCosmicRay()
                && full.doInterpolate() && full.doSaturation(), String.valueOf(full));
        assertEquals(3, full.brighterFatterIterations());
        assertEquals(1e-3, full.brighterFatterKernelTolerance(), "the kernel's terms kept to 1e-3 unless set");
        assertEquals(FullIsrConfig.BF_THRESHOLD, full.brighterFatterThreshold(), "LSST's threshold unless set");
        assertEquals(0.1, full.brighterFatterPixelTolerance(), "changes convolved to 0.1 e- unless set");
        c.put("brighterFatterThreshold", "0");
        c.put("brighterFatterPixelTolerance", "0");
        full = IsrConfigs.from(c).full();
        assertEquals(0, full.brighterFatterThreshold(), "isr:brighterFatterThreshold=0 runs every iteration");
        assertEquals(0, full.brighterFatterPixelTolerance(), "isr:brighterFatterPixelTolerance=0: the whole CCD");
        c.put("brighterFatterPixelTolerance", "-1");
        assertTrue(assertThrows(IsrConfigs.UnsupportedConfigException.class, () -> IsrConfigs.from(c))
                .getMessage().contains("brighterFatterPixelTolerance must be >= 0"));
        c.put("brighterFatterPixelTolerance", "0.1");
        c.put("brighterFatterThreshold", "-5");
        assertTrue(assertThrows(IsrConfigs.UnsupportedConfigException.class, () -> IsrConfigs.from(c))
                .getMessage().contains("brighterFatterThreshold must be >= 0"));
        c.remove("brighterFatterThreshold");
        c.put("brighterFatterKernelTolerance", "0");
        assertEquals(0, IsrConfigs.from(c).full().brighterFatterKernelTolerance());
        c.put("brighterFatterKernelTolerance", "1.5");
        assertTrue(assertThrows(IsrConfigs.UnsupportedConfigException.class, () -> IsrConfigs.from(c))
                .getMessage().contains("must be in [0, 1)"));
        c.remove("brighterFatterKernelTolerance");
        c.put("doCrosstalk", "False");
        assertFalse(IsrConfigs.from(c).full().doCrosstalk(), "isr:doCrosstalk=False switches crosstalk off");
        c.put("doInterpolate", "False");
        assertTrue(assertThrows(IsrConfigs.UnsupportedConfigException.class, () -> IsrConfigs.from(c))
                .getMessage().contains("set both to the same value"));
    }

    @Test
    void calibrateRefusesWhatItDoesNotImplementByName() {
        Map<String, String> c = new HashMap<>(Map.of("doAstrometry", "True", "requireAstrometry", "True",
                "doPhotoCal", "True", "requirePhotoCal", "True", "doDeblend", "True", "doWriteMatches", "False",
                "doWriteMatchesDenormalized", "False", "photoCal.applyColorTerms", "False",
                "astrometry.matcher.maxOffsetPix", "250", "astromRefObjLoader.anyFilterMapsToThis", "phot_g_mean"));
        c.put("connections.astromRefCat", "gaia_like");
        CalibrateConfigs.Worker w = CalibrateConfigs.from(c);
        assertEquals("phot_g_mean", w.astromMagField());
        assertEquals(250 * 0.263, w.calibrate().astrometry().maxOffsetArcsec(), 1e-9);
        assertEquals(AstrometryConfig.DEFAULT_MIN_VOTES, w.calibrate().astrometry().minVotes());
        Map<String, String> lowered = new HashMap<>(c);
        lowered.put("astrometry.matcher.minMatchedPairs", "4");
        assertEquals(4, CalibrateConfigs.from(lowered).calibrate().astrometry().minVotes());
        // the field's default, as the orchestrator sends it, is the library's
        org.lovoccs.pipeline.Pipeline d = org.lovoccs.pipeline.Pipeline.load(
                java.nio.file.Path.of("../../pipelines", "LoVoCCS-orchestrator.yaml"), null);
        assertEquals(AstrometryConfig.DEFAULT_MIN_VOTES, CalibrateConfigs.from(asSent(d, "calibrate")).calibrate()
                .astrometry().minVotes(), "calibrate's declared minMatchedPairs is the library's default");
        for (String[] bad : new String[][] {{"photoCal.applyColorTerms", "True", "colour terms"},
                {"astrometry.matcher.minMatchedPairs", "2", "at least 3"},
                {"astrometry.matcher.minMatchedPairs", "many", "at least 3"},
                {"doWriteMatches", "True", "doWriteMatches=False"}, {"doPhotoCal", "False", "always fits"},
                {"doAstrometri", "True", "no config field 'doAstrometri'"}}) {
            Map<String, String> b = new HashMap<>(c);
            b.put(bad[0], bad[1]);
            String m = assertThrows(IsrConfigs.UnsupportedConfigException.class, () -> CalibrateConfigs.from(b))
                    .getMessage();
            assertTrue(m.contains(bad[2]), m);
        }
    }

    @Test
    void characterizeConfigFollowsThePipelineFields() {
        Map<String, String> c = new HashMap<>(Map.of("doMeasurePsf", "True", "doApCorr", "False", "doDeblend", "True",
                "psfIterations", "3", "useSimplePsf", "True", "installSimplePsf.fwhm", "5.5",
                "detection.thresholdValue", "7.0", "detection.thresholdType", "pixel_stdev", "doWriteExposure", "True",
                "connections.sourceCat", "icSrc"));
        CharacterizeConfig k = CharacterizeConfigs.from(c);
        assertEquals(3, k.psfIterations());
        assertEquals(5.5, k.initialPsfFwhm());
        assertEquals(7.0, k.detection().thresholdValue());
        assertEquals(DetectionConfig.ThresholdType.PIXEL_RMS, k.detection().thresholdType());
        assertTrue(k.detection().deblendPeaks());
        c.put("doApCorr", "True");
        assertTrue(assertThrows(IsrConfigs.UnsupportedConfigException.class, () -> CharacterizeConfigs.from(c))
                .getMessage().contains("aperture corrections are not implemented"));
        c.put("doApCorr", "False");
        c.put("psfIterations", "0");
        assertTrue(assertThrows(IsrConfigs.UnsupportedConfigException.class, () -> CharacterizeConfigs.from(c))
                .getMessage().contains("psfIterations must be >= 1"));
    }

    @Test
    void icExpCarriesThePsfHdusAfterTheImage() throws Exception {
        byte[] image = fits(3);
        byte[] psf = fits(1);
        byte[] both = org.lovoccs.imaging.fits.FitsHduIndex.appendExtensions(image, psf);
        List<String> names = FitsHduIndex.scan(both).stream().map(h -> h.extname()).toList();
        assertEquals(List.of("", "E0", "E1", "E2", "E0"), names.stream().map(n -> n == null ? "" : n).toList());
    }

    @Test
    void aCharacterizationFailureSaysWhatTheInputsIsrLeftUndone() {
        nom.tam.fits.Header h = new nom.tam.fits.Header();
        org.lovoccs.imaging.fits.FitsHeaders.add(h, org.lovoccs.imaging.isr.IsrResult.STEPS_KEYWORD,
                "overscan,gain,assemble,variance,saturation", null);
        String hint = CharacterizeRunner.isrHint(new org.lovoccs.imaging.isr.PostIsrCcd(
                org.lovoccs.imaging.MaskedImage.allocate(4, 4), h, null));
        assertTrue(hint.contains("applied overscan,gain,assemble,variance,saturation only: without bias, crosstalk,"
                + " linearize, defects, brighterFatter, flat, cosmicRay, interpolate"), hint);
        nom.tam.fits.Header full = new nom.tam.fits.Header();
        org.lovoccs.imaging.fits.FitsHeaders.add(full, org.lovoccs.imaging.isr.IsrResult.STEPS_KEYWORD,
                "overscan,gain,assemble,bias,crosstalk,linearize,variance,defects,bleed,brighterFatter,flat,cosmicRay,"
                        + "interpolate", null);
        assertEquals("", CharacterizeRunner.isrHint(new org.lovoccs.imaging.isr.PostIsrCcd(
                org.lovoccs.imaging.MaskedImage.allocate(4, 4), full, null)), "no hint after the science ISR (r)");
        assertEquals("", CharacterizeRunner.isrHint(new org.lovoccs.imaging.isr.PostIsrCcd(
                org.lovoccs.imaging.MaskedImage.allocate(4, 4), new nom.tam.fits.Header(), null)),
                "no hint when the input does not say");
    }

    /** A primary HDU and {@code n} small image extensions named E0, E1 ... */
    private static byte[] fits(int n) throws Exception {
        Fits f = new Fits();
        f.addHDU(Fits.makeHDU(org.lovoccs.imaging.fits.FitsHeaders.primary()));
        for (int i = 0; i < n; i++) {
            var hdu = Fits.makeHDU(new float[][]{{1, 2}, {3, 4}});
            hdu.getHeader().addValue("EXTNAME", "E" + i, null);
            f.addHDU(hdu);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (FitsOutputStream out = new FitsOutputStream(bytes)) {
            f.write(out);
        }
        return bytes.toByteArray();
    }
}
