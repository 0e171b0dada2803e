package org.lovoccs.imaging.raw;

/**
 * A raw CCD HDU that cannot be processed: not FITS, truncated, or with a missing or invalid header keyword. The message
 * always starts with {@code "HDU <name>: "} ({@code <name>} = EXTNAME, DETPOS, or the HDU index, or {@code ?} when
 * unknown) and names the offending keyword when there is one.
 */
public class RawFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String hduName;
    private final String keyword;

    /**
     * @param hduName name of the HDU (EXTNAME/DETPOS), or an index or "?" when unknown
     * @param keyword the missing or invalid keyword, or {@code null} when the problem is not tied to one
     * @param detail  what is wrong
     */
    public RawFormatException(String hduName, String keyword, String detail) {
        this(hduName, keyword, detail, null);
    }

    public RawFormatException(String hduName, String keyword, String detail, Throwable cause) {
        super("HDU " + hduName + ": " + detail, cause);
        this.hduName = hduName;
        this.keyword = keyword;
    }

    /** The HDU's name as used in the message. */
    public String hduName() {
        return hduName;
    }

    /** The offending header keyword, or {@code null}. */
    public String keyword() {
        return keyword;
    }

    /** A "missing keyword" error. */
    public static RawFormatException missing(String hduName, String keyword, String why) {
        return new RawFormatException(hduName, keyword, "missing keyword " + keyword + (why.isEmpty() ? "" : " " + why));
    }
}
