package org.lovoccs.imaging;

/**
 * Named bit planes of a {@link Mask}, numbered as in the LSST Science Pipelines defaults.
 *
 * <p>A pixel has a plane set when bit {@link #bit()} of its mask value is 1; {@link #bitmask()} is
 * {@code 1 << bit()}.
 */
public enum MaskPlane {
    /** Known bad pixel (defect, bad column). */
    BAD(0),
    /** At or above the amplifier's saturation level in the raw data. */
    SAT(1),
    /** Value was interpolated over. */
    INTRP(2),
    /** Cosmic ray. */
    CR(3),
    /** Too close to the edge for a measurement. */
    EDGE(4),
    /** Part of a detected source footprint. */
    DETECTED(5),
    /** Value is questionable (e.g. non-linear regime). */
    SUSPECT(6),
    /** No data for this pixel (outside any amplifier, or missing). */
    NO_DATA(7);

    private final int bit;

    MaskPlane(int bit) {
        this.bit = bit;
    }

    public int bit() {
        return bit;
    }

    public int bitmask() {
        return 1 << bit;
    }

    /**
     * The header keyword LSST uses to record this plane's bit in a MASK HDU, e.g. {@code MP_SAT}; keywords longer than
     * 8 characters (MP_DETECTED, MP_SUSPECT, MP_NO_DATA) are written with the HIERARCH convention.
     */
    public String headerKeyword() {
        return "MP_" + name();
    }
}
