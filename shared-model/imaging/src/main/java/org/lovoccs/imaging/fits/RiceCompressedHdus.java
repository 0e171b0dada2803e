package org.lovoccs.imaging.fits;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.regex.Pattern;

import nom.tam.fits.Header;
import nom.tam.fits.HeaderCard;
import nom.tam.util.Cursor;
import nom.tam.util.FitsOutputStream;

/**
 * FITS tile-compressed images (the convention fpack and the NOIRLab archive use for DECam raws): an image stored as
 * a BINTABLE HDU with {@code ZIMAGE = T}, one table row per tile holding the tile's coded bytes in a variable-length
 * {@code COMPRESSED_DATA} column, and the image's own keywords in the same header, with its mandatory cards renamed
 * (BITPIX to ZBITPIX, NAXISn to ZNAXISn, XTENSION to ZTENSION, PCOUNT/GCOUNT to ZPCOUNT/ZGCOUNT, CHECKSUM/DATASUM to
 * ZHECKSUM/ZDATASUM).
 *
 * <p>Writing uses Rice coding ({@link RiceCodec}) with fpack's defaults: one image row per tile (ZTILE1 = NAXIS1,
 * ZTILE2 = 1), BLOCKSIZE 32, lossless for integer data; BZERO/BSCALE stay as header keywords and apply to the
 * decompressed values, as for the uncompressed image. Reading accepts RICE_1 tiles of 8-, 16- and 32-bit integer
 * images of any 2-D tiling.
 */
public final class RiceCompressedHdus {

    private static final Pattern TABLE_KEY =
            Pattern.compile("T(TYPE|FORM|UNIT|SCAL|ZERO|NULL|DIM|DISP|BCOL)\\d+|TFIELDS|THEAP");
    private static final Pattern COMPRESSION_KEY =
            Pattern.compile("Z(TILE|NAME|VAL|NAXIS)\\d+|ZIMAGE|ZCMPTYPE|ZMASKCMP|ZQUANTIZ|ZDITHER0|ZSIMPLE|ZTENSION"
                    + "|ZEXTEND|ZBLOCKED|ZBITPIX|ZNAXIS|ZPCOUNT|ZGCOUNT|ZHECKSUM|ZDATASUM");
    private static final Pattern IMAGE_STRUCTURE_KEY =
            Pattern.compile("XTENSION|SIMPLE|BITPIX|NAXIS\\d*|PCOUNT|GCOUNT|EXTEND|END|CHECKSUM|DATASUM");

    private RiceCompressedHdus() {
    }

    /** True if {@code header} is that of a tile-compressed image (a BINTABLE with ZIMAGE = T). */
    public static boolean isCompressed(Header header) {
        return header.getBooleanValue("ZIMAGE", false)
                && "BINTABLE".equals(header.getStringValue("XTENSION", "").trim());
    }

    /**
     * The header of the image a tile-compressed HDU holds, as the uncompressed IMAGE extension would have it:
     * XTENSION, BITPIX, NAXIS, NAXISn, PCOUNT, GCOUNT from their Z-keywords, then every other card in order, without
     * the table's and the compression's own cards. A header that is not compressed is returned as it is.
     */
    public static Header imageHeader(Header header) {
        if (!isCompressed(header)) {
            return header;
        }
        Header h = new Header();
        FitsHeaders.add(h, "XTENSION", header.getStringValue("ZTENSION", "IMAGE").trim(), "image extension");
        FitsHeaders.add(h, "BITPIX", header.getIntValue("ZBITPIX", 0), "array data type");
        int naxis = header.getIntValue("ZNAXIS", 0);
        FitsHeaders.add(h, "NAXIS", naxis, "number of array dimensions");
        for (int i = 1; i <= naxis; i++) {
            FitsHeaders.add(h, "NAXIS" + i, header.getLongValue("ZNAXIS" + i, 0), "length of axis " + i);
        }
        FitsHeaders.add(h, "PCOUNT", header.getLongValue("ZPCOUNT", 0), "number of group parameters");
        FitsHeaders.add(h, "GCOUNT", header.getLongValue("ZGCOUNT", 1), "number of groups");
        Cursor<String, HeaderCard> it = header.iterator();
        while (it.hasNext()) {
            HeaderCard card = it.next();
            String key = card.getKey();
            if (key.equals("ZHECKSUM") || key.equals("ZDATASUM")) {
                HeaderCard c = card.copy();
                c.changeKey(key.equals("ZHECKSUM") ? "CHECKSUM" : "DATASUM");
                append(h, c);
            } else if (!IMAGE_STRUCTURE_KEY.matcher(key).matches() && !TABLE_KEY.matcher(key).matches()
                    && !COMPRESSION_KEY.matcher(key).matches()) {
                append(h, card.copy());
            }
        }
        return h;
    }

