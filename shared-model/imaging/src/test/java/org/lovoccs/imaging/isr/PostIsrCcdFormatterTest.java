package org.lovoccs.imaging.isr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import nom.tam.fits.Header;
import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.MaskPlane;
import org.lovoccs.imaging.MaskedImage;
import org.lovoccs.imaging.PixelBox;
import org.lovoccs.imaging.fits.FitsHduIndex;
import org.lovoccs.imaging.fits.HduSpan;
import org.lovoccs.imaging.raw.SmallRaws;

class PostIsrCcdFormatterTest {

    @Test
    void roundTripKeepsEveryPlaneAndKeyword() throws IOException {
        PostIsrCcd ccd = IsrTask.run(SmallRaws.raw(), IsrConfig.defaults()).toPostIsrCcd();
        ccd.image().image().set(4, 4, Float.NaN);
        ccd.image().mask().set(4, 4, MaskPlane.NO_DATA);
        ccd.image().mask().set(5, 5, MaskPlane.DETECTED);
        byte[] bytes = PostIsrCcdFormatter.toBytes(ccd);
        assertArrayEquals(bytes, PostIsrCcdFormatter.toBytes(ccd), "output is reproducible");

        PostIsrCcd back = PostIsrCcdFormatter.read(bytes);
        assertArrayEquals(ccd.image().image().array(), back.image().image().array());
        assertArrayEquals(ccd.image().mask().array(), back.image().mask().array());
        assertArrayEquals(ccd.image().variance().array(), back.image().variance().array());
        assertEquals(12345, back.metadata().getIntValue("EXPNUM"));
        assertEquals("r DECam SDSS c0002 6415.0 1480.0", back.metadata().getStringValue("FILTER"));
        assertEquals("2024-03-10T05:00:00.000000", back.metadata().getStringValue("DATE-OBS"));
        assertEquals("electron", back.metadata().getStringValue("BUNIT"));
        assertEquals(ccd.wcs().getDoubleValue("CRPIX1"), back.wcs().getDoubleValue("CRPIX1"));
        assertFalse(back.metadata().containsKey("SIMPLE"));

        List<HduSpan> spans = FitsHduIndex.scan(bytes);
        assertEquals(List.of("IMAGE", "MASK", "VARIANCE"),
                spans.subList(1, 4).stream().map(HduSpan::extname).toList());
        assertEquals(0, spans.get(0).header().getIntValue("NAXIS"));
        Header image = spans.get(1).header();
        assertEquals(-32, image.getIntValue("BITPIX"));
        assertEquals("electron", image.getStringValue("BUNIT"));
        assertEquals("DEC--TAN", image.getStringValue("CTYPE2"));
        Header mask = spans.get(2).header();
        // the plain MASK holds every MaskPlane's bit in 16 bits
        assertEquals(16, mask.getIntValue("BITPIX"));
        assertEquals(1, mask.getIntValue("MP_SAT"));
        assertEquals(5, mask.getIntValue("HIERARCH.MP_DETECTED"));
        assertEquals("electron2", spans.get(3).header().getStringValue("BUNIT"));
        String text = new String(bytes, 0, (int) spans.get(3).offset(), StandardCharsets.US_ASCII);
        assertTrue(text.contains("HIERARCH MP_NO_DATA = "), "LSST-style HIERARCH mask plane cards");
    }

    @Test
    void aMostlyEmptyMaskIsStoredCompressedWhenAskedAndReadBackExactly() throws IOException {
        MaskedImage mi = MaskedImage.allocate(512, 512);
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
        for (int k = 0; k < 2000; k++) {
            mi.mask().set(rnd.nextInt(512), rnd.nextInt(512), k % 3 == 0 ? MaskPlane.CR : MaskPlane.DETECTED);
        }
        mi.mask().set(511, 511, MaskPlane.NO_DATA);
        byte[] bytes = PostIsrCcdFormatter.toBytes(new PostIsrCcd(mi, new Header(), null), true);
        HduSpan mask = FitsHduIndex.scan(bytes).get(2);
        assertEquals("MASK", mask.extname());
        // a tile-compressed (RICE_1) BINTABLE whose image is 32-bit
        assertTrue(mask.header().getBooleanValue("ZIMAGE"));
        assertEquals("RICE_1", mask.header().getStringValue("ZCMPTYPE"));
        assertEquals(32, mask.header().getIntValue("ZBITPIX"));
        assertTrue(mask.dataBytes() < 4L * 512 * 512 / 10, "the mask (1 MB plain) compresses more than 10-fold: "
                + mask.dataBytes() + " bytes");
        assertArrayEquals(mi.mask().array(), PostIsrCcdFormatter.read(bytes).image().mask().array());
    }

