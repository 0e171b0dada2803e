package org.lovoccs.imaging.cp;

/** The kinds of calibration product, with the unit of their pixels (FITS BUNIT; empty = dimensionless). */
public enum CalibType {
    /** Master bias (zero): the 2-D bias structure left after overscan subtraction, electrons. */
    BIAS("bias", "electron"),
    /** Master flat of one band, normalised to median 1. */
    FLAT("flat", ""),
    /** Fringe frame: fringe pattern per unit of sky (fraction of the sky level). */
    FRINGE("fringe", ""),
    /** Sky frame of one band: the sky's spatial pattern normalised to median 1. */
    SKY("sky", "");

    private final String obstype;
    private final String unit;

    CalibType(String obstype, String unit) {
        this.obstype = obstype;
        this.unit = unit;
    }

    /** The value of the product's OBSTYPE/CALIBTYP keyword. */
    public String keyword() {
        return obstype;
    }

    /** FITS BUNIT of the image ("" for dimensionless). */
    public String unit() {
        return unit;
    }

    /** The type whose {@link #keyword()} is {@code value} (case-insensitive). */
    public static CalibType fromKeyword(String value) {
        for (CalibType t : values()) {
            if (t.obstype.equalsIgnoreCase(value.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("CALIBTYP '" + value + "' is not one of bias, flat, fringe, sky");
    }
}
