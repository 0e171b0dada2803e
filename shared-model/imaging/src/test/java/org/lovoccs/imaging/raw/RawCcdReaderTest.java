package org.lovoccs.imaging.raw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import nom.tam.fits.Header;
import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.fits.FitsBlocks;
import org.lovoccs.imaging.fits.FitsHduIndex;
import org.lovoccs.imaging.fits.FitsHeaders;
import org.lovoccs.imaging.fits.FitsImageIO;
import org.lovoccs.imaging.fits.HduSpan;

class RawCcdReaderTest {

    @Test
    void readsOneExtensionHduCutByByteRange() throws Exception {
        byte[] file = SmallRaws.file();
        List<HduSpan> spans = FitsHduIndex.scan(file);
        assertEquals(2, spans.size());
        HduSpan ccd = spans.get(1);
        assertEquals(2880, ccd.offset());
        assertEquals("S29", ccd.extname());
        assertEquals(file.length, ccd.end());
        assertEquals(spans, List.copyOf(spans));
        assertEquals(ccd.offset(), FitsHduIndex.scan(new ByteArrayInputStream(file)).get(1).offset());

        RawCcd raw = RawCcdReader.readHdu(Arrays.copyOfRange(file, (int) ccd.offset(), (int) ccd.end()));
        assertEquals("S29", raw.name());
        assertEquals(SmallRaws.WIDTH, raw.width());
        assertEquals(SmallRaws.HEIGHT, raw.height());
        assertArrayEquals(SmallRaws.pixels(), raw.pixels());
        assertEquals(60000, raw.get(22, 5));
        assertNull(raw.primaryHeader());
    }

    @Test
    void readAllAttachesThePrimaryHeader() throws Exception {
        List<RawCcd> all = RawCcdReader.readAll(new ByteArrayInputStream(SmallRaws.file()));
        assertEquals(1, all.size());
        assertEquals("Abell 3558", all.get(0).findCard("OBJECT").getValue());
        assertEquals("S29", all.get(0).findCard("EXTNAME").getValue());
        assertArrayEquals(SmallRaws.pixels(), all.get(0).pixels());
    }

    @Test
    void truncatedDataIsRefused() throws Exception {
        byte[] hdu = SmallRaws.hduBytes(SmallRaws.header(), SmallRaws.pixels());
        int headerBytes = FitsBlocks.headerLength(hdu, 0, hdu.length);
        RawFormatException e = assertThrows(RawFormatException.class,
                () -> RawCcdReader.readHdu(Arrays.copyOf(hdu, headerBytes + 100)));
        assertTrue(e.getMessage().startsWith("HDU S29: data truncated"), e.getMessage());

        byte[] file = SmallRaws.file();
        RawFormatException e2 = assertThrows(RawFormatException.class,
                () -> RawCcdReader.readAll(new ByteArrayInputStream(Arrays.copyOf(file, file.length - 2800))));
        assertTrue(e2.getMessage().contains("data truncated"), e2.getMessage());
        RawFormatException e3 = assertThrows(RawFormatException.class,
                () -> RawCcdReader.readHdu(Arrays.copyOf(hdu, 1000)));
        assertTrue(e3.getMessage().contains("no END card"), e3.getMessage());
    }

    @Test
    void primaryHeaderOrGarbageIsRefused() throws Exception {
        byte[] file = SmallRaws.file();
        RawFormatException e = assertThrows(RawFormatException.class, () -> RawCcdReader.readHdu(file));
        assertTrue(e.getMessage().contains("primary header (SIMPLE)"), e.getMessage());
        byte[] text = "hello, this is not FITS".repeat(200).getBytes(StandardCharsets.US_ASCII);
        RawFormatException e2 = assertThrows(RawFormatException.class, () -> RawCcdReader.readHdu(text));
        assertTrue(e2.getMessage().contains("expected XTENSION"), e2.getMessage());
        RawFormatException e3 = assertThrows(RawFormatException.class,
                () -> RawCcdReader.readAll(new ByteArrayInputStream(Arrays.copyOf(text, 2880))));
        assertTrue(e3.getMessage().contains("not a FITS file"), e3.getMessage());
        assertThrows(java.io.IOException.class, () -> FitsHduIndex.scan(text));
    }

    @Test
    void floatingPointRawIsRefusedWithTheKeyword() throws Exception {
        Header h = SmallRaws.header();
        byte[] hdu = SmallRaws.hduBytes(h, SmallRaws.pixels());
        byte[] altered = new String(hdu, StandardCharsets.US_ASCII)
                .replaceFirst("BITPIX  =                   16", "BITPIX  =                  -32")
                .getBytes(StandardCharsets.US_ASCII);
        RawFormatException e = assertThrows(RawFormatException.class, () -> RawCcdReader.readHdu(altered));
        assertEquals("BITPIX", e.keyword());
        assertTrue(e.getMessage().contains("BITPIX = -32"), e.getMessage());
    }

    @Test
    void tileCompressedHduWithAnotherAlgorithmThanRiceIsRefused() throws Exception {
        Header h = new Header();
        FitsHeaders.add(h, "XTENSION", "BINTABLE", "");
        FitsHeaders.add(h, "BITPIX", 8, "");
        FitsHeaders.add(h, "NAXIS", 2, "");
        FitsHeaders.add(h, "NAXIS1", 8, "");
        FitsHeaders.add(h, "NAXIS2", 1, "");
        FitsHeaders.add(h, "PCOUNT", 0, "");
        FitsHeaders.add(h, "GCOUNT", 1, "");
        FitsHeaders.add(h, "TFIELDS", 1, "");
        FitsHeaders.add(h, "TFORM1", "1PB(0)", "");
        FitsHeaders.add(h, "ZIMAGE", true, "");
        FitsHeaders.add(h, "ZCMPTYPE", "GZIP_1", "");
        FitsHeaders.add(h, "ZBITPIX", 16, "");
        FitsHeaders.add(h, "ZNAXIS", 2, "");
        FitsHeaders.add(h, "ZNAXIS1", 4, "");
        FitsHeaders.add(h, "ZNAXIS2", 1, "");
        FitsHeaders.add(h, "EXTNAME", "N4", "");
        java.io.ByteArrayOutputStream bos = new java.io.ByteArrayOutputStream();
        nom.tam.util.FitsOutputStream out = new nom.tam.util.FitsOutputStream(bos);
        FitsImageIO.writeHeader(out, h);
        out.write(new byte[2880]);
        out.flush();
        RawFormatException e = assertThrows(RawFormatException.class, () -> RawCcdReader.readHdu(bos.toByteArray()));
        assertTrue(e.getMessage().startsWith("HDU N4: cannot decompress: ZCMPTYPE = 'GZIP_1'"), e.getMessage());
    }
}