    @Test
    void subImageViewsAreWrittenRowByRow() throws IOException {
        ImageF big = new ImageF(10, 8);
        for (int i = 0; i < big.array().length; i++) {
            big.array()[i] = i;
        }
        ImageF view = big.subImage(new PixelBox(2, 3, 5, 4));
        MaskedImage mi = new MaskedImage(view, new org.lovoccs.imaging.Mask(5, 4), view.copy());
        PostIsrCcd back = PostIsrCcdFormatter.read(PostIsrCcdFormatter.toBytes(new PostIsrCcd(mi, new Header(), null)));
        assertArrayEquals(view.toArray(), back.image().image().array());
    }

    /**
     * The plain MASK takes 16 bits a pixel when every pixel's value fits 16 bits, and 32 otherwise; either way the
     * stored values are the mask's, pixel for pixel.
     */
    @Test
    void thePlainMaskIsSixteenBitsWhenItsBitsFitAndThirtyTwoOtherwise() throws IOException {
        for (int extra : new int[] {0, 1 << 15, 1 << 20}) {
            MaskedImage mi = MaskedImage.allocate(7, 3);
            mi.mask().set(0, 0, MaskPlane.SAT);
            mi.mask().set(6, 2, MaskPlane.NO_DATA);
            mi.mask().array()[10] = MaskPlane.CR.bitmask() | extra;
            byte[] bytes = PostIsrCcdFormatter.toBytes(new PostIsrCcd(mi, new Header(), null));
            HduSpan mask = FitsHduIndex.scan(bytes).get(2);
            assertEquals(extra == 0 ? 16 : 32, mask.header().getIntValue("BITPIX"), "extra bit " + extra);
            assertArrayEquals(mi.mask().array(), org.lovoccs.imaging.fits.FitsImageIO.decodeInts(mask.header(),
                    bytes, (int) mask.dataOffset()), "the stored values, extra bit " + extra);
        }
    }

    /**
     * A header string longer than a card (the full ISR's ISRSTEPS, as a calexp of the services holds it) is continued with CONTINUE cards
     * and declared with LONGSTRN, so that the file is clean under fitsverify, warnings included; a header without one
     * gets no LONGSTRN.
     */
    @Test
    void aLongStringIsDeclaredAndTheFileIsCleanUnderFitsverify() throws Exception {
        MaskedImage mi = MaskedImage.allocate(16, 8);
        Header metadata = new Header();
        org.lovoccs.imaging.fits.FitsHeaders.add(metadata, "ISRSTEPS", "overscan,gain,assemble,saturation,bias,"
                + "crosstalk,linearize,variance,defects,bleed,brighterFatter,flat,cosmicRay,interpolate",
                "ISR steps applied");
        byte[] bytes = PostIsrCcdFormatter.toBytes(new PostIsrCcd(mi, metadata, null));
        Header primary = FitsHduIndex.scan(bytes).get(0).header();
        assertTrue(primary.getStringValue("ISRSTEPS").length() > 68, primary.getStringValue("ISRSTEPS"));
        assertEquals("OGIP 1.0", primary.getStringValue("LONGSTRN"));
        assertEquals(primary.getStringValue("ISRSTEPS"), PostIsrCcdFormatter.read(bytes).metadata()
                .getStringValue("ISRSTEPS"));
        assertFalse(FitsHduIndex.scan(PostIsrCcdFormatter.toBytes(new PostIsrCcd(mi, new Header(), null))).get(0)
                .header().containsKey("LONGSTRN"));

        var v = org.lovoccs.imaging.characterize.PeerTools.fitsverify(bytes);
        assertTrue(org.lovoccs.imaging.characterize.PeerTools.clean(v), v.output());
    }

