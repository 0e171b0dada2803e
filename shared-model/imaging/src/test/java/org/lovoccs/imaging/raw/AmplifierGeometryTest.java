package org.lovoccs.imaging.raw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nom.tam.fits.Header;
import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.PixelBox;
import org.lovoccs.imaging.fits.FitsHeaders;

class AmplifierGeometryTest {

    /** The DECam archive layout, keywords only. */
    static Header decamHeader() {
        Header h = FitsHeaders.imageExtension(16, 2160, 4146);
        FitsHeaders.add(h, "EXTNAME", "S29", "");
        FitsHeaders.add(h, "DATASEC", "[57:2104,51:4146]", "");
        FitsHeaders.add(h, "TRIMSEC", "[57:2104,51:4146]", "");
        FitsHeaders.add(h, "GAINA", 4.039, "");
        FitsHeaders.add(h, "GAINB", 3.781, "");
        FitsHeaders.add(h, "RDNOISEA", 6.139, "");
        FitsHeaders.add(h, "RDNOISEB", 5.982, "");
        FitsHeaders.add(h, "SATURATA", 38652.0, "");
        FitsHeaders.add(h, "SATURATB", 37531.0, "");
        FitsHeaders.add(h, "DATASECA", "[1081:2104,51:4146]", "");
        FitsHeaders.add(h, "DATASECB", "[57:1080,51:4146]", "");
        FitsHeaders.add(h, "BIASSECA", "[2105:2154,51:4146]", "");
        FitsHeaders.add(h, "BIASSECB", "[7:56,51:4146]", "");
        FitsHeaders.add(h, "PRESECA", "[2155:2160,51:4146]", "");
        FitsHeaders.add(h, "PRESECB", "[1:6,51:4146]", "");
        FitsHeaders.add(h, "AMPSECA", "[2048:1025,1:4096]", "");
        FitsHeaders.add(h, "AMPSECB", "[1:1024,1:4096]", "");
        return h;
    }

    @Test
    void decamLayoutFromKeywords() {
        AmplifierGeometry g = AmplifierGeometry.fromHeader(decamHeader());
        assertEquals("S29", g.hduName());
        assertEquals(new PixelBox(56, 50, 2048, 4096), g.trimBox());
        assertEquals(2, g.amplifiers().size());
        Amplifier b = g.amplifiers().get(0);
        Amplifier a = g.amplifiers().get(1);
        assertEquals("B", b.name());
        assertEquals("A", a.name());
        assertEquals(new PixelBox(0, 0, 1024, 4096), b.assembledBox());
        assertEquals(new PixelBox(1024, 0, 1024, 4096), a.assembledBox());
        assertEquals(new PixelBox(2104, 50, 50, 4096), a.biasBox());
        assertEquals(new PixelBox(6, 50, 50, 4096), b.biasBox());
        assertEquals(new PixelBox(0, 50, 6, 4096), b.prescan().box());
        assertTrue(a.ampSection().flipX());
        assertEquals(4.039, a.gain());
        assertEquals(5.982, b.readNoise());
        assertEquals(38652.0, a.saturation());
    }

    @Test
    void missingBiassecIsNamed() {
        Header h = decamHeader();
        h.deleteKey("BIASSECA");
        RawFormatException e = assertThrows(RawFormatException.class, () -> AmplifierGeometry.fromHeader(h));
        assertTrue(e.getMessage().startsWith("HDU S29: missing keyword BIASSECA"), e.getMessage());
        assertEquals("BIASSECA", e.keyword());
        assertEquals("S29", e.hduName());
    }

    @Test
    void everyRequiredKeywordIsChecked() {
        for (String key : new String[] {"DATASECA", "DATASECB", "BIASSECB", "GAINA", "RDNOISEB", "SATURATA"}) {
            Header h = decamHeader();
            h.deleteKey(key);
            RawFormatException e = assertThrows(RawFormatException.class, () -> AmplifierGeometry.fromHeader(h));
            assertTrue(e.getMessage().contains("missing keyword " + key), e.getMessage());
        }
    }

    @Test
    void optionalPrescanAndTrimsec() {
        Header h = decamHeader();
        h.deleteKey("PRESECA");
        h.deleteKey("AMPSECA");
        h.deleteKey("TRIMSEC");
        h.deleteKey("DATASEC");
        AmplifierGeometry g = AmplifierGeometry.fromHeader(h);
        assertNull(g.amplifier("A").prescan());
        assertEquals(new PixelBox(56, 50, 2048, 4096), g.trimBox());
    }

    @Test
    void malformedValuesAreRefusedByName() {
        assertRefused("BIASSECA", "[2105:2154;51:4146]", "BIASSECA='[2105:2154;51:4146]'");
        assertRefused("GAINB", "fast", "GAINB='fast' is not a number");
        assertRefused("GAINB", "0", "GAINB = 0.0 is not a positive gain");
        assertRefused("DATASECA", "[2104:1081,51:4146]", "runs backwards");
        assertRefused("BIASSECA", "[2105:2164,51:4146]", "outside the 2160x4146 image");
        assertRefused("BIASSECA", "[1000:1049,51:4146]", "BIASSECA='[1000:1049,51:4146]' overlaps DATASECB");
        assertRefused("BIASSECB", "[7:56,100:4146]", "does not cover the rows of DATASECB");
        assertRefused("DATASECA", "[1000:2023,51:4146]", "overlaps DATASECB");
        assertRefused("DATASECA", "[1081:2100,51:4146]", "the trim section [57:2104,51:4146] has 8388608");
        assertRefused("TRIMSEC", "[57:2000,51:4146]", "is not inside the CCD's trim section");
    }

    @Test
    void noAmplifierKeywordsAtAll() {
        Header h = FitsHeaders.imageExtension(16, 100, 100);
        FitsHeaders.add(h, "DETPOS", "N4", "");
        RawFormatException e = assertThrows(RawFormatException.class, () -> AmplifierGeometry.fromHeader(h));
        assertTrue(e.getMessage().startsWith("HDU N4: missing keyword DATASECA"), e.getMessage());
    }

    private static void assertRefused(String key, String value, String expected) {
        Header h = decamHeader();
        FitsHeaders.add(h, key, value, "");
        RawFormatException e = assertThrows(RawFormatException.class, () -> AmplifierGeometry.fromHeader(h),
                key + "=" + value);
        assertTrue(e.getMessage().startsWith("HDU S29: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
