package org.lovoccs.imaging.fits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import nom.tam.fits.Header;
import nom.tam.fits.HeaderCard;
import nom.tam.util.FitsOutputStream;
import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.raw.RawCcd;
import org.lovoccs.imaging.raw.RawCcdReader;
import org.lovoccs.imaging.raw.RawFormatException;
import org.lovoccs.imaging.raw.SmallRaws;

class RiceCompressedHdusTest {

    /** Bytes worked out by hand from the coding rules (see RiceCodec's Javadoc). */
    @Test
    void knownCodes() {
        // first pixel 5 in 2 bytes; one block of zero differences: code 0 in 4 bits, padded
        assertArrayEquals(new byte[] {0, 5, 0}, RiceCodec.encode(new int[] {5, 5, 5, 5}, 0, 4, 2, 32));
        // differences 0, 1, 2 fold to 0, 2, 4; fs = 0 so code 1 = 0001, then unary 1, 001, 00001, pad 000
        assertArrayEquals(new byte[] {0, 0, 0x19, 0x08}, RiceCodec.encode(new int[] {0, 1, 3}, 0, 3, 2, 32));
    }

    @Test
    void roundTripsEveryKindOfBlock() throws Exception {
        SplittableRandom rng = new SplittableRandom(7);
        int n = 2160;
        int[][] cases = new int[5][n];
        Arrays.fill(cases[0], 1234);                                   // all-zero blocks
        for (int i = 0; i < n; i++) {
            cases[1][i] = (short) ((i % 2 == 0 ? 0 : 65535) ^ 0x8000);   // full-range jumps: verbatim blocks
            cases[2][i] = (short) ((1000 + (int) Math.round(rng.nextGaussian() * 8)) ^ 0x8000); // bias-like
            cases[3][i] = (short) ((rng.nextInt(200) == 0 ? 65535 : 20000 + rng.nextInt(300)) ^ 0x8000);
            cases[4][i] = (short) rng.nextInt(65536);
        }
        for (int[] pixels : cases) {
            for (int len : new int[] {1, 31, 33, n}) {
                byte[] coded = RiceCodec.encode(pixels, 0, len, 2, 32);
                int[] back = new int[len];
                RiceCodec.decode(coded, 0, coded.length, back, 0, len, 2, 32);
                assertArrayEquals(Arrays.copyOf(pixels, len), back);
            }
        }
        int[] ints = rng.ints(500).toArray();
        byte[] coded = RiceCodec.encode(ints, 0, ints.length, 4, 32);
        int[] back = new int[ints.length];
        RiceCodec.decode(coded, 0, coded.length, back, 0, back.length, 4, 32);
        assertArrayEquals(ints, back);
        int[] bytes = rng.ints(500, -128, 128).toArray();
        coded = RiceCodec.encode(bytes, 0, bytes.length, 1, 16);
        RiceCodec.decode(coded, 0, coded.length, back, 0, bytes.length, 1, 16);
        assertArrayEquals(bytes, Arrays.copyOf(back, bytes.length));
    }

    @Test
    void noisyDataCompress() {
        SplittableRandom rng = new SplittableRandom(1);
        int[] row = new int[2048];
        for (int i = 0; i < row.length; i++) {
            row[i] = (short) ((3000 + (int) Math.round(rng.nextGaussian() * 20)) ^ 0x8000);
        }
        // sigma 20 ADU: about log2(20 * 4.13) = 6.4 bits per pixel, against 16 uncompressed
        double bitsPerPixel = 8.0 * RiceCodec.encode(row, 0, row.length, 2, 32).length / row.length;
        assertTrue(bitsPerPixel > 6 && bitsPerPixel < 8, "bits per pixel " + bitsPerPixel);
    }

    @Test
    void truncatedTileIsAFormatError() {
        int[] row = {100, 5000, 7, 65000, 3};
        byte[] coded = RiceCodec.encode(row, 0, row.length, 2, 32);
        assertThrows(FitsFormatException.class,
                () -> RiceCodec.decode(coded, 0, coded.length - 2, new int[5], 0, 5, 2, 32));
    }

