package org.lovoccs.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import nom.tam.fits.HeaderCard;
import nom.tam.fits.HeaderCardException;
import org.lovoccs.imaging.fits.FitsBlocks;
import org.lovoccs.imaging.fits.FitsHduIndex;
import org.lovoccs.imaging.fits.HduSpan;

/**
 * Damaged raw files for quarantine tests and demos. Inputs are complete FITS files in memory (e.g. from
 * {@link RawExposureSimulator#toBytes}); outputs are new arrays, the input is not modified.
 */
public final class RawDamage {

    private RawDamage() {
    }

    /**
     * The file cut short inside the data of its last HDU.
     *
     * @param fraction fraction of the last HDU's data that is kept, in [0, 1)
     * @throws IllegalArgumentException if the fraction is out of range, the bytes are not FITS, or the last HDU has no
     *                                  data
     */
    public static byte[] truncate(byte[] fits, double fraction) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("fraction must be in [0, 1), got " + fraction);
        }
        List<HduSpan> spans = index(fits);
        HduSpan last = spans.get(spans.size() - 1);
        if (last.dataBytes() == 0) {
            throw new IllegalArgumentException("the last HDU has no data to cut into");
        }
        long cut = last.dataOffset() + (long) Math.floor(fraction * last.dataBytes());
        return Arrays.copyOf(fits, (int) Math.max(cut, last.dataOffset() + 1));
    }

    /**
     * The file with the card of {@code keyword} removed from the header of HDU {@code hdu} (0 = primary). The cards
     * after it move up and a blank card fills the header's last slot, so the header keeps its size and the file stays
     * valid FITS; when the END card opens the header's last block (moving it up would end the header a block early),
     * the card is blanked in place instead.
     *
     * @throws IllegalArgumentException if the HDU does not exist or has no such keyword
     */
    public static byte[] withoutKeyword(byte[] fits, int hdu, String keyword) {
        HduSpan span = span(fits, hdu);
        int card = findCard(fits, span, keyword);
        byte[] out = fits.clone();
        int headerEnd = (int) span.dataOffset();
        int next = card + FitsBlocks.CARD_SIZE;
        if (FitsBlocks.keywordAt(fits, headerEnd - FitsBlocks.BLOCK_SIZE).equals("END")) {
            Arrays.fill(out, card, next, (byte) ' ');
            return out;
        }
        System.arraycopy(fits, next, out, card, headerEnd - next);
        Arrays.fill(out, headerEnd - FitsBlocks.CARD_SIZE, headerEnd, (byte) ' ');
        return out;
    }

    /**
     * The file with the string value of {@code keyword} in HDU {@code hdu} replaced by {@code value} (e.g. a wrong
     * BIASSECA).
     *
     * @throws IllegalArgumentException if the HDU does not exist or has no such keyword
     */
    public static byte[] withKeyword(byte[] fits, int hdu, String keyword, String value) {
        HduSpan span = span(fits, hdu);
        int card = findCard(fits, span, keyword);
        String image;
        try {
            image = new HeaderCard(keyword, value, "altered by RawDamage").toString();
        } catch (HeaderCardException e) {
            throw new IllegalArgumentException("cannot write " + keyword + "='" + value + "'", e);
        }
        if (image.length() != FitsBlocks.CARD_SIZE) {
            throw new IllegalArgumentException("value too long for one card: " + value);
        }
        byte[] out = fits.clone();
        System.arraycopy(image.getBytes(StandardCharsets.US_ASCII), 0, out, card, FitsBlocks.CARD_SIZE);
        return out;
    }

    /** Bytes that are not FITS at all (a short text document padded to one FITS block). */
    public static byte[] notFits() {
        byte[] out = new byte[FitsBlocks.BLOCK_SIZE];
        Arrays.fill(out, (byte) '\n');
        byte[] text = ("ccdnum,ra,dec\n1,202.5,-31.5\nThis is a CSV file, not a FITS image.\n")
                .getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, out, 0, text.length);
        return out;
    }

    /** The bytes of HDU {@code hdu} alone, as a range request would return them. */
    public static byte[] hduBytes(byte[] fits, int hdu) {
        HduSpan s = span(fits, hdu);
        return Arrays.copyOfRange(fits, (int) s.offset(), (int) s.end());
    }

    private static List<HduSpan> index(byte[] fits) {
        try {
            return FitsHduIndex.scan(fits);
        } catch (IOException e) {
            throw new IllegalArgumentException("input is not a complete FITS file: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("input is not a complete FITS file: " + e, e);
        }
    }

    private static HduSpan span(byte[] fits, int hdu) {
        List<HduSpan> spans = index(fits);
        if (hdu < 0 || hdu >= spans.size()) {
            throw new IllegalArgumentException("no HDU " + hdu + "; the file has " + spans.size());
        }
        return spans.get(hdu);
    }

    private static int findCard(byte[] fits, HduSpan span, String keyword) {
        String key = keyword.trim().toUpperCase(Locale.ROOT);
        for (int pos = (int) span.offset(); pos < span.dataOffset(); pos += FitsBlocks.CARD_SIZE) {
            String k = FitsBlocks.keywordAt(fits, pos);
            if (k.equals("END")) {
                break;
            }
            if (k.equals(key)) {
                return pos;
            }
        }
        throw new IllegalArgumentException("HDU " + span.index() + " has no keyword " + key);
    }
}
