package org.lovoccs.imaging.fits;

import java.util.ArrayList;
import java.util.List;

import nom.tam.fits.Header;
import nom.tam.fits.HeaderCard;
import nom.tam.fits.HeaderCardException;
import nom.tam.util.Cursor;

/**
 * Builders for the mandatory cards of FITS headers, written so that output is byte-for-byte reproducible (no
 * time-stamped comments), and helpers to copy cards between headers.
 */
public final class FitsHeaders {

    private FitsHeaders() {
    }

    /** An empty primary header: SIMPLE, BITPIX = 8, NAXIS = 0, EXTEND = T. */
    public static Header primary() {
        Header h = new Header();
        add(h, "SIMPLE", true, "conforms to FITS standard");
        add(h, "BITPIX", 8, "array data type");
        add(h, "NAXIS", 0, "no data in the primary HDU");
        add(h, "EXTEND", true, "extensions follow");
        return h;
    }

    /**
     * The mandatory cards of a 2-D IMAGE extension.
     *
     * @param bitpix 16, 32, -32 or -64
     * @param width  NAXIS1, the number of columns
     * @param height NAXIS2, the number of rows
     */
    public static Header imageExtension(int bitpix, int width, int height) {
        Header h = new Header();
        add(h, "XTENSION", "IMAGE", "image extension");
        add(h, "BITPIX", bitpix, "array data type");
        add(h, "NAXIS", 2, "number of array dimensions");
        add(h, "NAXIS1", width, "columns");
        add(h, "NAXIS2", height, "rows");
        add(h, "PCOUNT", 0, "number of group parameters");
        add(h, "GCOUNT", 1, "number of groups");
        return h;
    }

    /** Adds a string card at the end of the header, or replaces the card of the same key in place. */
    public static void add(Header h, String key, String value, String comment) {
        try {
            put(h, new HeaderCard(key, value, comment));
        } catch (HeaderCardException e) {
            throw new IllegalArgumentException("cannot write " + key + "='" + value + "': " + e.getMessage(), e);
        }
    }

    /** Adds a numeric card at the end of the header, or replaces the card of the same key in place. */
    public static void add(Header h, String key, Number value, String comment) {
        try {
            put(h, new HeaderCard(key, value, comment));
        } catch (HeaderCardException e) {
            throw new IllegalArgumentException("cannot write " + key + "=" + value + ": " + e.getMessage(), e);
        }
    }

    /** Adds a logical card at the end of the header, or replaces the card of the same key in place. */
    public static void add(Header h, String key, boolean value, String comment) {
        try {
            put(h, new HeaderCard(key, value, comment));
        } catch (HeaderCardException e) {
            throw new IllegalArgumentException("cannot write " + key + ": " + e.getMessage(), e);
        }
    }

    /**
     * The key to give nom-tam-fits for a keyword: {@code HIERARCH.<keyword>} (written {@code HIERARCH <keyword> = }) for
     * keywords longer than 8 characters, as LSST does for e.g. MP_DETECTED; the keyword itself otherwise.
     */
    public static String cardKey(String keyword) {
        return keyword.length() > 8 ? "HIERARCH." + keyword : keyword;
    }

    /** Adds a HISTORY card at the end of the header. */
    public static void history(Header h, String text) {
        h.seekTail();
        h.insertHistory(text);
    }

    /**
     * Adds {@code card} at the end of the header, or replaces the card with the same key in place. Unlike
     * nom-tam-fits' {@code addValue}, the position never depends on the header's cursor. A comment that would push
     * the card past 80 characters is dropped rather than continued with the long-string convention.
     */
    public static void put(Header h, HeaderCard card) {
        String key = card.getKey();
        if (!card.isCommentStyleCard() && card.cardSize() > 1 && card.getComment() != null) {
            card.setComment("");
        }
        try {
            if (h.containsKey(key)) {
                h.updateLine(key, card);
            } else {
                h.seekTail();
                h.addLine(card);
            }
        } catch (HeaderCardException e) {
            throw new IllegalArgumentException("cannot write " + key + ": " + e.getMessage(), e);
        }
    }

    /**
     * Adds {@code LONGSTRN = 'OGIP 1.0'} when a card of {@code h} needs more than one 80-character record (a long string
     * continued with CONTINUE cards) and the header does not declare the convention yet: fitsverify warns about a
     * continued string without it.
     */
    public static void declareLongStrings(Header h) {
        if (h.containsKey("LONGSTRN")) {
            return;
        }
        Cursor<String, HeaderCard> it = h.iterator();
        while (it.hasNext()) {
            HeaderCard card = it.next();
            if (!card.isCommentStyleCard() && card.isStringValue() && card.cardSize() > 1) {
                add(h, "LONGSTRN", "OGIP 1.0", "the OGIP long-string convention is used");
                return;
            }
        }
    }

    /** The keywords of all cards in order (comment-style cards included, e.g. HISTORY), without moving the cursor. */
    public static List<String> keys(Header h) {
        List<String> keys = new ArrayList<>(h.getNumberOfCards());
        Cursor<String, HeaderCard> it = h.iterator();
        while (it.hasNext()) {
            keys.add(it.next().getKey());
        }
        return keys;
    }

    /** Copies the cards of {@code keys} that exist in {@code from} to {@code to}, replacing existing ones. */
    public static void copy(Header from, Header to, String... keys) {
        for (String key : keys) {
            HeaderCard card = from.getCard(key);
            if (card != null) {
                put(to, card.copy());
            }
        }
    }
}
