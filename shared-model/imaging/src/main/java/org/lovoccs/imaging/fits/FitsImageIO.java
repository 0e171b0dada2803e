package org.lovoccs.imaging.fits;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import nom.tam.fits.FitsException;
import nom.tam.fits.Header;
import nom.tam.util.FitsOutputStream;
import org.lovoccs.imaging.ImageF;

/**
 * Writes and decodes the data of 2-D IMAGE HDUs (big-endian, row-major, FITS row 1 first = array row 0).
 *
 * <p>The writers emit the given header (which must already carry the matching BITPIX/NAXISn cards, e.g. from
 * {@link FitsHeaders#imageExtension(int, int, int)}), the pixels, and the zero padding to a 2880-byte boundary.
 */
public final class FitsImageIO {

    private FitsImageIO() {
    }

    /** Writes a header followed by a BITPIX = -32 data unit holding {@code image}. */
    public static void writeFloatHdu(FitsOutputStream out, Header header, ImageF image) throws IOException {
        checkHeader(header, -32, image.width(), image.height());
        writeHeader(out, header);
        float[] a = image.array();
        for (int y = 0; y < image.height(); y++) {
            out.write(a, image.index(0, y), image.width());
        }
        FitsBlocks.padData(out, 4L * image.width() * image.height());
    }

    /** Writes a header followed by a BITPIX = 32 data unit holding a row-major {@code width x height} array. */
    public static void writeIntHdu(FitsOutputStream out, Header header, int[] data, int width, int height)
            throws IOException {
        checkHeader(header, 32, width, height);
        writeHeader(out, header);
        out.write(data, 0, width * height);
        FitsBlocks.padData(out, 4L * width * height);
    }

    /**
     * Writes a header followed by a BITPIX = 16 data unit of {@code data}. Its values must all be within -32768 ..
     * 32767 (the caller decides the width with {@link #fitsInt16}); one that is not is refused as it is converted,
     * leaving the stream with a partial HDU. The header must say BITPIX = 16 and carry no BZERO or BSCALE.
     */
    public static void writeShortHdu(FitsOutputStream out, Header header, int[] data, int width, int height)
            throws IOException {
        checkHeader(header, 16, width, height);
        if (header.containsKey("BZERO") || header.containsKey("BSCALE")) {
            throw new IllegalArgumentException("16-bit integer data are written without BZERO and BSCALE");
        }
        writeHeader(out, header);
        short[] row = new short[width];
        for (int y = 0; y < height; y++) {
            int base = y * width;
            for (int x = 0; x < width; x++) {
                int v = data[base + x];
                row[x] = (short) v;
                if (row[x] != v) {
                    throw new IllegalArgumentException("value " + v + " at (" + x + ", " + y + ") does not fit"
                            + " BITPIX = 16");
                }
            }
            out.write(row, 0, width);
        }
        FitsBlocks.padData(out, 2L * width * height);
    }

