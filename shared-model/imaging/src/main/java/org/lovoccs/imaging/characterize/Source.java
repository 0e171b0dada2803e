package org.lovoccs.imaging.characterize;

/**
 * One measured source. Pixel coordinates are 0-based (pixel centre at integers, x = column); fluxes and peak are in
 * the image's unit (e- after ISR); moments in pixel^2; NaN when not measured.
 *
 * @param id            1-based number within the catalogue
 * @param parentId      id of the footprint's first source when this is a deblended child, else 0
 * @param x             centroid (adaptive-moment weighted), column
 * @param y             centroid, row
 * @param flux          circular aperture flux
 * @param fluxErr       its 1-sigma error from the variance plane
 * @param ixx           adaptive second moment
 * @param iyy           adaptive second moment
 * @param ixy           adaptive second moment
 * @param peakValue     highest background-subtracted pixel of the footprint (of the peak for a child)
 * @param footprintArea pixels in the footprint
 * @param flags         {@link SourceFlag} bits
 */
public record Source(long id, long parentId, double x, double y, double flux, double fluxErr, double ixx, double iyy,
                     double ixy, double peakValue, int footprintArea, int flags) {

    public boolean has(SourceFlag flag) {
        return (flags & flag.bitmask()) != 0;
    }

    /** Aperture signal-to-noise ratio. */
    public double snr() {
        return flux / fluxErr;
    }

    /** The trace radius sqrt((Ixx + Iyy) / 2), pixels (sigma for a round Gaussian). */
    public double traceRadius() {
        return Math.sqrt(0.5 * (ixx + iyy));
    }

    public Source withFlags(int newFlags) {
        return new Source(id, parentId, x, y, flux, fluxErr, ixx, iyy, ixy, peakValue, footprintArea, newFlags);
    }
}
