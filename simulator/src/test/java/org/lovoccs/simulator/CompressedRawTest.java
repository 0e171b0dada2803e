package org.lovoccs.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

import nom.tam.fits.Header;
import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.fits.FitsHduIndex;
import org.lovoccs.imaging.fits.FitsHeaders;
import org.lovoccs.imaging.fits.HduSpan;
import org.lovoccs.imaging.raw.RawCcd;
import org.lovoccs.imaging.raw.RawCcdReader;

/** Simulated raws written Rice-compressed (fpack style) read back as the uncompressed ones do. */
class CompressedRawTest {

    private static byte[] rice;
    private static RawExposureSummary riceSummary;

    /** {@link Fixtures#file()}'s exposure, written with {@link RawEncoding#RICE}. */
    static synchronized byte[] riceFile() {
        if (rice == null) {
            try {
                ByteArrayOutputStream bos = new ByteArrayOutputStream();
                riceSummary = new RawExposureSimulator().write(Fixtures.spec(), Fixtures.FILE_CCDS, bos,
                        RawEncoding.RICE);
                rice = bos.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return rice;
    }

    @Test
    void plainEncodingWritesTheSameBytesAsBefore() throws Exception {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        RawExposureSummary s = new RawExposureSimulator().write(Fixtures.spec(), Fixtures.FILE_CCDS, bos,
                RawEncoding.PLAIN);
        assertArrayEquals(Fixtures.file(), bos.toByteArray());
        assertEquals(Fixtures.file().length, s.totalBytes());
    }

    @Test
    void compressedFileHoldsTheSamePixelsAndKeywords() throws Exception {
        byte[] file = riceFile();
        byte[] plain = Fixtures.file();
        List<HduSpan> spans = FitsHduIndex.scan(file);
        List<HduSpan> plainSpans = FitsHduIndex.scan(plain);
        assertEquals(3, spans.size());
        assertEquals(file.length, spans.get(2).end());
        assertEquals(plainSpans.get(0).length(), spans.get(0).length());
        assertFalse(spans.get(0).compressed());
        for (int i = 1; i <= 2; i++) {
            HduSpan span = spans.get(i);
            assertTrue(span.compressed(), "HDU " + i);
            RawExposureSummary.WrittenCcd w = riceSummary.ccds().get(i - 1);
            assertEquals(span.offset(), w.offset(), "offset of HDU " + i);
            assertEquals(span.length(), w.length(), "length of HDU " + i);
            RawCcd packed = RawCcdReader.readHdu(Arrays.copyOfRange(file, (int) span.offset(), (int) span.end()));
            HduSpan ps = plainSpans.get(i);
            RawCcd expected = RawCcdReader.readHdu(Arrays.copyOfRange(plain, (int) ps.offset(), (int) ps.end()));
            assertEquals(expected.name(), packed.name());
            assertEquals(expected.width(), packed.width());
            assertEquals(expected.height(), packed.height());
            assertArrayEquals(expected.pixels(), packed.pixels(), "pixels of HDU " + i);
            assertSameCards(expected.header(), packed.header());
            assertSameCards(ps.header(), span.imageHeader());
        }
        assertEquals(riceSummary.totalBytes(), file.length);
        double ratio = (double) file.length / plain.length;
        assertTrue(ratio > 0.2 && ratio < 0.7, "compressed/plain size " + ratio);
    }

    @Test
    void streamingReaderDecompressesEveryCcd() throws Exception {
        List<RawCcd> all = RawCcdReader.readAll(new ByteArrayInputStream(riceFile()));
        assertEquals(2, all.size());
        SimulatedCcd s4 = Fixtures.ccd28();
        RawCcd expected = s4.toRawCcd();
        assertEquals("S4", all.get(1).name());
        assertArrayEquals(expected.pixels(), all.get(1).pixels());
        assertEquals("DECam", all.get(1).primaryHeader().getStringValue("INSTRUME"));
    }

    private static void assertSameCards(Header expected, Header actual) {
        List<String> keys = FitsHeaders.keys(expected).stream().filter(k -> !k.equals("END")).toList();
        assertEquals(keys, FitsHeaders.keys(actual).stream().filter(k -> !k.equals("END")).toList());
        for (String k : keys) {
            assertEquals(expected.findCard(k).getValue(), actual.findCard(k).getValue(), k);
        }
    }
}
