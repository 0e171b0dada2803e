package org.lovoccs.imaging.fits;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import nom.tam.fits.Header;
import nom.tam.fits.TruncatedFileException;
import nom.tam.util.FitsInputStream;

/**
 * Low-level FITS block arithmetic: 2880-byte records, 80-character header cards, finding the END card and the size
 * of an HDU's data. Used to cut single HDUs out of multi-extension files by byte range.
 */
public final class FitsBlocks {

    /** Size of a FITS logical record in bytes. */
    public static final int BLOCK_SIZE = 2880;
    /** Size of one header card in bytes. */
    public static final int CARD_SIZE = 80;

    private static final byte[] END_CARD = "END".getBytes(StandardCharsets.US_ASCII);

    private FitsBlocks() {
    }

    /** {@code n} rounded up to a whole number of 2880-byte blocks. */
    public static long padded(long n) {
        return (n + BLOCK_SIZE - 1) / BLOCK_SIZE * BLOCK_SIZE;
    }

    /**
     * Length in bytes of the header that starts at {@code offset}: whole blocks up to and including the block holding
     * the END card.
     *
     * @return the header length, or -1 if no END card is found within {@code length} bytes
     */
    public static int headerLength(byte[] buf, int offset, int length) {
        int end = offset + length;
        for (int card = offset; card + CARD_SIZE <= end; card += CARD_SIZE) {
            if (isEndCard(buf, card)) {
                return (int) padded(card + CARD_SIZE - offset);
            }
        }
        return -1;
    }

    private static boolean isEndCard(byte[] buf, int card) {
        for (int i = 0; i < END_CARD.length; i++) {
            if (buf[card + i] != END_CARD[i]) {
                return false;
            }
        }
        for (int i = END_CARD.length; i < 8; i++) {
            if (buf[card + i] != ' ') {
                return false;
            }
        }
        return true;
    }

    /** The first 8 characters (the keyword) of the card at {@code offset}, trimmed; empty if fewer bytes remain. */
    public static String keywordAt(byte[] buf, int offset) {
        if (offset + 8 > buf.length) {
            return "";
        }
        return new String(buf, offset, 8, StandardCharsets.US_ASCII).trim();
    }

    /** {@code s} with non-printable characters replaced by '?', for messages. */
    public static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(c >= 32 && c < 127 ? c : '?');
        }
        return b.toString();
    }

    /**
     * Reads whole header blocks from {@code in} up to and including the block with the END card.
     *
     * @return the header bytes, or {@code null} if the stream is at its end before the first byte
     * @throws EOFException if the stream ends inside the header
     * @throws IOException  if the first card is neither SIMPLE nor XTENSION, or on read errors
     */
    public static byte[] readHeaderBlocks(InputStream in) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream(BLOCK_SIZE * 4);
        byte[] block = new byte[BLOCK_SIZE];
        while (true) {
            int n = in.readNBytes(block, 0, BLOCK_SIZE);
            if (n == 0 && header.size() == 0) {
                return null;
            }
            if (n < BLOCK_SIZE) {
                throw new FitsTruncatedException("file ends inside a header (" + (header.size() + n) + " header bytes read)");
            }
            if (header.size() == 0) {
                String first = keywordAt(block, 0);
                if (!first.equals("SIMPLE") && !first.equals("XTENSION")) {
                    throw new FitsFormatException("not a FITS header: first keyword is '" + printable(first) + "'");
                }
            }
            header.write(block, 0, BLOCK_SIZE);
            if (headerLength(block, 0, BLOCK_SIZE) > 0) {
                return header.toByteArray();
            }
        }
    }

    /**
     * Parses header cards with nom-tam-fits. The first card must be SIMPLE or XTENSION.
     *
     * @throws IOException if nom-tam-fits cannot parse the cards
     */
    public static Header parseHeader(byte[] buf, int offset, int length) throws IOException {
        try {
            Header h = Header.readHeader(new FitsInputStream(new ByteArrayInputStream(buf, offset, length)));
            if (h == null) {
                throw new FitsFormatException("not a FITS header: first keyword is '" + printable(keywordAt(buf, offset))
                        + "'");
            }
            return h;
        } catch (TruncatedFileException e) {
            throw new FitsTruncatedException("header truncated: " + e.getMessage());
        }
    }

    /**
     * Size of the data of the HDU described by {@code header}, before padding:
     * {@code |BITPIX|/8 * GCOUNT * (PCOUNT + NAXIS1 * ... * NAXISn)}, or 0 when NAXIS is 0.
     *
     * @throws IOException if BITPIX, NAXIS or an NAXISn is missing or invalid
     */
    public static long dataLength(Header header) throws IOException {
        if (!header.containsKey("BITPIX") || !header.containsKey("NAXIS")) {
            throw new FitsFormatException("header lacks BITPIX or NAXIS");
        }
        int bitpix = header.getIntValue("BITPIX");
        if (bitpix != 8 && bitpix != 16 && bitpix != 32 && bitpix != 64 && bitpix != -32 && bitpix != -64) {
            throw new FitsFormatException("invalid BITPIX = " + bitpix);
        }
        int naxis = header.getIntValue("NAXIS");
        if (naxis < 0 || naxis > 999) {
            throw new FitsFormatException("invalid NAXIS = " + naxis);
        }
        if (naxis == 0) {
            return 0;
        }
        long n = 1;
        for (int i = 1; i <= naxis; i++) {
            String key = "NAXIS" + i;
            if (!header.containsKey(key)) {
                throw new FitsFormatException("header lacks " + key);
            }
            long len = header.getLongValue(key);
            if (len < 0) {
                throw new FitsFormatException("invalid " + key + " = " + len);
            }
            n *= len;
        }
        long pcount = header.getLongValue("PCOUNT", 0);
        long gcount = header.getLongValue("GCOUNT", 1);
        return Math.abs(bitpix) / 8L * gcount * (pcount + n);
    }

    /** Writes zero bytes after {@code written} bytes of data so that the data ends on a block boundary. */
    public static void padData(OutputStream out, long written) throws IOException {
        int pad = (int) (padded(written) - written);
        if (pad > 0) {
            out.write(new byte[pad]);
        }
    }
}
