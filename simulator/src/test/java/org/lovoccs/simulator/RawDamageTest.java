package org.lovoccs.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.util.ArrayList;
import java.util.List;

import nom.tam.fits.BasicHDU;
import nom.tam.fits.Fits;
import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.fits.FitsHduIndex;
import org.lovoccs.imaging.fits.HduSpan;
import org.lovoccs.imaging.raw.RawCcd;
import org.lovoccs.imaging.raw.RawCcdReader;
import org.lovoccs.imaging.raw.RawFormatException;

class RawDamageTest {

    @Test
    void truncatedFileFailsInsideTheLastHdu() throws Exception {
        byte[] file = Fixtures.file();
        byte[] cut = RawDamage.truncate(file, 0.4);
        List<HduSpan> spans = FitsHduIndex.scan(file);
        assertTrue(cut.length > spans.get(2).dataOffset() && cut.length < spans.get(2).end());
        assertThrows(EOFException.class, () -> FitsHduIndex.scan(cut));
        List<RawCcd> seen = new ArrayList<>();
        RawFormatException e = assertThrows(RawFormatException.class,
                () -> RawCcdReader.forEachCcd(new ByteArrayInputStream(cut), seen::add));
        assertEquals(1, seen.size(), "the intact first CCD is still delivered");
        assertTrue(e.getMessage().startsWith("HDU S4: data truncated"), e.getMessage());
        byte[] lastHdu = java.util.Arrays.copyOfRange(cut, (int) spans.get(2).offset(), cut.length);
        assertThrows(RawFormatException.class, () -> RawCcdReader.readHdu(lastHdu));
    }

    @Test
    void keywordRemovalKeepsValidFits() throws Exception {
        byte[] file = Fixtures.file();
        byte[] damaged = RawDamage.withoutKeyword(file, 1, "BIASSECA");
        assertEquals(file.length, damaged.length);
        try (Fits fits = new Fits(new ByteArrayInputStream(damaged))) {
            BasicHDU<?>[] hdus = fits.read();
            assertEquals(3, hdus.length);
            assertFalse(hdus[1].getHeader().containsKey("BIASSECA"));
            assertTrue(hdus[1].getHeader().containsKey("BIASSECB"));
            assertTrue(hdus[2].getHeader().containsKey("BIASSECA"));
            assertEquals("S29", hdus[1].getHeader().getStringValue("EXTNAME"));
        }
        byte[] noExpnum = RawDamage.withoutKeyword(file, 0, "EXPNUM");
        assertFalse(FitsHduIndex.scan(noExpnum).get(0).header().containsKey("EXPNUM"));
        assertThrows(IllegalArgumentException.class, () -> RawDamage.withoutKeyword(file, 1, "NOSUCHKY"));
        assertThrows(IllegalArgumentException.class, () -> RawDamage.withoutKeyword(file, 3, "EXTNAME"));
    }

    @Test
    void notFitsIsRecognised() {
        byte[] junk = RawDamage.notFits();
        RawFormatException e = assertThrows(RawFormatException.class,
                () -> RawCcdReader.readAll(new ByteArrayInputStream(junk)));
        assertTrue(e.getMessage().contains("not a FITS file"), e.getMessage());
        assertThrows(RawFormatException.class, () -> RawCcdReader.readHdu(junk));
        assertThrows(IllegalArgumentException.class, () -> RawDamage.truncate(junk, 0.5));
    }
}