    private static void append(Header h, HeaderCard card) {
        h.seekTail();
        h.addLine(card);
    }

    /**
     * The header of the Rice-compressed form of a 2-D image whose uncompressed header is {@code image}, with one
     * row per tile.
     *
     * @param heapBytes     size of the heap (all coded tiles)
     * @param maxTileBytes  size of the largest coded tile
     */
    static Header compressedHeader(Header image, int bytePix, long heapBytes, int maxTileBytes) {
        int width = image.getIntValue("NAXIS1");
        int height = image.getIntValue("NAXIS2");
        boolean large = heapBytes > Integer.MAX_VALUE;
        Header h = new Header();
        FitsHeaders.add(h, "XTENSION", "BINTABLE", "binary table extension");
        FitsHeaders.add(h, "BITPIX", 8, "8-bit bytes");
        FitsHeaders.add(h, "NAXIS", 2, "2-dimensional binary table");
        FitsHeaders.add(h, "NAXIS1", large ? 16 : 8, "width of table in bytes");
        FitsHeaders.add(h, "NAXIS2", height, "number of rows in table (tiles)");
        FitsHeaders.add(h, "PCOUNT", heapBytes, "size of special data area");
        FitsHeaders.add(h, "GCOUNT", 1, "one data group");
        FitsHeaders.add(h, "TFIELDS", 1, "number of fields in each row");
        FitsHeaders.add(h, "TTYPE1", "COMPRESSED_DATA", "label for field 1");
        FitsHeaders.add(h, "TFORM1", (large ? "1QB(" : "1PB(") + maxTileBytes + ")", "data format of field");
        FitsHeaders.add(h, "ZIMAGE", true, "extension contains compressed image");
        FitsHeaders.add(h, "ZTENSION", image.getStringValue("XTENSION", "IMAGE").trim(), "image extension");
        FitsHeaders.add(h, "ZBITPIX", image.getIntValue("BITPIX"), "data type of original image");
        FitsHeaders.add(h, "ZNAXIS", 2, "dimension of original image");
        FitsHeaders.add(h, "ZNAXIS1", width, "length of original image axis");
        FitsHeaders.add(h, "ZNAXIS2", height, "length of original image axis");
        FitsHeaders.add(h, "ZPCOUNT", image.getLongValue("PCOUNT", 0), "original PCOUNT");
        FitsHeaders.add(h, "ZGCOUNT", image.getLongValue("GCOUNT", 1), "original GCOUNT");
        FitsHeaders.add(h, "ZTILE1", width, "size of tiles to be compressed");
        FitsHeaders.add(h, "ZTILE2", 1, "size of tiles to be compressed");
        FitsHeaders.add(h, "ZCMPTYPE", "RICE_1", "compression algorithm");
        FitsHeaders.add(h, "ZNAME1", "BLOCKSIZE", "compression block size");
        FitsHeaders.add(h, "ZVAL1", RiceCodec.DEFAULT_BLOCK_SIZE, "pixels per block");
        FitsHeaders.add(h, "ZNAME2", "BYTEPIX", "bytes per pixel (1, 2, 4, or 8)");
        FitsHeaders.add(h, "ZVAL2", bytePix, "bytes per pixel (1, 2, 4, or 8)");
        Cursor<String, HeaderCard> it = image.iterator();
        while (it.hasNext()) {
            HeaderCard card = it.next();
            String key = card.getKey();
            if (key.equals("CHECKSUM") || key.equals("DATASUM")) {
                HeaderCard c = card.copy();
                c.changeKey(key.equals("CHECKSUM") ? "ZHECKSUM" : "ZDATASUM");
                append(h, c);
            } else if (!IMAGE_STRUCTURE_KEY.matcher(key).matches()) {
                append(h, card.copy());
            }
        }
        return h;
    }

    /**
     * Writes a BITPIX = 16 image of unsigned 16-bit values (BZERO = 32768) as a Rice-compressed HDU, one row per
     * tile. {@code header} is the uncompressed image's header, as for
     * {@link FitsImageIO#writeUnsigned16Hdu(FitsOutputStream, Header, short[], int, int)}; the stored (signed)
     * values are coded, so decompression plus BZERO gives back {@code unsignedBits[i] & 0xFFFF}. The whole HDU
     * (header, table, heap, padding to 2880 bytes) is written.
     */
    public static void writeUnsigned16Hdu(FitsOutputStream out, Header header, short[] unsignedBits, int width,
                                          int height) throws IOException {
        if (header.getIntValue("BITPIX", 0) != 16 || header.getIntValue("NAXIS", 0) != 2
                || header.getIntValue("NAXIS1", -1) != width || header.getIntValue("NAXIS2", -1) != height) {
            throw new IllegalArgumentException("header does not describe a " + width + "x" + height
                    + " BITPIX=16 image");
        }
        if (header.getLongValue("BZERO", 0) != 32768 || header.getDoubleValue("BSCALE", 1.0) != 1.0) {
            throw new IllegalArgumentException("unsigned 16-bit data need BZERO = 32768 and BSCALE = 1");
        }
        int[] row = new int[width];
        writeRows(out, header, 2, width, height, y -> {
            int base = y * width;
            for (int x = 0; x < width; x++) {
                row[x] = (short) (unsignedBits[base + x] ^ 0x8000);
            }
            return row;
        });
    }

