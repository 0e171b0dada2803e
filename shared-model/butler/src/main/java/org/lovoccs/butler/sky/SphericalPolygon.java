package org.lovoccs.butler.sky;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A convex polygon on the sphere: vertices in RA/Dec degrees joined by great-circle arcs (shorter than 180 degrees).
 * Either winding order is accepted; the polygon is stored counter-clockwise as seen from outside the sphere (the
 * interior is on the left of each edge), which is the order {@link #vertices()} and {@link #toJson()} return.
 *
 * <p>The constructor rejects fewer than 3 vertices, repeated consecutive vertices, non-convex or degenerate
 * (zero-area) polygons, and Dec outside -90..90. A convex polygon is always smaller than a hemisphere.
 *
 * <p>Points on the boundary count as inside, with a tolerance of about 1e-14 rad (2e-9 arcsec).
 */
public final class SphericalPolygon implements SkyRegion {

    /** Tolerance (in sine of an angle, i.e. radians) for boundary and convexity decisions. */
    static final double EPS = 1e-14;

    private final double[][] radec;
    /** Unit vectors of the vertices, [i] = {x, y, z}. */
    private final double[][] v;
    /** Unit normals of the edges' great circles pointing into the polygon: edge i runs from vertex i to i+1. */
    private final double[][] n;
    private final SphericalCircle bounding;

    /** A polygon from vertices given as {ra, dec} pairs in degrees. */
    public SphericalPolygon(double[]... raDecVertices) {
        if (raDecVertices == null || raDecVertices.length < 3) {
            throw new IllegalArgumentException("a spherical polygon needs at least 3 vertices, got "
                    + (raDecVertices == null ? 0 : raDecVertices.length));
        }
        int m = raDecVertices.length;
        double[][] rd = new double[m][];
        double[][] vv = new double[m][];
        for (int i = 0; i < m; i++) {
            double[] p = raDecVertices[i];
            if (p == null || p.length != 2) {
                throw new IllegalArgumentException("polygon vertex " + i + " must be {ra, dec} in degrees");
            }
            Healpix.checkAngles(p[0], p[1]);
            double ra = p[0] % 360.0;
            if (ra < 0) {
                ra += 360.0;
            }
            rd[i] = new double[] {ra == 360.0 ? 0.0 : ra, p[1]};
            vv[i] = Healpix.raDecToVec(p[0], p[1]);
        }
        // orientation: the most decisive triple of consecutive-from-0 vertices
        double best = 0;
        for (int j = 2; j < m; j++) {
            double t = Vec.dot(Vec.cross(vv[0], vv[1]), vv[j]);
            if (Math.abs(t) > Math.abs(best)) {
                best = t;
            }
        }
        if (Math.abs(best) < 1e-20) {
            throw new IllegalArgumentException("degenerate spherical polygon (zero area or repeated vertices): "
                    + Arrays.deepToString(raDecVertices));
        }
        if (best < 0) {
            reverse(rd);
            reverse(vv);
        }
        double[][] nn = new double[m][];
        for (int i = 0; i < m; i++) {
            double[] c = Vec.cross(vv[i], vv[(i + 1) % m]);
            double len = Vec.norm(c);
            if (!(len > 1e-15)) {
                throw new IllegalArgumentException("spherical polygon edge " + i + " has coincident or antipodal"
                        + " end points " + Arrays.toString(rd[i]) + " " + Arrays.toString(rd[(i + 1) % m]));
            }
            nn[i] = Vec.scale(c, 1 / len);
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                if (Vec.dot(nn[i], vv[j]) < -1e-12) {
                    throw new IllegalArgumentException("spherical polygon is not convex (vertex " + j
                            + " is outside edge " + i + "): " + Arrays.deepToString(raDecVertices));
                }
            }
        }
        this.radec = rd;
        this.v = vv;
        this.n = nn;
        // bounding circle: around the normalised vertex sum, radius the farthest vertex
        double[] c = new double[3];
        for (double[] p : vv) {
            c[0] += p[0];
            c[1] += p[1];
            c[2] += p[2];
        }
        c = Vec.scale(c, 1 / Vec.norm(c));
        double r = 0;
        for (double[] p : vv) {
            r = Math.max(r, Vec.angle(c, p));
        }
        double[] crd = Healpix.vecToRaDec(c);
        this.bounding = new SphericalCircle(crd[0], crd[1], Math.toDegrees(r * (1 + 1e-12) + 1e-14));
    }

    /** A polygon from a flat list ra0, dec0, ra1, dec1, ... in degrees. */
    public static SphericalPolygon ofRaDec(double... raDec) {
        if (raDec.length % 2 != 0) {
            throw new IllegalArgumentException("ofRaDec needs ra, dec pairs, got " + raDec.length + " numbers");
        }
        double[][] p = new double[raDec.length / 2][];
        for (int i = 0; i < p.length; i++) {
            p[i] = new double[] {raDec[2 * i], raDec[2 * i + 1]};
        }
        return new SphericalPolygon(p);
    }

    private static void reverse(double[][] a) {
        for (int i = 0, j = a.length - 1; i < j; i++, j--) {
            double[] t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** The vertices {ra, dec} in degrees (RA in [0, 360)), counter-clockwise seen from outside the sphere. */
    public double[][] vertices() {
        double[][] out = new double[radec.length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = radec[i].clone();
        }
        return out;
    }

    /** The number of vertices. */
    public int size() {
        return radec.length;
    }

    @Override
    public boolean contains(double raDeg, double decDeg) {
        Healpix.checkAngles(raDeg, decDeg);
        return containsVec(Healpix.raDecToVec(raDeg, decDeg));
    }

    /** True if the unit vector p is inside or on the boundary. */
    public boolean containsVec(double[] p) {
        for (double[] e : n) {
            if (Vec.dot(e, p) < -EPS) {
                return false;
            }
        }
        return true;
    }

    @Override
    public SphericalCircle boundingCircle() {
        return bounding;
    }

    @Override
    public boolean overlaps(SkyRegion other) {
        if (other instanceof SphericalCircle c) {
            return c.overlaps(this);
        }
        SphericalPolygon o = (SphericalPolygon) other;
        if (!bounding.overlaps(o.bounding)) {
            return false;
        }
        for (double[] p : o.v) {
            if (containsVec(p)) {
                return true;
            }
        }
        for (double[] p : v) {
            if (o.containsVec(p)) {
                return true;
            }
        }
        int m = v.length;
        int k = o.v.length;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < k; j++) {
                if (arcsCross(v[i], v[(i + 1) % m], o.v[j], o.v[(j + 1) % k])) {
                    return true;
                }
            }
        }
        return false;
    }

    /** True if great-circle arcs ab and cd (each shorter than 180 degrees) cross at an interior point. */
    static boolean arcsCross(double[] a, double[] b, double[] c, double[] d) {
        double[] ab = Vec.cross(a, b);
        double sc = Vec.dot(ab, c); // side of c w.r.t. ab
        double sd = Vec.dot(ab, d);
        if (sc * sd >= 0) {
            return false;
        }
        double[] cd = Vec.cross(c, d);
        double sa = Vec.dot(cd, a);
        double sb = Vec.dot(cd, b);
        if (sa * sb >= 0) {
            return false;
        }
        // both straddle the other's great circle; the two circles meet at +-x with x = ab x cd. The crossing is real
        // (not at the antipode) when it lies on arc ab's side: c on the left of ab means a is on the right of cd.
        return (sc > 0) == (sa < 0);
    }

    @Override
    public Relation relateCap(double[] c, double radiusRad) {
        if (!(radiusRad < Math.PI / 2)) {
            return Vec.angle(c, bounding.centerVec()) <= radiusRad + bounding.radiusRad()
                    ? Relation.INTERSECTS : Relation.DISJOINT;
        }
        double sinR = Math.sin(radiusRad);
        boolean inside = true;
        boolean containsCap = true;
        for (double[] e : n) {
            double d = Vec.dot(e, c);
            if (d < -sinR - EPS) {
                return Relation.DISJOINT; // the cap lies beyond this edge's great circle
            }
            if (d < sinR + EPS) {
                containsCap = false;
            }
            if (d < -EPS) {
                inside = false;
            }
        }
        if (containsCap) {
            return Relation.CONTAINS_CAP;
        }
        if (inside) {
            return Relation.INTERSECTS;
        }
        double cosR = Math.cos(radiusRad);
        int m = v.length;
        for (int i = 0; i < m; i++) {
            if (distanceToArcWithin(c, v[i], v[(i + 1) % m], n[i], sinR, cosR)) {
                return Relation.INTERSECTS;
            }
        }
        return Relation.DISJOINT;
    }

    /** True if unit vector p lies within angle r (sinR, cosR) of the arc a-b whose unit normal is nrm = a x b/|..|. */
    static boolean distanceToArcWithin(double[] p, double[] a, double[] b, double[] nrm, double sinR, double cosR) {
        if (Vec.dot(Vec.cross(a, p), nrm) >= 0 && Vec.dot(Vec.cross(p, b), nrm) >= 0) {
            // p projects onto the arc's interior: distance = angle to the great circle
            return Math.abs(Vec.dot(p, nrm)) <= sinR + EPS;
        }
        return Vec.dot(p, a) >= cosR - EPS || Vec.dot(p, b) >= cosR - EPS;
    }

    @Override
    public String toJson() {
        StringBuilder b = new StringBuilder("{\"type\":\"polygon\",\"vertices\":[");
        for (int i = 0; i < radec.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append('[').append(MiniJson.num(radec[i][0])).append(',').append(MiniJson.num(radec[i][1])).append(']');
        }
        return b.append("]}").toString();
    }

    /** Reads {@code {"type":"polygon","vertices":[[ra,dec],...]}}. */
    public static SphericalPolygon fromJson(String json) {
        SkyRegion r = SkyRegion.fromJson(json);
        if (r instanceof SphericalPolygon p) {
            return p;
        }
        throw new IllegalArgumentException("not a polygon: " + json);
    }

    static SphericalPolygon fromMap(Map<?, ?> m, String json) {
        if (!(m.get("vertices") instanceof List<?> l)) {
            throw new IllegalArgumentException("polygon JSON needs \"vertices\": [[ra, dec], ...]: " + json);
        }
        List<double[]> pts = new ArrayList<>();
        for (Object o : l) {
            pts.add(SphericalCircle.pair(o, json));
        }
        return new SphericalPolygon(pts.toArray(new double[0][]));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SphericalPolygon p && Arrays.deepEquals(radec, p.radec);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(radec);
    }

    @Override
    public String toString() {
        return toJson();
    }
}
