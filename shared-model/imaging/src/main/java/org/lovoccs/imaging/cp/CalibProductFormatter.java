package org.lovoccs.imaging.cp;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import nom.tam.fits.Header;
import nom.tam.fits.HeaderCard;
import nom.tam.util.Cursor;
import nom.tam.util.FitsOutputStream;
import org.lovoccs.imaging.Band;
import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.Mask;
import org.lovoccs.imaging.MaskPlane;
import org.lovoccs.imaging.MaskedImage;
import org.lovoccs.imaging.fits.FitsBlocks;
import org.lovoccs.imaging.fits.FitsHeaders;
import org.lovoccs.imaging.fits.FitsImageIO;
import org.lovoccs.imaging.fits.RiceCompressedHdus;
import org.lovoccs.imaging.isr.PostIsrCcd;
import org.lovoccs.imaging.isr.PostIsrCcdFormatter;

/**
 * A {@link CalibProduct} as multi-extension FITS, laid out like a postISRCCD ({@link PostIsrCcdFormatter}) plus the
 * count plane:
 * <ol start="0">
 *   <li>primary HDU without data: {@link CalibProduct#metadata()} (CALIBTYP, DETPOS, FILTER, NCOMBINE, ...);</li>
 *   <li>{@code IMAGE}: BITPIX = -32, BUNIT from {@link CalibType#unit()} (absent when dimensionless);</li>
 *   <li>{@code MASK}: BITPIX = 32 with the MP_ plane keywords, tile-compressed (RICE_1, lossless);</li>
 *   <li>{@code VARIANCE}: BITPIX = -32, the unit squared;</li>
 *   <li>{@code COUNT}: BITPIX = 32, inputs kept per pixel, tile-compressed (RICE_1, lossless).</li>
 * </ol>
 */
public final class CalibProductFormatter {

    private static final Set<String> STRUCTURAL = Set.of("SIMPLE", "XTENSION", "BITPIX", "NAXIS", "NAXIS1", "NAXIS2",
            "EXTEND", "PCOUNT", "GCOUNT", "END", "BZERO", "BSCALE", "EXTNAME", "EXTTYPE");

    private CalibProductFormatter() {
    }

    /** Writes {@code p} to {@code out} (not closed). */
    public static void write(CalibProduct p, OutputStream out) throws IOException {
        MaskedImage mi = p.image();
        int w = mi.width();
        int h = mi.height();
        String unit = p.type().unit();
        FitsOutputStream fits = new FitsOutputStream(out);
        Header primary = FitsHeaders.primary();
        copyCards(p.metadata(), primary);
        FitsImageIO.writeHeader(fits, primary);

        Header image = FitsHeaders.imageExtension(-32, w, h);
        FitsHeaders.add(image, "EXTNAME", "IMAGE", "extension name");
        FitsHeaders.add(image, "EXTTYPE", "IMAGE", "plane type");
        if (!unit.isEmpty()) {
            FitsHeaders.add(image, "BUNIT", unit, "pixel unit");
        }
        FitsImageIO.writeFloatHdu(fits, image, mi.image());

        Header mask = FitsHeaders.imageExtension(32, w, h);
        FitsHeaders.add(mask, "EXTNAME", "MASK", "extension name");
        FitsHeaders.add(mask, "EXTTYPE", "MASK", "plane type");
        for (MaskPlane plane : MaskPlane.values()) {
            FitsHeaders.add(mask, FitsHeaders.cardKey(plane.headerKeyword()), plane.bit(), "mask plane bit");
        }
        RiceCompressedHdus.writeInt32Hdu(fits, mask, mi.mask().array(), w, h);

        Header variance = FitsHeaders.imageExtension(-32, w, h);
        FitsHeaders.add(variance, "EXTNAME", "VARIANCE", "extension name");
        FitsHeaders.add(variance, "EXTTYPE", "VARIANCE", "plane type");
        if (!unit.isEmpty()) {
            FitsHeaders.add(variance, "BUNIT", unit + "2", "pixel unit");
        }
        FitsImageIO.writeFloatHdu(fits, variance, mi.variance());

        Header count = FitsHeaders.imageExtension(32, w, h);
        FitsHeaders.add(count, "EXTNAME", "COUNT", "extension name");
        FitsHeaders.add(count, "EXTTYPE", "COUNT", "inputs kept per pixel");
        int[] c = new int[w * h];
        float[] cf = p.count().array();
        for (int y = 0; y < h; y++) {
            int b = p.count().index(0, y);
            for (int x = 0; x < w; x++) {
                c[y * w + x] = Math.round(cf[b + x]);
            }
        }
        RiceCompressedHdus.writeInt32Hdu(fits, count, c, w, h);
        fits.flush();
    }

