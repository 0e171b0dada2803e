package org.lovoccs.butler.sky;

/**
 * The gnomonic (TAN) projection about a tangent point: tangent-plane coordinates xi (toward East, increasing RA) and
 * eta (toward North), in degrees. Straight lines of the tangent plane are great circles on the sky, so a rectangle
 * of a TAN pixel grid is exactly a {@link SphericalPolygon} with its four corners as vertices.
 */
public final class Tan {

    private final double ra0;
    private final double sinDec0;
    private final double cosDec0;
    private final double ra0Deg;
    private final double dec0Deg;

    /** The projection tangent at (raDeg, decDeg). */
    public Tan(double raDeg, double decDeg) {
        if (!(decDeg >= -90 && decDeg <= 90) || !Double.isFinite(raDeg)) {
            throw new IllegalArgumentException("tangent point must have finite RA and Dec in [-90, 90], got ("
                    + raDeg + ", " + decDeg + ")");
        }
        this.ra0Deg = raDeg;
        this.dec0Deg = decDeg;
        this.ra0 = Math.toRadians(raDeg);
        this.sinDec0 = Math.sin(Math.toRadians(decDeg));
        this.cosDec0 = Math.cos(Math.toRadians(decDeg));
    }

    public double raDeg() {
        return ra0Deg;
    }

    public double decDeg() {
        return dec0Deg;
    }

    /** (ra, dec) in degrees, RA in [0, 360), of tangent-plane point (xi, eta) in degrees. */
    public double[] toSky(double xiDeg, double etaDeg) {
        double xi = Math.toRadians(xiDeg);
        double eta = Math.toRadians(etaDeg);
        double d = cosDec0 - eta * sinDec0;
        double ra = ra0 + Math.atan2(xi, d);
        double dec = Math.atan2(sinDec0 + eta * cosDec0, Math.hypot(xi, d));
        double raDeg = Math.toDegrees(ra) % 360.0;
        return new double[] {raDeg < 0 ? raDeg + 360.0 : raDeg, Math.toDegrees(dec)};
    }

    /** Tangent-plane (xi, eta) in degrees of (raDeg, decDeg); NaN for points 90 degrees or more away. */
    public double[] toTangent(double raDeg, double decDeg) {
        double dra = Math.toRadians(raDeg) - ra0;
        double dec = Math.toRadians(decDeg);
        double cosc = sinDec0 * Math.sin(dec) + cosDec0 * Math.cos(dec) * Math.cos(dra);
        if (cosc <= 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double xi = Math.cos(dec) * Math.sin(dra) / cosc;
        double eta = (cosDec0 * Math.sin(dec) - sinDec0 * Math.cos(dec) * Math.cos(dra)) / cosc;
        return new double[] {Math.toDegrees(xi), Math.toDegrees(eta)};
    }

    /** The spherical polygon of the tangent-plane rectangle [xi0, xi1] x [eta0, eta1] (degrees). */
    public SphericalPolygon rectangle(double xi0, double eta0, double xi1, double eta1) {
        return new SphericalPolygon(toSky(xi0, eta0), toSky(xi1, eta0), toSky(xi1, eta1), toSky(xi0, eta1));
    }
}
