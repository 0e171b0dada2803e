package org.lovoccs.imaging.wcs;

import nom.tam.fits.Header;
import org.lovoccs.imaging.fits.FitsHeaders;

/**
 * A gnomonic (TAN) world coordinate system with a CD matrix, as in FITS WCS Paper II, for ICRS RA/Dec in degrees.
 *
 * <p>{@code crpix1, crpix2} are stored as in FITS (1-based). The methods taking pixel coordinates use the 0-based
 * convention of {@link org.lovoccs.imaging.ImageF}: the centre of pixel (0, 0) is FITS pixel (1, 1). The CD matrix is
 * in degrees per pixel: intermediate coordinates (xi, eta) = CD · (p - CRPIX).
 *
 * @param crval1 RA of the reference point, degrees
 * @param crval2 Dec of the reference point, degrees
 * @param crpix1 FITS (1-based) column of the reference point
 * @param crpix2 FITS (1-based) row of the reference point
 * @param cd11   d(xi)/d(x), degrees per pixel
 * @param cd12   d(xi)/d(y), degrees per pixel
 * @param cd21   d(eta)/d(x), degrees per pixel
 * @param cd22   d(eta)/d(y), degrees per pixel
 */
public record TanWcs(double crval1, double crval2, double crpix1, double crpix2,
                     double cd11, double cd12, double cd21, double cd22) implements SkyWcs {

    /** Keywords written by {@link #addTo(Header)} and read by {@link #fromHeader(Header)}. */
    public static final String[] KEYWORDS = {"WCSAXES", "CTYPE1", "CTYPE2", "CUNIT1", "CUNIT2", "CRVAL1", "CRVAL2",
            "CRPIX1", "CRPIX2", "CD1_1", "CD1_2", "CD2_1", "CD2_2", "RADESYS", "EQUINOX"};

    public TanWcs {
        double det = cd11 * cd22 - cd12 * cd21;
        if (!(Math.abs(det) > 0) || !Double.isFinite(det)) {
            throw new IllegalArgumentException("singular CD matrix");
        }
    }

    /**
     * Sky position of 0-based pixel (x, y).
     *
     * @return {RA, Dec} in degrees, RA in [0, 360)
     */
    @Override
    public double[] pixelToSky(double x, double y) {
        double dx = x + 1 - crpix1;
        double dy = y + 1 - crpix2;
        double[] sky = new double[2];
        Gnomonic.toSkyRadians(crval1, crval2, Math.toRadians(cd11 * dx + cd12 * dy),
                Math.toRadians(cd21 * dx + cd22 * dy), sky);
        return sky;
    }

    /**
     * 0-based pixel position of a sky position.
     *
     * @return {x, y}; NaNs if the position is on the far hemisphere from the reference point
     */
    @Override
    public double[] skyToPixel(double raDeg, double decDeg) {
        double[] t = new double[2];
        Gnomonic.toTangentRadians(crval1, crval2, raDeg, decDeg, t);
        double xi = Math.toDegrees(t[0]);
        double eta = Math.toDegrees(t[1]);
        double det = cd11 * cd22 - cd12 * cd21;
        double dx = (cd22 * xi - cd12 * eta) / det;
        double dy = (-cd21 * xi + cd11 * eta) / det;
        return new double[] {dx + crpix1 - 1, dy + crpix2 - 1};
    }

    /** The same sky mapping for an image whose pixel (0, 0) is pixel (dx, dy) of this one (e.g. after trimming). */
    public TanWcs shiftedOrigin(double dx, double dy) {
        return new TanWcs(crval1, crval2, crpix1 - dx, crpix2 - dy, cd11, cd12, cd21, cd22);
    }

    /** Pixel scale in arcseconds per pixel (square root of |det CD|). */
    public double pixelScaleArcsec() {
        return Math.sqrt(Math.abs(cd11 * cd22 - cd12 * cd21)) * 3600.0;
    }

    @Override
    public TanWcs linear() {
        return this;
    }

    /** Writes the TAN keywords (see {@link #KEYWORDS}), replacing existing ones and removing SIP/TPV terms. */
    @Override
    public void addTo(Header h) {
        WcsHeaders.removeWcs(h);
        FitsHeaders.add(h, "WCSAXES", 2, "number of WCS axes");
        FitsHeaders.add(h, "CTYPE1", "RA---TAN", "gnomonic projection");
        FitsHeaders.add(h, "CTYPE2", "DEC--TAN", "gnomonic projection");
        FitsHeaders.add(h, "CUNIT1", "deg", "");
        FitsHeaders.add(h, "CUNIT2", "deg", "");
        FitsHeaders.add(h, "CRVAL1", crval1, "RA of reference point [deg]");
        FitsHeaders.add(h, "CRVAL2", crval2, "Dec of reference point [deg]");
        FitsHeaders.add(h, "CRPIX1", crpix1, "reference pixel, axis 1 (1-based)");
        FitsHeaders.add(h, "CRPIX2", crpix2, "reference pixel, axis 2 (1-based)");
        FitsHeaders.add(h, "CD1_1", cd11, "[deg/pixel]");
        FitsHeaders.add(h, "CD1_2", cd12, "[deg/pixel]");
        FitsHeaders.add(h, "CD2_1", cd21, "[deg/pixel]");
        FitsHeaders.add(h, "CD2_2", cd22, "[deg/pixel]");
        FitsHeaders.add(h, "RADESYS", "ICRS", "");
        FitsHeaders.add(h, "EQUINOX", 2000.0, "");
    }

    /**
     * Reads a TAN WCS with a CD matrix from a header.
     *
     * @throws IllegalArgumentException if CTYPE is not RA---TAN/DEC--TAN or a CRVAL, CRPIX or CD keyword is missing
     */
    public static TanWcs fromHeader(Header h) {
        String c1 = h.getStringValue("CTYPE1", "");
        String c2 = h.getStringValue("CTYPE2", "");
        if (!c1.startsWith("RA---TAN") || !c2.startsWith("DEC--TAN")) {
            throw new IllegalArgumentException("not a TAN WCS: CTYPE1='" + c1 + "', CTYPE2='" + c2 + "'");
        }
        for (String key : new String[] {"CRVAL1", "CRVAL2", "CRPIX1", "CRPIX2", "CD1_1", "CD1_2", "CD2_1", "CD2_2"}) {
            if (!h.containsKey(key)) {
                throw new IllegalArgumentException("TAN WCS lacks keyword " + key);
            }
        }
        return new TanWcs(h.getDoubleValue("CRVAL1"), h.getDoubleValue("CRVAL2"),
                h.getDoubleValue("CRPIX1"), h.getDoubleValue("CRPIX2"),
                h.getDoubleValue("CD1_1"), h.getDoubleValue("CD1_2"),
                h.getDoubleValue("CD2_1"), h.getDoubleValue("CD2_2"));
    }
}