    /**
     * Writes a BITPIX = 32 image (BZERO 0, BSCALE 1) as a Rice-compressed HDU, one row per tile, losslessly: what
     * LSST and fpack do with mask planes, which are mostly 0 and shrink ~100-fold. {@code header} is the uncompressed
     * image's header, as for {@link FitsImageIO#writeIntHdu(FitsOutputStream, Header, int[], int, int)}. The whole HDU
     * (header, table, heap, padding to 2880 bytes) is written.
     */
    public static void writeInt32Hdu(FitsOutputStream out, Header header, int[] data, int width, int height)
            throws IOException {
        if (header.getIntValue("BITPIX", 0) != 32 || header.getIntValue("NAXIS", 0) != 2
                || header.getIntValue("NAXIS1", -1) != width || header.getIntValue("NAXIS2", -1) != height) {
            throw new IllegalArgumentException("header does not describe a " + width + "x" + height
                    + " BITPIX=32 image");
        }
        if (header.getLongValue("BZERO", 0) != 0 || header.getDoubleValue("BSCALE", 1.0) != 1.0) {
            throw new IllegalArgumentException("32-bit integer planes are written with BZERO = 0 and BSCALE = 1");
        }
        if (data.length < (long) width * height) {
            throw new IllegalArgumentException(data.length + " values for a " + width + "x" + height + " image");
        }
        int[] row = new int[width];
        writeRows(out, header, 4, width, height, y -> {
            System.arraycopy(data, y * width, row, 0, width);
            return row;
        });
    }

    /** The stored values of image row {@code y}, in a buffer the writer may reuse for the next row. */
    private interface RowSource {
        int[] row(int y);
    }

    private static void writeRows(FitsOutputStream out, Header header, int bytePix, int width, int height,
                                  RowSource rows) throws IOException {
        byte[][] tiles = new byte[height][];
        long heap = 0;
        int max = 0;
        for (int y = 0; y < height; y++) {
            tiles[y] = RiceCodec.encode(rows.row(y), 0, width, bytePix, RiceCodec.DEFAULT_BLOCK_SIZE);
            heap += tiles[y].length;
            max = Math.max(max, tiles[y].length);
        }
        Header h = compressedHeader(header, bytePix, heap, max);
        boolean large = heap > Integer.MAX_VALUE;
        FitsImageIO.writeHeader(out, h);
        long offset = 0;
        for (byte[] t : tiles) {
            if (large) {
                out.writeLong(t.length);
                out.writeLong(offset);
            } else {
                out.writeInt(t.length);
                out.writeInt((int) offset);
            }
            offset += t.length;
        }
        for (byte[] t : tiles) {
            out.write(t);
        }
        long dataBytes = (long) height * (large ? 16 : 8) + heap;
        FitsBlocks.padData(out, dataBytes);
    }

