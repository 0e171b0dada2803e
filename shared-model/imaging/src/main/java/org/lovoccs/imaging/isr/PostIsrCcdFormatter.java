package org.lovoccs.imaging.isr;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import nom.tam.fits.Header;
import nom.tam.fits.HeaderCard;
import nom.tam.util.Cursor;
import nom.tam.util.FitsOutputStream;
import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.Mask;
import org.lovoccs.imaging.MaskPlane;
import org.lovoccs.imaging.MaskedImage;
import org.lovoccs.imaging.fits.FitsBlocks;
import org.lovoccs.imaging.fits.FitsHduIndex;
import org.lovoccs.imaging.fits.FitsHeaders;
import org.lovoccs.imaging.fits.FitsImageIO;
import org.lovoccs.imaging.fits.HduSpan;
import org.lovoccs.imaging.fits.RiceCompressedHdus;

/**
 * Reads and writes a {@link PostIsrCcd} as a multi-extension FITS file laid out like the LSST Science Pipelines'
 * exposures:
 * <ol start="0">
 *   <li>primary HDU without data, carrying {@link PostIsrCcd#metadata()};</li>
 *   <li>{@code EXTNAME = 'IMAGE'}: BITPIX = -32, {@code BUNIT = 'electron'}, with the WCS keywords;</li>
 *   <li>{@code EXTNAME = 'MASK'}: with {@code MP_<PLANE> = bit} for every {@link MaskPlane}
 *       (HIERARCH cards for names longer than 8 characters, as LSST writes them); plain by default, with
 *       BITPIX = 16 when every pixel's value fits 16 bits (they do with the {@link MaskPlane}s: 16 MB fewer for a
 *       DECam CCD than LSST's BITPIX = 32; our readers, astropy's and SExtractor's take it) and 32 otherwise,
 *       or, for the intermediates only the pipeline reads (postISRCCD, icExp), tile-compressed losslessly (RICE_1,
 *       one row per tile: {@link RiceCompressedHdus}; astropy, fitsverify and ds9 read it as an image, SExtractor
 *       2.25 does not open a file holding one): a mask is mostly 0 and shrinks from 32 MB to well under 1 MB on a DECam CCD;</li>
 *   <li>{@code EXTNAME = 'VARIANCE'}: BITPIX = -32, {@code BUNIT = 'electron2'}.</li>
 * </ol>
 * Row 0 of each plane is FITS row 1. Reading accepts a MASK stored plainly or compressed, and maps mask bits through the file's MP_ keywords, so files with another
 * plane numbering are read correctly; bits of planes unknown to {@link MaskPlane} are dropped.
 */
public final class PostIsrCcdFormatter {

    private static final Set<String> STRUCTURAL = Set.of("SIMPLE", "XTENSION", "BITPIX", "NAXIS", "NAXIS1", "NAXIS2",
            "EXTEND", "PCOUNT", "GCOUNT", "END", "BZERO", "BSCALE", "EXTNAME", "EXTTYPE");

    private PostIsrCcdFormatter() {
    }

    /** Writes {@code ccd} to {@code out} (not closed), its MASK plain. */
    public static void write(PostIsrCcd ccd, OutputStream out) throws IOException {
        write(ccd, out, false);
    }

    /** Writes {@code ccd} to {@code out} (not closed), its MASK tile-compressed when {@code compressMask}. */
    public static void write(PostIsrCcd ccd, OutputStream out, boolean compressMask) throws IOException {
        write(ccd, out, compressMask, !compressMask && narrowMask(ccd));
    }

    /**
     * A plain MASK whose values all fit 16 bits (every MaskPlane's bit does) is written with BITPIX = 16: half the
     * bytes of LSST's 32.
     */
    private static boolean narrowMask(PostIsrCcd ccd) {
        MaskedImage mi = ccd.image();
        return FitsImageIO.fitsInt16(mi.mask().array(), mi.width() * mi.height());
    }

    /** {@link #write(PostIsrCcd, OutputStream, boolean)} with the plain MASK's width decided ({@code narrowMask}). */
    private static void write(PostIsrCcd ccd, OutputStream out, boolean compressMask, boolean narrow)
            throws IOException {
        MaskedImage mi = ccd.image();
        int w = mi.width();
        int h = mi.height();
        FitsOutputStream fits = new FitsOutputStream(out);
        FitsImageIO.writeHeader(fits, primaryHeader(ccd));
        FitsImageIO.writeFloatHdu(fits, imageHeader(ccd), mi.image());

        int[] bits = mi.mask().array();
        Header mask = FitsHeaders.imageExtension(narrow ? 16 : 32, w, h);
        FitsHeaders.add(mask, "EXTNAME", "MASK", "extension name");
        FitsHeaders.add(mask, "EXTTYPE", "MASK", "plane type");
        for (MaskPlane p : MaskPlane.values()) {
            FitsHeaders.add(mask, FitsHeaders.cardKey(p.headerKeyword()), p.bit(), "mask plane bit");
        }
        if (compressMask) {
            RiceCompressedHdus.writeInt32Hdu(fits, mask, mi.mask().array(), w, h);
        } else if (narrow) {
            FitsImageIO.writeShortHdu(fits, mask, bits, w, h);
        } else {
            FitsImageIO.writeIntHdu(fits, mask, bits, w, h);
        }

        Header variance = FitsHeaders.imageExtension(-32, w, h);
        FitsHeaders.add(variance, "EXTNAME", "VARIANCE", "extension name");
        FitsHeaders.add(variance, "EXTTYPE", "VARIANCE", "plane type");
        FitsHeaders.add(variance, "BUNIT", "electron2", "pixel unit");
        FitsImageIO.writeFloatHdu(fits, variance, mi.variance());
        fits.flush();
    }

