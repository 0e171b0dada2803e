package org.lovoccs.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.MaskPlane;
import org.lovoccs.imaging.MaskedImage;
import org.lovoccs.imaging.PixelBox;
import org.lovoccs.imaging.isr.AmpIsrStats;
import org.lovoccs.imaging.isr.IsrConfig;
import org.lovoccs.imaging.isr.IsrResult;
import org.lovoccs.imaging.isr.IsrTask;
import org.lovoccs.imaging.isr.OverscanStatistic;
import org.lovoccs.imaging.isr.PostIsrCcd;
import org.lovoccs.imaging.isr.PostIsrCcdFormatter;
import org.lovoccs.imaging.raw.RawCcd;
import org.lovoccs.imaging.raw.RawCcdReader;
import org.lovoccs.imaging.raw.RawFormatException;

/**
 * Acceptance evidence for ISR: simulated DECam raws with known truth through the worker's path (HDU byte range →
 * RawCcdReader → IsrTask → PostIsrCcdFormatter) recover the truth to the figures of SCIENCE.md.
 */
class IsrOnSimulatedRawTest {

    @Test
    void recoversTheTruthThroughTheWorkersPath() throws Exception {
        byte[] hdu = RawDamage.hduBytes(Fixtures.file(), 2);
        RawCcd raw = RawCcdReader.readHdu(hdu);
        IsrResult result = IsrTask.run(raw, IsrConfig.defaults());
        PostIsrCcd written = PostIsrCcdFormatter.read(PostIsrCcdFormatter.toBytes(result.toPostIsrCcd()));
        CcdTruth truth = Fixtures.ccd28().truth();
        assertRecovered(written.image(), truth, result);
        assertEquals("S4", written.metadata().getStringValue("DETPOS"));
        assertEquals(28, written.metadata().getIntValue("CCDNUM"));
        assertEquals(1001, written.metadata().getIntValue("EXPNUM"));
        assertEquals(Fixtures.spec().band().physicalFilter(), written.metadata().getStringValue("FILTER"));
        assertEquals(raw.header().getDoubleValue("CRPIX1") - 56, written.wcs().getDoubleValue("CRPIX1"), 1e-9);
        assertEquals(raw.header().getDoubleValue("CRPIX2") - 50, written.wcs().getDoubleValue("CRPIX2"), 1e-9);
    }

    @Test
    void medianOverscanAlsoMeetsTheFigures() {
        IsrResult result = IsrTask.run(Fixtures.ccd28().toRawCcd(),
                IsrConfig.defaults().withOverscanStatistic(OverscanStatistic.MEDIAN));
        report("MEDIAN overscan", result.exposure(), Fixtures.ccd28().truth());
    }

    @Test
    void mirroredLayoutIsHonoured() {
        RawExposureSimulator mirrored = new RawExposureSimulator(DecamCamera.standard(), RawLayout.decamMirrored(),
                true);
        SimulatedCcd ccd = mirrored.simulateCcd(Fixtures.spec().withSeed(77), 5);
        assertEquals("[57:1080,51:4146]", ccd.header().getStringValue("DATASECA"));
        assertEquals(0, ccd.truth().amplifier("A").assembledBox().x0());
        IsrResult result = IsrTask.run(ccd.toRawCcd(), IsrConfig.defaults());
        assertEquals(List.of("A", "B"), result.amplifiers().stream().map(AmpIsrStats::name).toList());
        assertRecovered(result.exposure(), ccd.truth(), result);
    }

    @Test
    void missingBiassecIsRefusedNamingIt() throws Exception {
        byte[] damaged = RawDamage.withoutKeyword(Fixtures.file(), 1, "BIASSECA");
        RawCcd raw = RawCcdReader.readAll(new ByteArrayInputStream(damaged)).get(0);
        RawFormatException e = assertThrows(RawFormatException.class, () -> IsrTask.run(raw, IsrConfig.defaults()));
        assertTrue(e.getMessage().startsWith("HDU S29: missing keyword BIASSECA"), e.getMessage());
        assertEquals("BIASSECA", e.keyword());
    }

    @Test
    void inconsistentLayoutsAreRefusedWithTheKeyword() {
        byte[] file = Fixtures.file();
        assertRefused(RawDamage.withKeyword(file, 1, "BIASSECA", "[1000:1049,51:4146]"),
                "HDU S29: BIASSECA='[1000:1049,51:4146]' overlaps DATASECB");
        assertRefused(RawDamage.withKeyword(file, 1, "DATASECA", "[2104:1081,51:4146]"),
                "HDU S29: DATASECA='[2104:1081,51:4146]' runs backwards");
        assertRefused(RawDamage.withKeyword(file, 1, "DATASECB", "[57:1080,51:4150]"),
                "HDU S29: DATASECB='[57:1080,51:4150]' lies outside the 2160x4146 image");
        assertRefused(RawDamage.withKeyword(file, 1, "GAINA", "unknown"), "HDU S29: GAINA='unknown' is not a number");
    }

