package org.lovoccs.imaging;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A FITS/IRAF image section such as {@code [57:1080,51:4146]}, as found in DATASEC, BIASSEC, AMPSEC and similar
 * header keywords.
 *
 * <p>The section string is 1-based with inclusive ends; {@link #box()} is the equivalent 0-based {@link PixelBox}.
 * A reversed range (first index greater than the second, e.g. {@code [2048:1025,1:4096]}) describes the same pixels
 * read in the opposite direction; it sets {@link #flipX()} or {@link #flipY()}.
 *
 * @param box   the pixels covered, 0-based
 * @param flipX true when the section's axis-1 range is written high-to-low
 * @param flipY true when the section's axis-2 range is written high-to-low
 */
public record FitsSection(PixelBox box, boolean flipX, boolean flipY) {

    private static final Pattern SECTION =
            Pattern.compile("\\s*\\[\\s*(\\d+)\\s*:\\s*(\\d+)\\s*,\\s*(\\d+)\\s*:\\s*(\\d+)\\s*]\\s*");

    public FitsSection {
        if (box == null) {
            throw new IllegalArgumentException("box is null");
        }
    }

    /** A section with both axes in increasing order. */
    public static FitsSection of(PixelBox box) {
        return new FitsSection(box, false, false);
    }

    /**
     * Parses a section string that is not tied to a header keyword.
     *
     * @throws IllegalArgumentException if the string is not of the form {@code [x1:x2,y1:y2]} with positive integers
     */
    public static FitsSection parse(String value) {
        return parse("section", value);
    }

    /**
     * Parses the value of header keyword {@code keyword}.
     *
     * @throws IllegalArgumentException naming the keyword and the value if the value is not of the form
     *                                  {@code [x1:x2,y1:y2]} with 1-based positive integers
     */
    public static FitsSection parse(String keyword, String value) {
        if (value == null) {
            throw new IllegalArgumentException("bad FITS section " + keyword + ": no value");
        }
        Matcher m = SECTION.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException("bad FITS section " + keyword + "='" + value
                    + "': expected [x1:x2,y1:y2] with 1-based integer pixel indices");
        }
        int x1;
        int x2;
        int y1;
        int y2;
        try {
            x1 = Integer.parseInt(m.group(1));
            x2 = Integer.parseInt(m.group(2));
            y1 = Integer.parseInt(m.group(3));
            y2 = Integer.parseInt(m.group(4));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad FITS section " + keyword + "='" + value + "': index out of range", e);
        }
        if (x1 < 1 || x2 < 1 || y1 < 1 || y2 < 1) {
            throw new IllegalArgumentException("bad FITS section " + keyword + "='" + value
                    + "': FITS pixel indices start at 1");
        }
        PixelBox box = new PixelBox(Math.min(x1, x2) - 1, Math.min(y1, y2) - 1,
                Math.abs(x2 - x1) + 1, Math.abs(y2 - y1) + 1);
        return new FitsSection(box, x1 > x2, y1 > y2);
    }

    /** The section string, 1-based, with reversed ranges where the section is flipped. */
    public String toFitsString() {
        int xa = box.x0() + 1;
        int xb = box.maxX() + 1;
        int ya = box.y0() + 1;
        int yb = box.maxY() + 1;
        return "[" + (flipX ? xb + ":" + xa : xa + ":" + xb) + "," + (flipY ? yb + ":" + ya : ya + ":" + yb) + "]";
    }

    @Override
    public String toString() {
        return toFitsString();
    }
}