    /**
     * A tile inside a larger buffer, at every byte alignment, followed by bytes that would decode to other values: the
     * decoder reads 4 bytes at a time but never past the tile, and a tile cut short anywhere is refused.
     */
    @Test
    void aTileIsReadWithinItsBytesOnly() throws Exception {
        java.util.Random r = new java.util.Random(3);
        for (int bytePix : new int[] {1, 2, 4}) {
            int[] row = new int[1000];
            for (int i = 0; i < row.length; i++) {
                row[i] = (int) (r.nextGaussian() * (bytePix == 1 ? 20 : 3000)) + (i % 250 == 0 ? 100 : 0);
            }
            byte[] coded = RiceCodec.encode(row, 0, row.length, bytePix, 32);
            long m = bytePix == 4 ? 0xFFFFFFFFL : (1L << (8 * bytePix)) - 1;
            for (int offset = 0; offset < 8; offset++) {
                byte[] buf = new byte[offset + coded.length + 7];
                java.util.Arrays.fill(buf, (byte) 0xA5);
                System.arraycopy(coded, 0, buf, offset, coded.length);
                int[] back = new int[row.length];
                RiceCodec.decode(buf, offset, coded.length, back, 0, row.length, bytePix, 32);
                for (int i = 0; i < row.length; i++) {
                    assertEquals(row[i] & m, back[i] & m, "bytePix " + bytePix + " offset " + offset + " pixel " + i);
                }
                for (int cut = 1; cut <= 5; cut++) {
                    int length = coded.length - cut;
                    int off = offset;
                    assertThrows(FitsFormatException.class, () -> RiceCodec.decode(buf, off, length,
                            new int[row.length], 0, row.length, bytePix, 32), "cut by " + cut);
                }
            }
        }
    }

    static byte[] compressedHdu(Header h, int[] px) throws Exception {
        short[] bits = new short[px.length];
        for (int i = 0; i < px.length; i++) {
            bits[i] = (short) px[i];
        }
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        FitsOutputStream out = new FitsOutputStream(bos);
        RiceCompressedHdus.writeUnsigned16Hdu(out, h, bits, h.getIntValue("NAXIS1"), h.getIntValue("NAXIS2"));
        out.flush();
        return bos.toByteArray();
    }

    @Test
    void compressedHduHasFpacksLayoutAndKeepsEveryKeyword() throws Exception {
        byte[] hdu = compressedHdu(SmallRaws.header(), SmallRaws.pixels());
        assertEquals(0, hdu.length % FitsBlocks.BLOCK_SIZE);
        Header h = FitsBlocks.parseHeader(hdu, 0, FitsBlocks.headerLength(hdu, 0, hdu.length));
        assertEquals("BINTABLE", h.getStringValue("XTENSION"));
        assertEquals(8, h.getIntValue("NAXIS1"));
        assertEquals(SmallRaws.HEIGHT, h.getIntValue("NAXIS2"));
        assertEquals("RICE_1", h.getStringValue("ZCMPTYPE"));
        assertEquals(SmallRaws.WIDTH, h.getIntValue("ZTILE1"));
        assertEquals(1, h.getIntValue("ZTILE2"));
        assertEquals(16, h.getIntValue("ZBITPIX"));
        assertEquals(SmallRaws.WIDTH, h.getIntValue("ZNAXIS1"));
        assertTrue(h.getStringValue("TFORM1").startsWith("1PB("), h.getStringValue("TFORM1"));
        assertEquals(32768, h.getIntValue("BZERO"));

        Header image = RiceCompressedHdus.imageHeader(h);
        Header plain = SmallRaws.header();
        assertEquals(FitsHeaders.keys(plain), FitsHeaders.keys(image));
        for (String key : FitsHeaders.keys(plain)) {
            HeaderCard a = plain.findCard(key);
            HeaderCard b = image.findCard(key);
            assertEquals(a.getValue(), b.getValue(), key);
        }
        assertTrue(RiceCompressedHdus.isCompressed(h));
        assertFalse(RiceCompressedHdus.isCompressed(plain));
        assertEquals(plain, RiceCompressedHdus.imageHeader(plain));
    }

