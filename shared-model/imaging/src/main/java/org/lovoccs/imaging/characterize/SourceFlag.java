package org.lovoccs.imaging.characterize;

/** Measurement flags of a {@link Source}; bit {@link #bit()} of {@link Source#flags()}. */
public enum SourceFlag {
    /** The footprint touches the image border or EDGE pixels, or the aperture or moments box leaves the image. */
    EDGE(0),
    /** A SAT pixel in the footprint. */
    SATURATED(1),
    /** An INTRP pixel in the footprint. */
    INTERPOLATED(2),
    /** A BAD or NO_DATA pixel in the footprint or aperture. */
    BAD(3),
    /** A CR pixel in the footprint. */
    CR(4),
    /** Adaptive moments did not converge; the centroid is the first moment of the footprint and Ixx... are NaN. */
    MOMENTS_FAILED(5),
    /** One of several peaks of a footprint, measured from its peak (a deblended child). */
    DEBLENDED(6),
    /** Chosen by the PSF star selector. */
    PSF_CANDIDATE(7),
    /** Used in the final PSF fit (not rejected as an outlier). */
    PSF_USED(8);

    private final int bit;

    SourceFlag(int bit) {
        this.bit = bit;
    }

    public int bit() {
        return bit;
    }

    public int bitmask() {
        return 1 << bit;
    }

    /** The FITS column name of this flag, e.g. {@code flag_moments_failed}. */
    public String columnName() {
        return "flag_" + name().toLowerCase(java.util.Locale.ROOT);
    }
}
