package org.lovoccs.imaging.isr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.MaskPlane;
import org.lovoccs.imaging.MaskedImage;
import org.lovoccs.imaging.fits.FitsHeaders;
import org.lovoccs.imaging.raw.RawCcd;
import org.lovoccs.imaging.raw.RawFormatException;
import org.lovoccs.imaging.raw.SmallRaws;

class IsrTaskTest {

    @Test
    void noiseFreeRawIsRecoveredExactly() {
        for (OverscanStatistic stat : OverscanStatistic.values()) {
            IsrResult r = IsrTask.run(SmallRaws.raw(), IsrConfig.defaults().withOverscanStatistic(stat));
            MaskedImage mi = r.exposure();
            assertEquals(20, mi.width());
            assertEquals(6, mi.height());
            for (int y = 0; y < 6; y++) {
                for (int x = 0; x < 20; x++) {
                    if (x == 12 && y == 2) {
                        continue;
                    }
                    assertEquals(SmallRaws.electrons(x, y), mi.image().get(x, y), 1e-4, stat + " at " + x + "," + y);
                    double rn = x < 10 ? 5.0 : 6.0;
                    assertEquals(SmallRaws.electrons(x, y) + rn * rn, mi.variance().get(x, y), 1e-3);
                    assertEquals(0, mi.mask().get(x, y));
                }
            }
            assertTrue(mi.mask().isSet(12, 2, MaskPlane.SAT));
            assertEquals(1, mi.mask().count(MaskPlane.SAT));
            assertEquals(List.of("overscan", "gain", "assemble", "variance", "saturation"), r.stepsApplied());
            AmpIsrStats a = r.amplifier("A");
            assertEquals(1, a.saturatedPixels());
            double meanBiasA = 0;
            for (int row = 3; row < 9; row++) {
                meanBiasA += SmallRaws.biasA(row) / 6.0;
            }
            assertEquals(meanBiasA, a.overscanMeanAdu(), 1e-9);
            assertEquals(0.0, a.overscanNoiseAdu(), 1e-9);
            assertEquals("B", r.amplifiers().get(0).name());
        }
    }

    @Test
    void metadataAndWcsFollowTheTrim() {
        IsrResult r = IsrTask.run(SmallRaws.raw(), IsrConfig.defaults());
        assertEquals("electron", r.metadata().getStringValue("BUNIT"));
        assertEquals(12345, r.metadata().getIntValue("EXPNUM"));
        assertEquals("S29", r.metadata().getStringValue("DETPOS"));
        assertEquals("overscan,gain,assemble,variance,saturation", r.metadata().getStringValue("ISRSTEPS"));
        assertEquals("MEAN_CLIPPED", r.metadata().getStringValue("ISROSSTA"));
        assertEquals(4.0, r.metadata().getDoubleValue("GAINA"));
        assertTrue(r.metadata().containsKey("OSLEVB"));
        assertTrue(r.metadata().containsKey("OSNOISEA"));
        assertEquals(1000.5 - 10, r.wcs().getDoubleValue("CRPIX1"), 1e-12);
        assertEquals(-50.0 - 3, r.wcs().getDoubleValue("CRPIX2"), 1e-12);
        assertEquals("RA---TAN", r.wcs().getStringValue("CTYPE1"));
        assertEquals(7.3e-5, r.wcs().getDoubleValue("CD2_1"));
    }

    @Test
    void optionalSteps() {
        RawCcd raw = SmallRaws.raw();
        IsrResult noOverscan = IsrTask.run(raw, IsrConfig.defaults().withOverscan(false).withVariance(false)
                .withSaturation(false));
        assertEquals((SmallRaws.biasB(3) + 0) * SmallRaws.GAIN_B, noOverscan.exposure().image().get(0, 0), 1e-3);
        assertTrue(Float.isNaN(noOverscan.exposure().variance().get(3, 3)));
        assertEquals(0, noOverscan.exposure().mask().count(MaskPlane.SAT));
        assertEquals(List.of("gain", "assemble"), noOverscan.stepsApplied());
        assertTrue(Double.isNaN(noOverscan.amplifier("A").overscanMeanAdu()));

        IsrResult untrimmed = IsrTask.run(raw, IsrConfig.defaults().withAssemble(false));
        MaskedImage mi = untrimmed.exposure();
        assertEquals(SmallRaws.WIDTH, mi.width());
        assertEquals(SmallRaws.HEIGHT, mi.height());
        assertTrue(Float.isNaN(mi.image().get(5, 5)));
        assertTrue(mi.mask().isSet(5, 5, MaskPlane.NO_DATA));
        assertTrue(Float.isNaN(mi.variance().get(5, 5)));
        assertEquals(SmallRaws.electrons(3, 2), mi.image().get(13, 5), 1e-4);
        assertFalse(mi.mask().isSet(13, 5, MaskPlane.NO_DATA));
        assertTrue(mi.mask().isSet(22, 5, MaskPlane.SAT));
        assertEquals(1000.5, untrimmed.wcs().getDoubleValue("CRPIX1"), 1e-12);
    }

    @Test
    void tooFewOverscanColumnsIsRefused() {
        RawCcd raw = SmallRaws.raw();
        IsrConfig skipAll = IsrConfig.defaults().withOverscanSkipColumns(6);
        RawFormatException e = assertThrows(RawFormatException.class, () -> IsrTask.run(raw, skipAll));
        assertTrue(e.getMessage().startsWith("HDU S29: BIASSEC"), e.getMessage());
    }

    @Test
    void missingKeywordIsRefusedBeforeAnyWork() {
        RawCcd raw = SmallRaws.raw();
        raw.header().deleteKey("BIASSECA");
        RawFormatException e = assertThrows(RawFormatException.class, () -> IsrTask.run(raw, IsrConfig.defaults()));
        assertTrue(e.getMessage().startsWith("HDU S29: missing keyword BIASSECA"), e.getMessage());
        FitsHeaders.add(raw.header(), "BIASSECA", "[31:38,4:9]", "");
        IsrTask.run(raw, IsrConfig.defaults());
    }
}