    /** Writes {@code p} to a file, replacing it. */
    public static void write(CalibProduct p, Path path) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 20)) {
            write(p, out);
        }
    }

    /** The file's bytes. */
    public static byte[] toBytes(CalibProduct p) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(8 * p.width() * p.height() + 8 * FitsBlocks.BLOCK_SIZE);
        write(p, bos);
        return bos.toByteArray();
    }

    /**
     * Reads a file written by {@link #write}. The COUNT HDU is optional (a plain postISRCCD-like file reads with count
     * 0 where the image is NaN, 1 elsewhere).
     *
     * @throws IOException if a plane is missing, or CALIBTYP or the band (FILTER) is missing or unknown
     */
    public static CalibProduct read(byte[] bytes) throws IOException {
        PostIsrCcd planes = PostIsrCcdFormatter.read(bytes);
        Header md = planes.metadata();
        if (!md.containsKey("CALIBTYP")) {
            throw new IOException("primary header has no CALIBTYP");
        }
        CalibType type;
        Band band = null;
        try {
            type = CalibType.fromKeyword(md.getStringValue("CALIBTYP"));
            if (md.containsKey("FILTER")) {
                band = Band.fromPhysicalFilter(md.getStringValue("FILTER"));
            }
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (type != CalibType.BIAS && band == null) {
            throw new IOException("a " + type.keyword() + " needs FILTER in its primary header");
        }
        MaskedImage mi = planes.image();
        // the COUNT HDU's header and (compressed) data kept, decoded only if the count is asked for
        java.util.function.Supplier<ImageF> count = countHdu(bytes, mi);
        return new CalibProduct(type, type == CalibType.BIAS ? null : band, mi, count, md);
    }

    /** Reads a file. */
    public static CalibProduct read(Path path) throws IOException {
        return read(Files.readAllBytes(path));
    }

    /**
     * The count plane, made when first asked for: from the COUNT HDU, whose header and data are copied out of
     * {@code bytes} now (a tile-compressed plane of a few MB: the file is not kept), else 0 where the image is NaN and 1
     * elsewhere.
     */
    private static java.util.function.Supplier<ImageF> countHdu(byte[] bytes, MaskedImage mi) throws IOException {
        int w = mi.width();
        int h = mi.height();
        int pos = 0;
        while (pos < bytes.length) {
            int len = FitsBlocks.headerLength(bytes, pos, bytes.length - pos);
            if (len < 0) {
                break;
            }
            int end = pos + len;
            Header header = FitsBlocks.parseHeader(bytes, pos, len);
            long n = FitsBlocks.padded(FitsBlocks.dataLength(header));
            if ("COUNT".equals(header.getStringValue("EXTNAME", "").trim())) {
                byte[] data = java.util.Arrays.copyOfRange(bytes, end, (int) Math.min(bytes.length, end + n));
                return () -> {
                    int[] c;
                    try {
                        c = FitsImageIO.decodeIntPlane(header, data, 0);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException("the calibration product's COUNT HDU: "
                                + e.getMessage(), e);
                    }
                    float[] f = new float[c.length];
                    for (int i = 0; i < c.length; i++) {
                        f[i] = c[i];
                    }
                    return new ImageF(w, h, f);
                };
            }
            pos = (int) (end + n);
        }
        return () -> {
            ImageF count = new ImageF(w, h);
            float[] a = mi.image().array();
            for (int i = 0; i < a.length; i++) {
                count.array()[i] = Float.isNaN(a[i]) ? 0 : 1;
            }
            return count;
        };
    }

    private static void copyCards(Header from, Header to) {
        Cursor<String, HeaderCard> it = from.iterator();
        while (it.hasNext()) {
            HeaderCard card = it.next();
            if (STRUCTURAL.contains(card.getKey())) {
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