    @Test
    void readerGivesTheSameRawCcdAsFromThePlainHdu() throws Exception {
        RawCcd plain = RawCcdReader.readHdu(SmallRaws.hduBytes(SmallRaws.header(), SmallRaws.pixels()));
        RawCcd packed = RawCcdReader.readHdu(compressedHdu(SmallRaws.header(), SmallRaws.pixels()));
        assertEquals(plain.name(), packed.name());
        assertEquals(plain.width(), packed.width());
        assertEquals(plain.height(), packed.height());
        assertArrayEquals(plain.pixels(), packed.pixels());
        assertEquals(cards(plain.header()), cards(packed.header()));
        assertEquals(plain.header().getDoubleValue("GAINA"), packed.header().getDoubleValue("GAINA"));
        assertEquals(plain.header().getStringValue("BIASSECB"), packed.header().getStringValue("BIASSECB"));
    }

    /** Keywords in order, without the END card that a parsed header has and a built one lacks. */
    private static List<String> cards(Header h) {
        return FitsHeaders.keys(h).stream().filter(k -> !k.equals("END")).toList();
    }

    @Test
    void indexWalksACompressedFileAndEachSpanReadsAlone() throws Exception {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        FitsOutputStream out = new FitsOutputStream(bos);
        FitsImageIO.writeHeader(out, FitsHeaders.primary());
        out.flush();
        byte[] first = compressedHdu(SmallRaws.header(), SmallRaws.pixels());
        int[] other = SmallRaws.pixels();
        other[0] = 65535;
        Header h2 = SmallRaws.header();
        FitsHeaders.add(h2, "EXTNAME", "S30", "");
        byte[] second = compressedHdu(h2, other);
        bos.write(first);
        bos.write(second);
        byte[] file = bos.toByteArray();

        List<HduSpan> spans = FitsHduIndex.scan(file);
        assertEquals(spans.stream().map(HduSpan::offset).toList(),
                FitsHduIndex.scan(new ByteArrayInputStream(file)).stream().map(HduSpan::offset).toList());
        assertEquals(3, spans.size());
        assertEquals(2880, spans.get(1).offset());
        assertEquals(first.length, spans.get(1).length());
        assertEquals(file.length, spans.get(2).end());
        assertTrue(spans.get(2).compressed());
        assertFalse(spans.get(0).compressed());
        assertEquals(16, spans.get(2).imageHeader().getIntValue("BITPIX"));
        assertEquals(SmallRaws.WIDTH, spans.get(2).imageHeader().getIntValue("NAXIS1"));
        assertFalse(spans.get(2).imageHeader().containsKey("ZCMPTYPE"));
        assertEquals("S30", spans.get(2).extname());
        RawCcd s30 = RawCcdReader.readHdu(Arrays.copyOfRange(file, (int) spans.get(2).offset(),
                (int) spans.get(2).end()));
        assertArrayEquals(other, s30.pixels());
        List<RawCcd> all = RawCcdReader.readAll(new ByteArrayInputStream(file));
        assertArrayEquals(SmallRaws.pixels(), all.get(0).pixels());
        assertArrayEquals(other, all.get(1).pixels());
    }

    @Test
    void damagedCompressedHdusAreRefused() throws Exception {
        byte[] hdu = compressedHdu(SmallRaws.header(), SmallRaws.pixels());
        int headerBytes = FitsBlocks.headerLength(hdu, 0, hdu.length);
        RawFormatException cut = assertThrows(RawFormatException.class,
                () -> RawCcdReader.readHdu(Arrays.copyOf(hdu, headerBytes + 40)));
        assertTrue(cut.getMessage().contains("data truncated"), cut.getMessage());
        byte[] badDescriptor = hdu.clone();
        badDescriptor[headerBytes + 8 + 4] = 0x7f;   // offset of tile 2 far past the heap
        RawFormatException e = assertThrows(RawFormatException.class, () -> RawCcdReader.readHdu(badDescriptor));
        assertTrue(e.getMessage().contains("tile 2 lies outside the heap"), e.getMessage());
    }
}
