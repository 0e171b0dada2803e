package org.lovoccs.imaging.raw;

import nom.tam.fits.Header;
import nom.tam.fits.HeaderCard;

/**
 * One raw CCD HDU: its header and its pixels in ADU, exactly as stored (no trimming or assembly).
 *
 * <p>{@link #pixels()} is row-major with 0-based coordinates, {@code x} = column = FITS axis 1, row 0 = FITS row 1:
 * pixel (x, y) is {@code pixels()[y * width() + x]}. Values are the physical integers after applying BZERO (0..65535
 * for DECam's unsigned 16-bit raws).
 */
public final class RawCcd {

    private final Header header;
    private final Header primaryHeader;
    private final int width;
    private final int height;
    private final int[] pixels;

    /**
     * @param header extension header of the HDU
     * @param width  NAXIS1
     * @param height NAXIS2
     * @param pixels row-major ADU values, {@code width * height} of them (kept, not copied)
     */
    public RawCcd(Header header, int width, int height, int[] pixels) {
        this(header, null, width, height, pixels);
    }

    private RawCcd(Header header, Header primaryHeader, int width, int height, int[] pixels) {
        if (header == null || pixels == null) {
            throw new IllegalArgumentException("header and pixels are required");
        }
        if ((long) width * height != pixels.length) {
            throw new IllegalArgumentException(pixels.length + " pixels for a " + width + "x" + height + " HDU");
        }
        this.header = header;
        this.primaryHeader = primaryHeader;
        this.width = width;
        this.height = height;
        this.pixels = pixels;
    }

    /** The same CCD with the file's primary header attached, used as a fallback by {@link #findCard(String)}. */
    public RawCcd withPrimaryHeader(Header primary) {
        return new RawCcd(header, primary, width, height, pixels);
    }

    public Header header() {
        return header;
    }

    /** The primary header of the file, or {@code null} when the HDU was read on its own. */
    public Header primaryHeader() {
        return primaryHeader;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int[] pixels() {
        return pixels;
    }

    /** ADU of pixel (x, y). */
    public int get(int x, int y) {
        if (x < 0 || x >= width || y < 0 || y >= height) {
            throw new IndexOutOfBoundsException("pixel (" + x + ", " + y + ") outside " + width + "x" + height);
        }
        return pixels[y * width + x];
    }

    /** EXTNAME, else DETPOS, else {@code CCD<CCDNUM>}, else {@code ?}: the name used in error messages. */
    public String name() {
        return hduName(header);
    }

    /** The card of {@code key} from the extension header, else from the primary header, else {@code null}. */
    public HeaderCard findCard(String key) {
        HeaderCard card = header.getCard(key);
        if (card == null && primaryHeader != null) {
            card = primaryHeader.getCard(key);
        }
        return card;
    }

    /** The name of an HDU for messages: EXTNAME, else DETPOS, else {@code CCD<CCDNUM>}, else {@code ?}. */
    public static String hduName(Header h) {
        for (String key : new String[] {"EXTNAME", "DETPOS"}) {
            String v = h.getStringValue(key);
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        if (h.containsKey("CCDNUM")) {
            return "CCD" + h.getIntValue("CCDNUM");
        }
        return "?";
    }
}
