package org.lovoccs.imaging.raw;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import nom.tam.fits.Header;
import org.lovoccs.imaging.fits.FitsBlocks;
import org.lovoccs.imaging.fits.FitsImageIO;
import org.lovoccs.imaging.fits.RiceCompressedHdus;

/**
 * Reads raw CCD HDUs (2-D integer IMAGE extensions, DECam: BITPIX = 16 with BZERO = 32768) into {@link RawCcd}s.
 * Tile-compressed HDUs (fpack, RICE_1, as the NOIRLab archive serves DECam raws) are decompressed transparently: the
 * result is the same RawCcd, with the uncompressed image's header ({@link RiceCompressedHdus#imageHeader}).
 *
 * <p>Every failure is a {@link RawFormatException} naming the HDU and, where there is one, the keyword at fault.
 */
public final class RawCcdReader {

    private RawCcdReader() {
    }

    /**
     * Parses the bytes of ONE extension HDU, i.e. its header blocks (starting with XTENSION, not SIMPLE) followed by
     * its data blocks, as cut out of a multi-extension file by byte range. Trailing bytes after the data (padding or
     * the next HDU) are ignored.
     *
     * @throws RawFormatException if the bytes are not an image extension, the header or data are truncated, or
     *                            BITPIX/NAXIS/BZERO/BSCALE are not those of an integer 2-D image
     */
    public static RawCcd readHdu(byte[] hduBytes) {
        return readHdu(hduBytes, "?");
    }

    private static RawCcd readHdu(byte[] bytes, String fallbackName) {
        if (bytes == null || bytes.length == 0) {
            throw new RawFormatException(fallbackName, null, "no bytes");
        }
        String first = FitsBlocks.keywordAt(bytes, 0);
        if (!"XTENSION".equals(first)) {
            String what = "SIMPLE".equals(first)
                    ? "this is a primary header (SIMPLE); expected an extension HDU starting with XTENSION"
                    : "not a FITS extension HDU: first keyword is '" + FitsBlocks.printable(first)
                    + "', expected XTENSION";
            throw new RawFormatException(fallbackName, "XTENSION", what);
        }
        int headerBytes = FitsBlocks.headerLength(bytes, 0, bytes.length);
        if (headerBytes < 0) {
            throw new RawFormatException(fallbackName, "END", "header truncated: no END card in " + bytes.length
                    + " bytes");
        }
        Header header;
        try {
            header = FitsBlocks.parseHeader(bytes, 0, headerBytes);
        } catch (IOException e) {
            throw new RawFormatException(fallbackName, null, "unreadable header: " + e.getMessage(), e);
        }
        return decode(header, bytes, headerBytes);
    }

    private static RawCcd decode(Header header, byte[] buf, int dataOffset) {
        String name = RawCcd.hduName(header);
        if (RiceCompressedHdus.isCompressed(header)) {
            return decodeCompressed(header, buf, dataOffset, name);
        }
        String xtension = header.getStringValue("XTENSION", "").trim();
        if (!"IMAGE".equals(xtension)) {
            throw new RawFormatException(name, "XTENSION", "XTENSION = '" + xtension + "', expected 'IMAGE'");
        }
        if (header.getIntValue("NAXIS", -1) != 2) {
            throw new RawFormatException(name, "NAXIS", "NAXIS = " + header.getIntValue("NAXIS", -1)
                    + ", a raw CCD must be a 2-D image");
        }
        for (String key : new String[] {"NAXIS1", "NAXIS2"}) {
            if (!header.containsKey(key)) {
                throw RawFormatException.missing(name, key, "");
            }
            if (header.getIntValue(key) <= 0) {
                throw new RawFormatException(name, key, key + " = " + header.getIntValue(key) + " is not positive");
            }
        }
        int width = header.getIntValue("NAXIS1");
        int height = header.getIntValue("NAXIS2");
        int bitpix = header.getIntValue("BITPIX", 0);
        if (bitpix != 16 && bitpix != 32) {
            throw new RawFormatException(name, "BITPIX", "BITPIX = " + bitpix
                    + " is not supported for raw data (expected 16, or 32)");
        }
        long dataLength = (long) width * height * (bitpix / 8);
        long available = buf.length - (long) dataOffset;
        if (available < dataLength) {
            throw new RawFormatException(name, null, "data truncated: " + available + " of " + dataLength
                    + " data bytes present");
        }
        try {
            return new RawCcd(header, width, height, FitsImageIO.decodeInts(header, buf, dataOffset));
        } catch (IOException e) {
            throw new RawFormatException(name, "BZERO", e.getMessage(), e);
        }
    }

