package org.lovoccs.imaging.wcs;

/**
 * The gnomonic (TAN) projection about a tangent point: sky (RA, Dec) in degrees to standard coordinates
 * (xi toward increasing RA, i.e. East; eta toward North), and back. Points 90 degrees or more from the tangent point
 * have no projection and give NaN.
 */
public final class Gnomonic {

    private static final double ARCSEC_PER_RAD = 180.0 / Math.PI * 3600.0;

    private Gnomonic() {
    }

    /** Standard coordinates of (ra, dec) about (ra0, dec0), radians, into {@code out[0..1]}; degrees in. */
    public static void toTangentRadians(double ra0Deg, double dec0Deg, double raDeg, double decDeg, double[] out) {
        double d0 = Math.toRadians(dec0Deg);
        double d = Math.toRadians(decDeg);
        double dra = Math.toRadians(raDeg - ra0Deg);
        double cosd = Math.cos(d);
        double cosc = Math.sin(d0) * Math.sin(d) + Math.cos(d0) * cosd * Math.cos(dra);
        if (!(cosc > 0)) {
            out[0] = Double.NaN;
            out[1] = Double.NaN;
            return;
        }
        out[0] = cosd * Math.sin(dra) / cosc;
        out[1] = (Math.cos(d0) * Math.sin(d) - Math.sin(d0) * cosd * Math.cos(dra)) / cosc;
    }

    /** Sky position (RA in [0, 360), Dec; degrees) of standard coordinates (xi, eta) in radians, into {@code out}. */
    public static void toSkyRadians(double ra0Deg, double dec0Deg, double xi, double eta, double[] out) {
        double d0 = Math.toRadians(dec0Deg);
        double denom = Math.cos(d0) - eta * Math.sin(d0);
        double ra = (ra0Deg + Math.toDegrees(Math.atan2(xi, denom))) % 360.0;
        out[0] = ra < 0 ? ra + 360.0 : ra;
        out[1] = Math.toDegrees(Math.atan2(Math.sin(d0) + eta * Math.cos(d0), Math.hypot(xi, denom)));
    }

    /** Standard coordinates (xi, eta), arcsec, of (ra, dec) about tangent point (ra0, dec0); angles in degrees. */
    public static double[] toTangent(double ra0Deg, double dec0Deg, double raDeg, double decDeg) {
        double[] out = new double[2];
        toTangentRadians(ra0Deg, dec0Deg, raDeg, decDeg, out);
        out[0] *= ARCSEC_PER_RAD;
        out[1] *= ARCSEC_PER_RAD;
        return out;
    }

    /** Sky position (ra, dec), degrees, of standard coordinates (xi, eta) arcsec about (ra0, dec0). */
    public static double[] toSky(double ra0Deg, double dec0Deg, double xiArcsec, double etaArcsec) {
        double[] out = new double[2];
        toSkyRadians(ra0Deg, dec0Deg, xiArcsec / ARCSEC_PER_RAD, etaArcsec / ARCSEC_PER_RAD, out);
        return out;
    }
}
