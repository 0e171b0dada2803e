package org.lovoccs.imaging.wcs;

import nom.tam.fits.Header;

/**
 * A celestial world coordinate system of a CCD image: 0-based pixel (x, y) to ICRS (RA, Dec) in degrees and back.
 *
 * <p>Pixel convention: that of {@link org.lovoccs.imaging.ImageF}, the centre of pixel (0, 0) being FITS pixel
 * (1, 1). RA is returned in [0, 360). Positions with no projection (the far hemisphere of a gnomonic projection) give
 * NaN. Implementations are immutable and thread-safe.
 */
public interface SkyWcs {

    /** {RA, Dec} in degrees of 0-based pixel (x, y). */
    double[] pixelToSky(double x, double y);

    /** {x, y}, 0-based, of a sky position; NaNs where the position has no projection or the inversion fails. */
    double[] skyToPixel(double raDeg, double decDeg);

    /** The linear (TAN, CD matrix) part: reference point, reference pixel and CD matrix. */
    TanWcs linear();

    /** Writes the standard FITS keywords of this WCS into {@code h}, replacing any WCS keywords there. */
    void addTo(Header h);
}