    /** A tile-compressed (fpack) HDU: the RawCcd carries the uncompressed image's header. */
    private static RawCcd decodeCompressed(Header compressed, byte[] buf, int dataOffset, String name) {
        Header image = RiceCompressedHdus.imageHeader(compressed);
        int width = image.getIntValue("NAXIS1", 0);
        int height = image.getIntValue("NAXIS2", 0);
        if (image.getIntValue("NAXIS", -1) != 2 || width <= 0 || height <= 0) {
            throw new RawFormatException(name, "ZNAXIS", "compressed image is " + image.getIntValue("NAXIS", -1)
                    + "-D with ZNAXIS1 = " + width + ", ZNAXIS2 = " + height + "; a raw CCD must be a 2-D image");
        }
        int bitpix = image.getIntValue("BITPIX", 0);
        if (bitpix != 16 && bitpix != 32) {
            throw new RawFormatException(name, "ZBITPIX", "ZBITPIX = " + bitpix
                    + " is not supported for raw data (expected 16, or 32)");
        }
        try {
            return new RawCcd(image, width, height, RiceCompressedHdus.decodeInts(compressed, buf, dataOffset));
        } catch (EOFException e) {
            throw new RawFormatException(name, null, e.getMessage(), e);
        } catch (IOException e) {
            throw new RawFormatException(name, "ZCMPTYPE", "cannot decompress: " + e.getMessage(), e);
        }
    }

    /**
     * Streams a multi-extension raw file: the primary header is read, then each extension is decoded and handed to
     * {@code consumer} with the primary header attached ({@link RawCcd#primaryHeader()}). Only one CCD is held in
     * memory at a time.
     *
     * @throws RawFormatException if the stream is not FITS or an HDU is malformed or truncated
     * @throws IOException        on read errors of the stream
     */
    public static void forEachCcd(InputStream mef, Consumer<RawCcd> consumer) throws IOException {
        byte[] primaryBlocks = readHeader(mef, 0);
        if (primaryBlocks == null) {
            throw new RawFormatException("0", "SIMPLE", "empty file, not FITS");
        }
        if (!"SIMPLE".equals(FitsBlocks.keywordAt(primaryBlocks, 0))) {
            throw new RawFormatException("0", "SIMPLE", "not a FITS file: first keyword is '"
                    + FitsBlocks.printable(FitsBlocks.keywordAt(primaryBlocks, 0)) + "', expected SIMPLE");
        }
        Header primary = FitsBlocks.parseHeader(primaryBlocks, 0, primaryBlocks.length);
        skipData(mef, primary, "0");
        for (int index = 1; ; index++) {
            byte[] headerBlocks = readHeader(mef, index);
            if (headerBlocks == null) {
                return;
            }
            Header header = FitsBlocks.parseHeader(headerBlocks, 0, headerBlocks.length);
            String name = RawCcd.hduName(header);
            long dataBytes = FitsBlocks.padded(dataLength(header, name));
            if (dataBytes > Integer.MAX_VALUE - FitsBlocks.BLOCK_SIZE * 64L) {
                throw new RawFormatException(name, "NAXIS", "HDU data too large: " + dataBytes + " bytes");
            }
            byte[] hdu = new byte[headerBlocks.length + (int) dataBytes];
            System.arraycopy(headerBlocks, 0, hdu, 0, headerBlocks.length);
            int got = mef.readNBytes(hdu, headerBlocks.length, (int) dataBytes);
            if (got < dataBytes) {
                byte[] cut = new byte[headerBlocks.length + got];
                System.arraycopy(hdu, 0, cut, 0, cut.length);
                hdu = cut;
            }
            consumer.accept(readHdu(hdu, Integer.toString(index)).withPrimaryHeader(primary));
        }
    }

    /**
     * Reads every CCD of a multi-extension raw file. Each DECam CCD takes ~36 MB as {@code int[]}; use
     * {@link #forEachCcd(InputStream, Consumer)} for full 62-CCD exposures.
     *
     * @throws RawFormatException as {@link #forEachCcd(InputStream, Consumer)}
     * @throws IOException        on read errors of the stream
     */
    public static List<RawCcd> readAll(InputStream mef) throws IOException {
        List<RawCcd> out = new ArrayList<>();
        forEachCcd(mef, out::add);
        return out;
    }

    private static byte[] readHeader(InputStream in, int index) throws IOException {
        try {
            return FitsBlocks.readHeaderBlocks(in);
        } catch (EOFException e) {
            throw new RawFormatException(Integer.toString(index), "END", "header truncated: " + e.getMessage(), e);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("not a FITS header")) {
                String what = index == 0 ? "not a FITS file: " : "";
                throw new RawFormatException(Integer.toString(index), index == 0 ? "SIMPLE" : "XTENSION",
                        what + e.getMessage(), e);
            }
            throw e;
        }
    }

    private static long dataLength(Header header, String name) {
        try {
            return FitsBlocks.dataLength(header);
        } catch (IOException e) {
            throw new RawFormatException(name, "NAXIS", e.getMessage(), e);
        }
    }

    private static void skipData(InputStream in, Header header, String name) throws IOException {
        long n = FitsBlocks.padded(dataLength(header, name));
        try {
            in.skipNBytes(n);
        } catch (EOFException e) {
            throw new RawFormatException(name, null, "data truncated", e);
        }
    }
}
