package org.lovoccs.butler.sky;

import java.util.List;
import java.util.Map;

/**
 * A spherical cap ("circle"): the points within {@code radiusDeg} (0 < radius < 90 degrees) of a centre in RA/Dec
 * degrees. Used as a region in its own right (a cone search) and as the bounding circle of a polygon.
 */
public final class SphericalCircle implements SkyRegion {

    private final double ra;
    private final double dec;
    private final double radiusDeg;
    private final double[] c;
    private final double r;

    /** A circle of {@code radiusDeg} degrees (0..90, exclusive of 90) around (RA, Dec) in degrees. */
    public SphericalCircle(double raDeg, double decDeg, double radiusDeg) {
        Healpix.checkAngles(raDeg, decDeg);
        if (!(radiusDeg >= 0 && radiusDeg < 90)) {
            throw new IllegalArgumentException("circle radius " + radiusDeg
                    + " is out of range: valid radii are 0 <= radius < 90 degrees");
        }
        double a = raDeg % 360.0;
        if (a < 0) {
            a += 360.0;
        }
        this.ra = a == 360.0 ? 0.0 : a;
        this.dec = decDeg;
        this.radiusDeg = radiusDeg;
        this.c = Healpix.raDecToVec(raDeg, decDeg);
        this.r = Math.toRadians(radiusDeg);
    }

    /** Centre RA in degrees, in [0, 360). */
    public double ra() {
        return ra;
    }

    /** Centre Dec in degrees. */
    public double dec() {
        return dec;
    }

    /** Radius in degrees. */
    public double radiusDeg() {
        return radiusDeg;
    }

    double radiusRad() {
        return r;
    }

    double[] centerVec() {
        return c;
    }

    @Override
    public boolean contains(double raDeg, double decDeg) {
        Healpix.checkAngles(raDeg, decDeg);
        return Vec.angle(c, Healpix.raDecToVec(raDeg, decDeg)) <= r + SphericalPolygon.EPS;
    }

    @Override
    public SphericalCircle boundingCircle() {
        return this;
    }

    @Override
    public boolean overlaps(SkyRegion other) {
        if (other instanceof SphericalCircle o) {
            return Vec.angle(c, o.c) <= r + o.r + SphericalPolygon.EPS;
        }
        return other.relateCap(c, r) != Relation.DISJOINT;
    }

    @Override
    public Relation relateCap(double[] centre, double radiusRad) {
        double d = Vec.angle(c, centre);
        if (d > r + radiusRad + SphericalPolygon.EPS) {
            return Relation.DISJOINT;
        }
        if (d + radiusRad + SphericalPolygon.EPS <= r) {
            return Relation.CONTAINS_CAP;
        }
        return Relation.INTERSECTS;
    }

    @Override
    public String toJson() {
        return "{\"type\":\"circle\",\"center\":[" + MiniJson.num(ra) + "," + MiniJson.num(dec) + "],\"radius\":"
                + MiniJson.num(radiusDeg) + "}";
    }

    /** Reads {@code {"type":"circle","center":[ra,dec],"radius":deg}}. */
    public static SphericalCircle fromJson(String json) {
        SkyRegion s = SkyRegion.fromJson(json);
        if (s instanceof SphericalCircle circle) {
            return circle;
        }
        throw new IllegalArgumentException("not a circle: " + json);
    }

    static SphericalCircle fromMap(Map<?, ?> m, String json) {
        double[] centre = pair(m.get("center"), json);
        if (!(m.get("radius") instanceof Double rad)) {
            throw new IllegalArgumentException("circle JSON needs \"radius\": degrees: " + json);
        }
        return new SphericalCircle(centre[0], centre[1], rad);
    }

    static double[] pair(Object o, String json) {
        if (o instanceof List<?> l && l.size() == 2 && l.get(0) instanceof Double a && l.get(1) instanceof Double b) {
            return new double[] {a, b};
        }
        throw new IllegalArgumentException("expected [ra, dec] in degrees, got " + o + ": " + json);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SphericalCircle s && Double.compare(ra, s.ra) == 0 && Double.compare(dec, s.dec) == 0
                && Double.compare(radiusDeg, s.radiusDeg) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(ra) * 31 * 31 + Double.hashCode(dec) * 31 + Double.hashCode(radiusDeg);
    }

    @Override
    public String toString() {
        return toJson();
    }
}