    @Test
    void timing() throws Exception {
        RawExposureSimulator sim = new RawExposureSimulator();
        ExposureSpec spec = Fixtures.spec().withSeed(99);
        long bestSim = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            sim.write(spec, List.of(12), java.io.OutputStream.nullOutputStream());
            bestSim = Math.min(bestSim, System.nanoTime() - t0);
        }
        RawCcd raw = Fixtures.ccd28().toRawCcd();
        long bestIsr = Long.MAX_VALUE;
        for (int i = 0; i < 8; i++) {
            long t0 = System.nanoTime();
            IsrTask.run(raw, IsrConfig.defaults());
            bestIsr = Math.min(bestIsr, System.nanoTime() - t0);
        }
        System.out.printf(Locale.ROOT, "TIMING simulate+write one CCD: best of 3 = %.0f ms; IsrTask.run one CCD: best "
                + "of 8 = %.0f ms (%d cores)%n", bestSim / 1e6, bestIsr / 1e6, Runtime.getRuntime().availableProcessors());
        assertTrue(bestIsr < 5e9, "IsrTask.run should take well under a second, took " + bestIsr / 1e6 + " ms");
    }

    private static void assertRefused(byte[] damaged, String expected) {
        RawCcd raw = RawCcdReader.readHdu(RawDamage.hduBytes(damaged, 1));
        RawFormatException e = assertThrows(RawFormatException.class, () -> IsrTask.run(raw, IsrConfig.defaults()));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }

    /**
     * Per amplifier: mean of (ISR - noisy truth) below 0.1 e- over unsaturated pixels; chi^2/dof of
     * (ISR - expected truth)/sqrt(variance) within 2% of 1 over star-free pixels; overscan level and noise as put in.
     */
    private static void assertRecovered(MaskedImage out, CcdTruth truth, IsrResult result) {
        List<double[]> figures = report("MEAN_CLIPPED overscan", out, truth);
        for (int k = 0; k < truth.amplifiers().size(); k++) {
            AmpTruth amp = truth.amplifiers().get(k);
            double[] f = figures.get(k);
            assertTrue(Math.abs(f[0]) < 0.1, "amp " + amp.name() + ": mean residual " + f[0] + " e-");
            assertEquals(1.0, f[1], 0.02, "amp " + amp.name() + ": chi2/dof");
            AmpIsrStats stats = result.amplifier(amp.name());
            double meanBias = 0;
            for (int row = 50; row < 4146; row++) {
                meanBias += amp.biasAdu()[row] / 4096.0;
            }
            assertEquals(meanBias, stats.overscanMeanAdu(), 0.05, "overscan level of amp " + amp.name());
            double noise = Math.sqrt(amp.readNoiseAdu() * amp.readNoiseAdu() + 1.0 / 12.0);
            assertEquals(noise, stats.overscanNoiseAdu(), 0.03 * noise, "overscan noise of amp " + amp.name());
        }
        long saturatedTruth = 0;
        for (AmpTruth amp : truth.amplifiers()) {
            saturatedTruth += result.amplifier(amp.name()).saturatedPixels();
        }
        assertEquals(saturatedTruth, out.mask().count(MaskPlane.SAT));
    }

    /** {mean(ISR - noisy) over unsaturated pixels, chi^2/dof over star-free pixels} per amplifier, printed. */
    private static List<double[]> report(String label, MaskedImage out, CcdTruth truth) {
        float[] img = out.image().array();
        float[] var = out.variance().array();
        int[] mask = out.mask().array();
        float[] noisy = truth.noisyElectrons().array();
        float[] expected = truth.expectedElectrons().array();
        float sky = (float) truth.skyElectrons();
        List<double[]> figures = new java.util.ArrayList<>();
        for (AmpTruth amp : truth.amplifiers()) {
            PixelBox box = amp.assembledBox();
            double residual = 0;
            long nResidual = 0;
            double chi2 = 0;
            long nChi2 = 0;
            for (int y = box.y0(); y <= box.maxY(); y++) {
                for (int x = box.x0(); x <= box.maxX(); x++) {
                    int i = y * out.width() + x;
                    if ((mask[i] & MaskPlane.SAT.bitmask()) != 0) {
                        continue;
                    }
                    residual += img[i] - noisy[i];
                    nResidual++;
                    if (expected[i] == sky) {
                        double d = img[i] - expected[i];
                        chi2 += d * d / var[i];
                        nChi2++;
                    }
                }
            }
            double[] f = {residual / nResidual, chi2 / nChi2};
            System.out.printf(Locale.ROOT, "ISR %s, CCD %s amp %s: mean(ISR - noisy truth) = %+.4f e- over %d px; "
                    + "chi2/dof = %.4f over %d star-free px%n", label, truth.detpos(), amp.name(), f[0], nResidual, f[1],
                    nChi2);
            figures.add(f);
        }
        return figures;
    }
}