    /** The primary HDU's header: the metadata's cards. */
    private static Header primaryHeader(PostIsrCcd ccd) {
        Header primary = FitsHeaders.primary();
        appendCards(ccd.metadata(), primary);
        return primary;
    }

    /** The IMAGE extension's header: its mandatory cards, then the WCS's. */
    private static Header imageHeader(PostIsrCcd ccd) {
        Header image = FitsHeaders.imageExtension(-32, ccd.image().width(), ccd.image().height());
        FitsHeaders.add(image, "EXTNAME", "IMAGE", "extension name");
        FitsHeaders.add(image, "EXTTYPE", "IMAGE", "plane type");
        FitsHeaders.add(image, "BUNIT", "electron", "pixel unit");
        appendCards(ccd.wcs(), image);
        return image;
    }

    /**
     * What {@link #read(byte[]) read}({@link #toBytes(PostIsrCcd, boolean) toBytes}(ccd)) returns, without encoding
     * or decoding a pixel: for a dataset a job hands from one quantum to the next in memory. The two headers are
     * written as FITS cards and parsed back, as in the file, so that every card reads as a reader of the file would
     * see it; the planes are {@code ccd}'s own (a plane that is a view of a larger array is copied, as a read would make
     * it contiguous), so neither the giver nor the taker may change them afterwards. The MASK's bits are the
     * {@link MaskPlane} bits the file would declare, so a read would not remap them either.
     */
    public static PostIsrCcd asRead(PostIsrCcd ccd) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(16 * FitsBlocks.BLOCK_SIZE);
        FitsOutputStream fits = new FitsOutputStream(bos);
        FitsImageIO.writeHeader(fits, primaryHeader(ccd));
        FitsImageIO.writeHeader(fits, imageHeader(ccd));
        fits.flush();
        byte[] cards = bos.toByteArray();
        int primaryBytes = FitsBlocks.headerLength(cards, 0, cards.length);
        Header primary = FitsBlocks.parseHeader(cards, 0, primaryBytes);
        Header image = FitsBlocks.parseHeader(cards, primaryBytes, cards.length - primaryBytes);
        Header metadata = new Header();
        appendCards(primary, metadata);
        Header wcs = new Header();
        appendCards(image, wcs);
        wcs.deleteKey("BUNIT");
        MaskedImage mi = ccd.image();
        int w = mi.width();
        int h = mi.height();
        ImageF im = mi.image().isContiguous() ? mi.image() : new ImageF(w, h, mi.image().toArray());
        ImageF var = mi.variance().isContiguous() ? mi.variance() : new ImageF(w, h, mi.variance().toArray());
        return new PostIsrCcd(new MaskedImage(im, mi.mask(), var), metadata, wcs);
    }

    /** Writes {@code ccd} to a file, replacing it if it exists. */
    public static void write(PostIsrCcd ccd, Path path) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 20)) {
            write(ccd, out);
        }
    }

    /** The file's bytes, its MASK plain (what every FITS tool reads: the calexp). */
    public static byte[] toBytes(PostIsrCcd ccd) throws IOException {
        return toBytes(ccd, false);
    }

    /**
     * The file's bytes, its MASK tile-compressed when {@code compressMask} (the intermediates the pipeline reads
     * back: a third fewer bytes through the object store).
     */
    public static byte[] toBytes(PostIsrCcd ccd, boolean compressMask) throws IOException {
        return toBytes(ccd, compressMask, new byte[0]);
    }

    /**
     * {@link #toBytes(PostIsrCcd, boolean)} followed by {@code extensions}, whole extension HDUs (a model's HDUs after
     * the image's: {@link FitsHduIndex#extensions}), in one buffer: the CCD's bytes are not copied once more to append
     * them.
     */
    public static byte[] toBytes(PostIsrCcd ccd, boolean compressMask, byte[] extensions) throws IOException {
        // room for the planes, a compressed mask of up to a byte a pixel, 1 MB of headers and the extensions: a buffer
        // that fills grows by doubling, copying the CCD into a twice larger array (seen: 5% of the isr worker's CPU
        // when the headers outgrew 6 blocks)
        // (4 + 4 bytes a pixel for the image and variance, and the mask's: up to 1 compressed, 2 or 4 plain)
        long px = (long) ccd.image().width() * ccd.image().height();
        boolean narrow = !compressMask && narrowMask(ccd);
        ByteArrayOutputStream bos = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8,
                (compressMask ? 9 : narrow ? 10 : 12) * px + (1 << 20) + extensions.length));
        write(ccd, bos, compressMask, narrow);
        bos.write(extensions);
        return bos.toByteArray();
    }

    /**
     * Reads a file written by {@link #write(PostIsrCcd, OutputStream)} (or laid out the same way).
     *
     * @throws IOException if the stream is not FITS, lacks the IMAGE, MASK or VARIANCE HDU, or the planes differ in
     *                     size
     */
    public static PostIsrCcd read(InputStream in) throws IOException {
        return read(in.readAllBytes());
    }

    /** An extension's header and where its data starts in the file's bytes. */
    private record Hdu(Header header, int offset) {
    }

    /** The exposure from the primary header and the extensions by EXTNAME (IMAGE, MASK and VARIANCE needed). */
    private static PostIsrCcd assemble(byte[] fits, Header primary, Map<String, Hdu> hdus) throws IOException {
        Header metadata = new Header();
        appendCards(primary, metadata);
        for (String name : new String[] {"IMAGE", "MASK", "VARIANCE"}) {
            if (!hdus.containsKey(name)) {
                throw new IOException("no HDU with EXTNAME = '" + name + "'");
            }
        }
        Hdu im = hdus.get("IMAGE");
        Header ih = im.header();
        int w = ih.getIntValue("NAXIS1");
        int h = ih.getIntValue("NAXIS2");
        for (String name : new String[] {"MASK", "VARIANCE"}) {
            int[] size = FitsImageIO.imageSize(hdus.get(name).header());
            if (size[0] != w || size[1] != h) {
                throw new IOException(name + " HDU size differs from IMAGE " + w + "x" + h);
            }
        }
        Hdu va = hdus.get("VARIANCE");
        Hdu ma = hdus.get("MASK");
        ImageF image = new ImageF(w, h, FitsImageIO.decodeFloats(ih, fits, im.offset()));
        ImageF variance = new ImageF(w, h, FitsImageIO.decodeFloats(va.header(), fits, va.offset()));
        int[] maskBits = FitsImageIO.decodeIntPlane(ma.header(), fits, ma.offset());
        remapMask(ma.header(), maskBits);

        Header wcs = new Header();
        appendCards(ih, wcs);
        wcs.deleteKey("BUNIT");
        return new PostIsrCcd(new MaskedImage(image, new Mask(w, h, maskBits), variance), metadata, wcs);
    }

    /** Reads a file held in memory, decoding each plane where it lies in {@code fits} (no copy of an HDU's data). */
    public static PostIsrCcd read(byte[] fits) throws IOException {
        // the HDUs' headers and where their data lie, with FitsHduIndex's checks (SIMPLE first, then XTENSIONs, END
        // in whole blocks, no HDU cut short)
        List<HduSpan> spans = FitsHduIndex.scan(fits);
        Header primary = spans.get(0).header();
        Map<String, Hdu> hdus = new HashMap<>();
        for (HduSpan span : spans.subList(1, spans.size())) {
            hdus.put(span.header().getStringValue("EXTNAME", "").trim(), new Hdu(span.header(), (int) span.dataOffset()));
        }
        return assemble(fits, primary, hdus);
    }

    /** Reads a file. */
    public static PostIsrCcd read(Path path) throws IOException {
        return read(Files.readAllBytes(path));
    }

    private static void remapMask(Header h, int[] bits) {
        Map<MaskPlane, Integer> fileBit = new EnumMap<>(MaskPlane.class);
        boolean identity = true;
        for (MaskPlane p : MaskPlane.values()) {
            String key = FitsHeaders.cardKey(p.headerKeyword());
            if (h.containsKey(key)) {
                int b = h.getIntValue(key);
                fileBit.put(p, b);
                identity &= b == p.bit();
            } else {
                identity = false;
            }
        }
        if (identity) {
            return;
        }
        for (int i = 0; i < bits.length; i++) {
            int v = bits[i];
            int out = 0;
            for (Map.Entry<MaskPlane, Integer> e : fileBit.entrySet()) {
                if ((v & (1 << e.getValue())) != 0) {
                    out |= e.getKey().bitmask();
                }
            }
            bits[i] = out;
        }
    }

    private static void appendCards(Header from, Header to) {
        Cursor<String, HeaderCard> it = from.iterator();
        while (it.hasNext()) {
            HeaderCard card = it.next();
            String key = card.getKey();
            if (STRUCTURAL.contains(key)) {
                continue;
            }
            if (card.isCommentStyleCard()) {
                to.seekTail();
                to.addLine(card.copy());
            } else {
                FitsHeaders.put(to, card.copy());
            }
        }
    }
}