    /** True when each of the first {@code n} values is within -32768 .. 32767, so that BITPIX = 16 holds them. */
    public static boolean fitsInt16(int[] data, int n) {
        for (int i = 0; i < n; i++) {
            if (data[i] != (short) data[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes a header followed by a BITPIX = 16 data unit of unsigned 16-bit values stored with BZERO = 32768. Each
     * element of {@code unsignedBits} holds a value 0..65535 as its 16-bit pattern ({@code value = s & 0xFFFF}).
     * The header must carry BZERO = 32768 and BSCALE = 1.
     */
    public static void writeUnsigned16Hdu(FitsOutputStream out, Header header, short[] unsignedBits, int width,
                                          int height) throws IOException {
        checkHeader(header, 16, width, height);
        if (header.getLongValue("BZERO", 0) != 32768 || header.getDoubleValue("BSCALE", 1.0) != 1.0) {
            throw new IllegalArgumentException("unsigned 16-bit data need BZERO = 32768 and BSCALE = 1");
        }
        writeHeader(out, header);
        short[] row = new short[width];
        for (int y = 0; y < height; y++) {
            int base = y * width;
            for (int x = 0; x < width; x++) {
                row[x] = (short) (unsignedBits[base + x] ^ 0x8000);
            }
            out.write(row, 0, width);
        }
        FitsBlocks.padData(out, 2L * width * height);
    }

    /**
     * Writes a header (padded to whole blocks) with nom-tam-fits. A header with a string too long for one card (written
     * with CONTINUE cards, the OGIP long-string convention) gets the convention's {@code LONGSTRN} keyword first, which
     * fitsverify otherwise warns about.
     */
    public static void writeHeader(FitsOutputStream out, Header header) throws IOException {
        FitsHeaders.declareLongStrings(header);
        try {
            header.write(out);
        } catch (FitsException e) {
            throw new IOException("cannot write header: " + e.getMessage(), e);
        }
    }

    private static void checkHeader(Header h, int bitpix, int width, int height) {
        if (h.getIntValue("BITPIX", 0) != bitpix || h.getIntValue("NAXIS", 0) != 2
                || h.getIntValue("NAXIS1", -1) != width || h.getIntValue("NAXIS2", -1) != height) {
            throw new IllegalArgumentException("header does not describe a " + width + "x" + height + " BITPIX="
                    + bitpix + " image");
        }
    }

    /**
     * The integer plane of an HDU, whether stored plainly (BITPIX 16 or 32) or tile-compressed
     * ({@link RiceCompressedHdus}, as masks are written): physical values, row-major.
     */
    public static int[] decodeIntPlane(Header h, byte[] buf, int offset) throws IOException {
        return RiceCompressedHdus.isCompressed(h) ? RiceCompressedHdus.decodeInts(h, buf, offset)
                : decodeInts(h, buf, offset);
    }

    /** NAXIS1 and NAXIS2 of an image HDU, or ZNAXIS1 and ZNAXIS2 of a tile-compressed one. */
    public static int[] imageSize(Header h) {
        return RiceCompressedHdus.isCompressed(h) ? new int[] {h.getIntValue("ZNAXIS1"), h.getIntValue("ZNAXIS2")}
                : new int[] {h.getIntValue("NAXIS1"), h.getIntValue("NAXIS2")};
    }

    /**
     * Decodes the data of a 2-D integer image (BITPIX 16 or 32) to physical values {@code BZERO + BSCALE * stored}.
     *
     * @param buf    bytes holding the data unit
     * @param offset offset of the first data byte in {@code buf}
     * @throws IOException if BITPIX is not 16 or 32, BSCALE is not 1, BZERO is not an integer, or {@code buf} is too
     *                     short
     */
    public static int[] decodeInts(Header h, byte[] buf, int offset) throws IOException {
        int bitpix = h.getIntValue("BITPIX", 0);
        if (bitpix != 16 && bitpix != 32) {
            throw new IOException("BITPIX = " + bitpix + " is not an integer image type (16 or 32)");
        }
        double bscale = h.getDoubleValue("BSCALE", 1.0);
        double bzeroD = h.getDoubleValue("BZERO", 0.0);
        if (bscale != 1.0 || bzeroD != Math.rint(bzeroD)) {
            throw new IOException("BSCALE = " + bscale + ", BZERO = " + bzeroD
                    + ": only BSCALE = 1 with an integer BZERO is supported for integer images");
        }
        int n = pixelCount(h);
        int bytes = n * (bitpix / 8);
        checkLength(buf, offset, bytes);
        int[] out = new int[n];
        ByteBuffer bb = ByteBuffer.wrap(buf, offset, bytes).order(ByteOrder.BIG_ENDIAN);
        long bzero = (long) bzeroD;
        if (bitpix == 16) {
            short[] s = new short[n];
            bb.asShortBuffer().get(s);
            for (int i = 0; i < n; i++) {
                out[i] = (int) (s[i] + bzero);
            }
        } else {
            bb.asIntBuffer().get(out);
            if (bzero != 0) {
                for (int i = 0; i < n; i++) {
                    out[i] = (int) (out[i] + bzero);
                }
            }
        }
        return out;
    }

    /**
     * Decodes the data of a 2-D BITPIX = -32 image.
     *
     * @throws IOException if BITPIX is not -32 or {@code buf} is too short
     */
    public static float[] decodeFloats(Header h, byte[] buf, int offset) throws IOException {
        int bitpix = h.getIntValue("BITPIX", 0);
        if (bitpix != -32) {
            throw new IOException("BITPIX = " + bitpix + ", expected -32");
        }
        int n = pixelCount(h);
        checkLength(buf, offset, 4 * n);
        float[] out = new float[n];
        ByteBuffer.wrap(buf, offset, 4 * n).order(ByteOrder.BIG_ENDIAN).asFloatBuffer().get(out);
        double bscale = h.getDoubleValue("BSCALE", 1.0);
        double bzero = h.getDoubleValue("BZERO", 0.0);
        if (bscale != 1.0 || bzero != 0.0) {
            for (int i = 0; i < n; i++) {
                out[i] = (float) (bzero + bscale * out[i]);
            }
        }
        return out;
    }

    private static int pixelCount(Header h) throws IOException {
        if (h.getIntValue("NAXIS", 0) != 2) {
            throw new IOException("NAXIS = " + h.getIntValue("NAXIS", 0) + ", expected a 2-D image");
        }
        long n = h.getLongValue("NAXIS1", -1) * h.getLongValue("NAXIS2", -1);
        if (n < 0 || n > Integer.MAX_VALUE / 4) {
            throw new IOException("bad image size NAXIS1 = " + h.getLongValue("NAXIS1", -1)
                    + ", NAXIS2 = " + h.getLongValue("NAXIS2", -1));
        }
        return (int) n;
    }

    private static void checkLength(byte[] buf, int offset, int bytes) throws IOException {
        if (offset + (long) bytes > buf.length) {
            throw new EOFException("data truncated: " + Math.max(0, buf.length - offset) + " of " + bytes
                    + " data bytes present");
        }
    }
}