    @Test
    void maskBitsAreRemappedThroughTheFilesPlaneKeywords() throws IOException {
        MaskedImage mi = MaskedImage.allocate(3, 1);
        mi.mask().set(0, 0, MaskPlane.SAT);
        mi.mask().set(1, 0, MaskPlane.CR);
        byte[] bytes = PostIsrCcdFormatter.toBytes(new PostIsrCcd(mi, new Header(), null));
        String text = new String(bytes, StandardCharsets.ISO_8859_1)
                .replace("MP_SAT  =                    1", "MP_SAT  =                    3")
                .replace("MP_CR   =                    3", "MP_CR   =                    1");
        PostIsrCcd back = PostIsrCcdFormatter.read(text.getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(back.image().mask().isSet(0, 0, MaskPlane.CR));
        assertTrue(back.image().mask().isSet(1, 0, MaskPlane.SAT));
    }

    /**
     * The array reader decodes each plane where it lies; it must give what the stream reader gives, compressed mask or
     * not, and refuse what it refuses: a file cut anywhere, garbage, an extension where the primary HDU should be.
     */
    @Test
    void theArrayReaderAgreesWithTheStreamReader() throws IOException {
        PostIsrCcd ccd = IsrTask.run(SmallRaws.raw(), IsrConfig.defaults()).toPostIsrCcd();
        for (boolean compressed : new boolean[] {false, true}) {
            java.io.ByteArrayOutputStream bos = new java.io.ByteArrayOutputStream();
            PostIsrCcdFormatter.write(ccd, bos, compressed);
            byte[] bytes = bos.toByteArray();
            PostIsrCcd fromArray = PostIsrCcdFormatter.read(bytes);
            PostIsrCcd fromStream = PostIsrCcdFormatter.read(new java.io.ByteArrayInputStream(bytes));
            assertArrayEquals(fromStream.image().image().array(), fromArray.image().image().array());
            assertArrayEquals(fromStream.image().variance().array(), fromArray.image().variance().array());
            assertArrayEquals(fromStream.image().mask().array(), fromArray.image().mask().array());
            assertEquals(cards(fromStream.metadata()), cards(fromArray.metadata()));
            assertEquals(cards(fromStream.wcs()), cards(fromArray.wcs()));
            assertTrue(cards(fromArray.wcs()).contains("CRVAL1"), cards(fromArray.wcs()));
            for (int cut : new int[] {1, 100, 2880, bytes.length / 2, bytes.length - 2880 * 3 - 7}) {
                byte[] shorter = Arrays.copyOf(bytes, bytes.length - cut);
                assertThrows(IOException.class, () -> PostIsrCcdFormatter.read(shorter), "cut by " + cut);
                assertThrows(IOException.class, () -> PostIsrCcdFormatter.read(
                        new java.io.ByteArrayInputStream(shorter)), "stream, cut by " + cut);
            }
        }
        byte[] garbage = new byte[2880 * 3];
        Arrays.fill(garbage, (byte) 'x');
        assertThrows(IOException.class, () -> PostIsrCcdFormatter.read(garbage));
        assertThrows(IOException.class, () -> PostIsrCcdFormatter.read(new byte[0]));
        byte[] bytes = PostIsrCcdFormatter.toBytes(ccd);
        // the first extension where the primary HDU should be
        long firstExtension = org.lovoccs.imaging.fits.FitsHduIndex.scan(bytes).get(1).offset();
        IOException e = assertThrows(IOException.class,
                () -> PostIsrCcdFormatter.read(Arrays.copyOfRange(bytes, (int) firstExtension, bytes.length)));
        assertEquals("HDU 0: first keyword is 'XTENSION', expected SIMPLE (not a FITS file)", e.getMessage());
    }

    /**
     * asRead, which a job uses to hand a held postISRCCD or icExp on in memory, gives what reading the file gives:
     * every plane to the bit and every header card as parsed from the file (a long string, a comment card, a
     * HIERARCH key, a WCS card), with either MASK layout; a view of a larger array comes out contiguous, as read.
     */
    @Test
    void asReadGivesWhatReadingTheFileGives() throws IOException {
        PostIsrCcd ccd = IsrTask.run(SmallRaws.raw(), IsrConfig.defaults()).toPostIsrCcd();
        ccd.image().image().set(4, 4, Float.NaN);
        ccd.image().mask().set(4, 4, MaskPlane.NO_DATA);
        ccd.metadata().addValue("OBSERVER", "a name long enough to go on and on past the end of its eighty"
                + " character card into CONTINUE cards", "who");
        ccd.metadata().insertHistory("ISR by the test");
        ccd.metadata().addValue("HIERARCH.LOVOCCS.TEST.VALUE", 0.1 + 0.2, "a double with 17 digits");
        for (boolean compressed : new boolean[] {false, true}) {
            PostIsrCcd read = PostIsrCcdFormatter.read(PostIsrCcdFormatter.toBytes(ccd, compressed));
            PostIsrCcd asRead = PostIsrCcdFormatter.asRead(ccd);
            assertArrayEquals(read.image().image().array(), asRead.image().image().array());
            assertArrayEquals(read.image().mask().array(), asRead.image().mask().array());
            assertArrayEquals(read.image().variance().array(), asRead.image().variance().array());
            assertEquals(cards(read.metadata()), cards(asRead.metadata()));
            assertEquals(cards(read.wcs()), cards(asRead.wcs()));
            assertTrue(cards(asRead.metadata()).contains("CONTINUE") || asRead.metadata().getStringValue("OBSERVER")
                    .endsWith("CONTINUE cards"), cards(asRead.metadata()));
            assertEquals(read.metadata().getDoubleValue("HIERARCH.LOVOCCS.TEST.VALUE"),
                    asRead.metadata().getDoubleValue("HIERARCH.LOVOCCS.TEST.VALUE"));
        }
        assertTrue(PostIsrCcdFormatter.asRead(ccd).image().image() == ccd.image().image(),
                "a contiguous plane is handed on, not copied");

        ImageF big = new ImageF(10, 8);
        for (int i = 0; i < big.array().length; i++) {
            big.array()[i] = i;
        }
        ImageF view = big.subImage(new PixelBox(2, 3, 5, 4));
        PostIsrCcd viewed = new PostIsrCcd(new MaskedImage(view, new org.lovoccs.imaging.Mask(5, 4), view.copy()),
                new Header(), null);
        PostIsrCcd asRead = PostIsrCcdFormatter.asRead(viewed);
        assertTrue(asRead.image().image().isContiguous());
        assertArrayEquals(PostIsrCcdFormatter.read(PostIsrCcdFormatter.toBytes(viewed)).image().image().array(),
                asRead.image().image().array());
    }

    /** Extensions written after the CCD in one buffer give the bytes appending them to the CCD's file gives. */
    @Test
    void extensionsWrittenInTheSameBufferAreTheAppendedFile() throws IOException {
        PostIsrCcd ccd = IsrTask.run(SmallRaws.raw(), IsrConfig.defaults()).toPostIsrCcd();
        byte[] other = PostIsrCcdFormatter.toBytes(ccd, true);
        byte[] ext = FitsHduIndex.extensions(other);
        assertEquals(3, FitsHduIndex.scan(other).size() - 1);
        assertEquals(other.length - FitsHduIndex.scan(other).get(1).offset(), ext.length);
        for (boolean compressed : new boolean[] {false, true}) {
            assertArrayEquals(FitsHduIndex.appendExtensions(PostIsrCcdFormatter.toBytes(ccd, compressed), other),
                    PostIsrCcdFormatter.toBytes(ccd, compressed, ext));
        }
        byte[] primaryOnly = Arrays.copyOf(other, (int) FitsHduIndex.scan(other).get(1).offset());
        assertEquals(0, FitsHduIndex.extensions(primaryOnly).length);
    }

    private static String cards(nom.tam.fits.Header h) {
        StringBuilder b = new StringBuilder();
        nom.tam.util.Cursor<String, nom.tam.fits.HeaderCard> it = h.iterator();
        while (it.hasNext()) {
            b.append(it.next()).append('\n');
        }
        return b.toString();
    }

    @Test
    void truncatedFileIsAnError() throws IOException {
        byte[] bytes = PostIsrCcdFormatter.toBytes(IsrTask.run(SmallRaws.raw(), IsrConfig.defaults()).toPostIsrCcd());
        assertThrows(IOException.class, () -> PostIsrCcdFormatter.read(Arrays.copyOf(bytes, bytes.length - 100)));
        assertThrows(IOException.class, () -> PostIsrCcdFormatter.read(Arrays.copyOf(bytes, 2880 * 2)));
    }
}
