package org.lovoccs.simulator.optics;

/**
 * The gnomonic (TAN) projection about a tangent point: sky (RA, Dec) in degrees to standard coordinates
 * (xi toward increasing RA, eta toward North) in arcsec, and back.
 */
public final class Gnomonic {

    private static final double ARCSEC_PER_RAD = 180.0 / Math.PI * 3600.0;

    private Gnomonic() {
    }

    /** Standard coordinates (xi, eta), arcsec, of (ra, dec) about tangent point (ra0, dec0); all angles in degrees. */
    public static double[] toTangent(double ra0Deg, double dec0Deg, double raDeg, double decDeg) {
        double a0 = Math.toRadians(ra0Deg);
        double d0 = Math.toRadians(dec0Deg);
        double a = Math.toRadians(raDeg);
        double d = Math.toRadians(decDeg);
        double cosc = Math.sin(d0) * Math.sin(d) + Math.cos(d0) * Math.cos(d) * Math.cos(a - a0);
        if (cosc <= 0) {
            throw new IllegalArgumentException("(" + raDeg + ", " + decDeg + ") is more than 90 deg from the tangent"
                    + " point (" + ra0Deg + ", " + dec0Deg + ")");
        }
        double xi = Math.cos(d) * Math.sin(a - a0) / cosc;
        double eta = (Math.cos(d0) * Math.sin(d) - Math.sin(d0) * Math.cos(d) * Math.cos(a - a0)) / cosc;
        return new double[] {xi * ARCSEC_PER_RAD, eta * ARCSEC_PER_RAD};
    }

    /** Sky position (ra, dec), degrees, of standard coordinates (xi, eta) arcsec about (ra0, dec0). */
    public static double[] toSky(double ra0Deg, double dec0Deg, double xiArcsec, double etaArcsec) {
        double xi = xiArcsec / ARCSEC_PER_RAD;
        double eta = etaArcsec / ARCSEC_PER_RAD;
        double a0 = Math.toRadians(ra0Deg);
        double d0 = Math.toRadians(dec0Deg);
        double denom = Math.cos(d0) - eta * Math.sin(d0);
        double a = a0 + Math.atan2(xi, denom);
        double d = Math.atan2(Math.sin(d0) + eta * Math.cos(d0), Math.hypot(xi, denom));
        double ra = Math.toDegrees(a) % 360.0;
        if (ra < 0) {
            ra += 360.0;
        }
        return new double[] {ra, Math.toDegrees(d)};
    }
}
