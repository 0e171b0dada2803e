package org.lovoccs.simulator.universe;

import org.lovoccs.imaging.wcs.Gnomonic;

/**
 * Spherical-sky helpers (degrees in, degrees or radians out as named). "East" is the direction of increasing RA and
 * "North" of increasing Dec; position angles here are measured from East toward North.
 */
public final class SkyGeometry {

    private SkyGeometry() {
    }

    /** Great-circle separation in degrees (Vincenty's formula, accurate at all separations). */
    public static double separationDeg(double ra1, double dec1, double ra2, double dec2) {
        double d1 = Math.toRadians(dec1);
        double d2 = Math.toRadians(dec2);
        double dra = Math.toRadians(ra2 - ra1);
        double c1 = Math.cos(d1);
        double s1 = Math.sin(d1);
        double c2 = Math.cos(d2);
        double s2 = Math.sin(d2);
        double x = c2 * Math.sin(dra);
        double y = c1 * s2 - s1 * c2 * Math.cos(dra);
        double num = Math.hypot(x, y);
        double den = s1 * s2 + c1 * c2 * Math.cos(dra);
        return Math.toDegrees(Math.atan2(num, den));
    }

    /**
     * Gnomonic (TAN) projection of (ra, dec) onto the tangent plane at (ra0, dec0): {@code out[0]} = ξ toward East,
     * {@code out[1]} = η toward North, both in radians. Points more than 90 degrees away give non-finite values.
     */
    public static void gnomonic(double ra0, double dec0, double ra, double dec, double[] out) {
        Gnomonic.toTangentRadians(ra0, dec0, ra, dec, out);
    }

    /**
     * The point at angular distance {@code rhoDeg} from (ra0, dec0) along position angle {@code paRad} measured from
     * East toward North; {@code out[0]} = RA in [0, 360), {@code out[1]} = Dec, degrees.
     */
    public static void offset(double ra0, double dec0, double rhoDeg, double paRad, double[] out) {
        double d0 = Math.toRadians(dec0);
        double rho = Math.toRadians(rhoDeg);
        double east = Math.cos(paRad);
        double north = Math.sin(paRad);
        double sinDec = Math.sin(d0) * Math.cos(rho) + Math.cos(d0) * Math.sin(rho) * north;
        double dec = Math.asin(Math.max(-1, Math.min(1, sinDec)));
        double y = Math.sin(rho) * east;
        double x = Math.cos(d0) * Math.cos(rho) - Math.sin(d0) * Math.sin(rho) * north;
        double ra = ra0 + Math.toDegrees(Math.atan2(y, x));
        ra = ra % 360.0;
        if (ra < 0) {
            ra += 360.0;
        }
        out[0] = ra;
        out[1] = Math.toDegrees(dec);
    }

    /** Validates a sky position, naming the valid ranges. */
    static void checkPosition(String what, double raDeg, double decDeg) {
        if (!(raDeg >= -360 && raDeg <= 720)) {
            throw new IllegalArgumentException(what + " RA must be in [0, 360) degrees, got " + raDeg);
        }
        if (!(decDeg >= -90 && decDeg <= 90)) {
            throw new IllegalArgumentException(what + " Dec must be in [-90, 90] degrees, got " + decDeg);
        }
    }
}