    /**
     * Decompresses the image of a tile-compressed HDU to physical integer values {@code BZERO + stored}, row-major,
     * as {@link FitsImageIO#decodeInts(Header, byte[], int)} does for the uncompressed HDU.
     *
     * @param header     the HDU's (compressed) header
     * @param buf        bytes holding the HDU's data (table then heap)
     * @param dataOffset offset of the first data byte in {@code buf}
     * @throws FitsFormatException if the HDU is not a 2-D RICE_1 integer image, or a tile is corrupt
     * @throws EOFException        if {@code buf} ends before the table and heap do
     */
    public static int[] decodeInts(Header header, byte[] buf, int dataOffset) throws IOException {
        if (!isCompressed(header)) {
            throw new FitsFormatException("not a tile-compressed image (ZIMAGE = T in a BINTABLE)");
        }
        String cmp = header.getStringValue("ZCMPTYPE", "").trim();
        if (!"RICE_1".equals(cmp)) {
            throw new FitsFormatException("ZCMPTYPE = '" + cmp + "': only RICE_1 is supported");
        }
        int bitpix = header.getIntValue("ZBITPIX", 0);
        if (bitpix != 8 && bitpix != 16 && bitpix != 32) {
            throw new FitsFormatException("ZBITPIX = " + bitpix + " is not an integer image type (8, 16 or 32)");
        }
        if (header.getIntValue("ZNAXIS", 0) != 2) {
            throw new FitsFormatException("ZNAXIS = " + header.getIntValue("ZNAXIS", 0) + ", expected 2");
        }
        double bscale = header.getDoubleValue("BSCALE", 1.0);
        double bzeroD = header.getDoubleValue("BZERO", 0.0);
        if (bscale != 1.0 || bzeroD != Math.rint(bzeroD)) {
            throw new FitsFormatException("BSCALE = " + bscale + ", BZERO = " + bzeroD
                    + ": only BSCALE = 1 with an integer BZERO is supported for integer images");
        }
        long bzero = (long) bzeroD;
        int width = header.getIntValue("ZNAXIS1", 0);
        int height = header.getIntValue("ZNAXIS2", 0);
        if (width <= 0 || height <= 0 || (long) width * height > Integer.MAX_VALUE / 4) {
            throw new FitsFormatException("bad image size ZNAXIS1 = " + width + ", ZNAXIS2 = " + height);
        }
        int tile1 = header.getIntValue("ZTILE1", width);
        int tile2 = header.getIntValue("ZTILE2", 1);
        if (tile1 <= 0 || tile2 <= 0) {
            throw new FitsFormatException("bad tile size ZTILE1 = " + tile1 + ", ZTILE2 = " + tile2);
        }
        int blockSize = RiceCodec.DEFAULT_BLOCK_SIZE;
        int bytePix = bitpix / 8;
        for (int i = 1; header.containsKey("ZNAME" + i); i++) {
            String name = header.getStringValue("ZNAME" + i).trim();
            if (name.equals("BLOCKSIZE")) {
                blockSize = header.getIntValue("ZVAL" + i, blockSize);
            } else if (name.equals("BYTEPIX")) {
                bytePix = header.getIntValue("ZVAL" + i, bytePix);
            }
        }
        String ttype = header.getStringValue("TTYPE1", "").trim();
        String tform = header.getStringValue("TFORM1", "").trim().toUpperCase();
        if (!"COMPRESSED_DATA".equals(ttype) || !tform.matches("1?[PQ]B(\\(\\d+\\))?")) {
            throw new FitsFormatException("column 1 is '" + ttype + "' " + tform
                    + ", expected COMPRESSED_DATA as 1PB or 1QB");
        }
        boolean q = tform.contains("Q");
        long rowBytes = header.getLongValue("NAXIS1", 0);
        long rows = header.getLongValue("NAXIS2", 0);
        int tilesX = (width + tile1 - 1) / tile1;
        int tilesY = (height + tile2 - 1) / tile2;
        if (rows != (long) tilesX * tilesY) {
            throw new FitsFormatException(rows + " table rows for " + tilesX + "x" + tilesY + " tiles");
        }
        long heapStart = header.getLongValue("THEAP", rowBytes * rows);
        long dataLength = FitsBlocks.dataLength(header);
        if (dataOffset + dataLength > buf.length) {
            throw new EOFException("data truncated: " + Math.max(0, buf.length - dataOffset) + " of " + dataLength
                    + " data bytes present");
        }
        ByteBuffer table = ByteBuffer.wrap(buf).order(ByteOrder.BIG_ENDIAN);
        int[] out = new int[width * height];
        int[] tile = new int[tile1 * tile2];
        for (int k = 0; k < rows; k++) {
            int descriptor = (int) (dataOffset + k * rowBytes);
            long length = q ? table.getLong(descriptor) : table.getInt(descriptor) & 0xFFFF_FFFFL;
            long offset = q ? table.getLong(descriptor + 8) : table.getInt(descriptor + 4) & 0xFFFF_FFFFL;
            if (heapStart + offset + length > dataLength) {
                throw new FitsFormatException("tile " + (k + 1) + " lies outside the heap");
            }
            if (length == 0) {
                throw new FitsFormatException("tile " + (k + 1) + " has no compressed data (uncompressed or GZIP"
                        + " fallback tiles are not supported)");
            }
            int x0 = (k % tilesX) * tile1;
            int y0 = (k / tilesX) * tile2;
            int w = Math.min(tile1, width - x0);
            int h = Math.min(tile2, height - y0);
            try {
                RiceCodec.decode(buf, (int) (dataOffset + heapStart + offset), (int) length, tile, 0, w * h, bytePix,
                        blockSize);
            } catch (FitsFormatException e) {
                throw new FitsFormatException("tile " + (k + 1) + ": " + e.getMessage());
            }
            for (int y = 0; y < h; y++) {
                int dst = (y0 + y) * width + x0;
                for (int x = 0; x < w; x++) {
                    out[dst + x] = (int) (tile[y * w + x] + bzero);
                }
            }
        }
        if (bitpix == 8 && bytePix == 1) {
            // 8-bit FITS images are unsigned
            for (int i = 0; i < out.length; i++) {
                out[i] = (int) ((out[i] - bzero) & 0xFF) + (int) bzero;
            }
        }
        return out;
    }
}
