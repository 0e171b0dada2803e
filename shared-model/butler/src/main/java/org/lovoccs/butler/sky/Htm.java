package org.lovoccs.butler.sky;

import java.util.ArrayList;
import java.util.List;

/**
 * The Hierarchical Triangular Mesh (Kunszt, Szalay and Thakar 2001), numbered as LSST's sphgeom numbers it, so our
 * {@code htm7} values are the ones an LSST reference catalogue's shards carry.
 *
 * <p>The sphere is split into 8 root triangles, S0-S3 (ids 8-11) and N0-N3 (ids 12-15), with corners on the
 * coordinate axes. Each triangle {@code (v0, v1, v2)} splits into four: child 0 {@code (v0, w2, w1)}, child 1
 * {@code (v1, w0, w2)}, child 2 {@code (v2, w1, w0)} and child 3 {@code (w0, w1, w2)}, where {@code wi} is the
 * normalised midpoint of the edge opposite {@code vi}; a child's id is its parent's times 4 plus its number. At level
 * L the ids therefore run from {@code 8 * 4^L} to {@code 16 * 4^L - 1}. Triangle edges are great circles, so a point is
 * in a triangle when it lies on the inner side of its three edge planes.
 */
public final class Htm {

    /** LSST's reference catalogues are sharded at level 7 (triangles of about 0.6 degrees). */
    public static final int REFCAT_LEVEL = 7;

    private static final double[][] V = {
        {0, 0, 1}, {1, 0, 0}, {0, 1, 0}, {-1, 0, 0}, {0, -1, 0}, {0, 0, -1},
    };

    /** Corners of the root triangles S0, S1, S2, S3, N0, N1, N2, N3 (ids 8 ... 15), counter-clockwise. */
    private static final int[][] ROOTS = {
        {1, 5, 2}, {2, 5, 3}, {3, 5, 4}, {4, 5, 1}, {1, 0, 4}, {4, 0, 3}, {3, 0, 2}, {2, 0, 1},
    };

    private Htm() {
    }

    /** The id of the level-{@code level} triangle holding (ra, dec), in degrees. */
    public static long index(double raDeg, double decDeg, int level) {
        return index(unit(raDeg, decDeg), level);
    }

    /** The id of the level-{@code level} triangle holding unit vector {@code p} (level 0 ... 24). */
    public static long index(double[] p, int level) {
        checkLevel(level);
        int root = -1;
        for (int r = 0; r < ROOTS.length; r++) {
            if (inside(p, V[ROOTS[r][0]], V[ROOTS[r][1]], V[ROOTS[r][2]])) {
                root = r;
                break;
            }
        }
        if (root < 0) {
            // only possible for a vector that is not finite: every unit vector is in a root triangle
            throw new IllegalArgumentException("not a direction on the sphere: (" + p[0] + ", " + p[1] + ", " + p[2]
                    + ")");
        }
        long id = root + 8;
        double[] v0 = V[ROOTS[root][0]];
        double[] v1 = V[ROOTS[root][1]];
        double[] v2 = V[ROOTS[root][2]];
        for (int l = 0; l < level; l++) {
            double[] w0 = mid(v1, v2);
            double[] w1 = mid(v0, v2);
            double[] w2 = mid(v0, v1);
            if (inside(p, v0, w2, w1)) {
                id = id * 4;
                v1 = w2;
                v2 = w1;
            } else if (inside(p, v1, w0, w2)) {
                id = id * 4 + 1;
                v0 = v1;
                v1 = w0;
                v2 = w2;
            } else if (inside(p, v2, w1, w0)) {
                id = id * 4 + 2;
                v0 = v2;
                v1 = w1;
                v2 = w0;
            } else {
                id = id * 4 + 3;
                v0 = w0;
                v1 = w1;
                v2 = w2;
            }
        }
        return id;
    }

    /** The level of a valid id (its highest set bit tells: ids at level L have 2L + 4 bits). */
    public static int level(long id) {
        int bits = 64 - Long.numberOfLeadingZeros(id);
        if (id < 8 || bits % 2 != 0) {
            throw new IllegalArgumentException(id + " is not an HTM id");
        }
        return (bits - 4) / 2;
    }

    /** The three corners of triangle {@code id}, counter-clockwise, as unit vectors. */
    public static double[][] triangle(long id) {
        int level = level(id);
        int root = (int) (id >>> (2 * level)) - 8;
        double[] v0 = V[ROOTS[root][0]];
        double[] v1 = V[ROOTS[root][1]];
        double[] v2 = V[ROOTS[root][2]];
        for (int l = level - 1; l >= 0; l--) {
            int child = (int) ((id >>> (2 * l)) & 3);
            double[] w0 = mid(v1, v2);
            double[] w1 = mid(v0, v2);
            double[] w2 = mid(v0, v1);
            switch (child) {
                case 0 -> {
                    v1 = w2;
                    v2 = w1;
                }
                case 1 -> {
                    v0 = v1;
                    v1 = w0;
                    v2 = w2;
                }
                case 2 -> {
                    v0 = v2;
                    v1 = w1;
                    v2 = w0;
                }
                default -> {
                    v0 = w0;
                    v1 = w1;
                    v2 = w2;
                }
            }
        }
        return new double[][] {v0, v1, v2};
    }

    /**
     * The sorted level-{@code level} ids of the triangles that may meet the circle of {@code radiusDeg} around (ra,
     * dec): every triangle sharing a point with the circle is present; a triangle whose bounding circle reaches the
     * circle without the triangle doing so may be present too (a neighbour or two).
     */
    public static long[] cover(double raDeg, double decDeg, double radiusDeg, int level) {
        checkLevel(level);
        if (!(radiusDeg >= 0 && radiusDeg <= 180)) {
            throw new IllegalArgumentException("radius must be in [0, 180] degrees, got " + radiusDeg);
        }
        double[] c = unit(raDeg, decDeg);
        double r = Math.toRadians(radiusDeg);
        List<Long> out = new ArrayList<>();
        for (int root = 0; root < ROOTS.length; root++) {
            cover(root + 8L, V[ROOTS[root][0]], V[ROOTS[root][1]], V[ROOTS[root][2]], 0, level, c, r, out);
        }
        return out.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    private static void cover(long id, double[] v0, double[] v1, double[] v2, int l, int level, double[] c, double r,
                              List<Long> out) {
        double[] centre = normalise(new double[] {v0[0] + v1[0] + v2[0], v0[1] + v1[1] + v2[1],
                v0[2] + v1[2] + v2[2]});
        // triangle edges are great-circle arcs, so the triangle lies within the cap through its corners
        double bound = Math.max(Vec.angle(centre, v0), Math.max(Vec.angle(centre, v1), Vec.angle(centre, v2)));
        if (Vec.angle(centre, c) > r + bound + 1e-12) {
            return;
        }
        if (l == level) {
            out.add(id);
            return;
        }
        double[] w0 = mid(v1, v2);
        double[] w1 = mid(v0, v2);
        double[] w2 = mid(v0, v1);
        cover(id * 4, v0, w2, w1, l + 1, level, c, r, out);
        cover(id * 4 + 1, v1, w0, w2, l + 1, level, c, r, out);
        cover(id * 4 + 2, v2, w1, w0, l + 1, level, c, r, out);
        cover(id * 4 + 3, w0, w1, w2, l + 1, level, c, r, out);
    }

    /** The unit vector of (ra, dec) in degrees. */
    public static double[] unit(double raDeg, double decDeg) {
        double ra = Math.toRadians(raDeg);
        double dec = Math.toRadians(decDeg);
        return new double[] {Math.cos(dec) * Math.cos(ra), Math.cos(dec) * Math.sin(ra), Math.sin(dec)};
    }

    /** p is on the inner side (or on an edge) of the three great circles of counter-clockwise triangle (a, b, c). */
    static boolean inside(double[] p, double[] a, double[] b, double[] c) {
        return Vec.dot(Vec.cross(a, b), p) >= 0 && Vec.dot(Vec.cross(b, c), p) >= 0
                && Vec.dot(Vec.cross(c, a), p) >= 0;
    }

    private static double[] mid(double[] a, double[] b) {
        return normalise(new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]});
    }

    private static double[] normalise(double[] a) {
        return Vec.scale(a, 1 / Vec.norm(a));
    }

    private static void checkLevel(int level) {
        if (level < 0 || level > 24) {
            throw new IllegalArgumentException("HTM level must be in [0, 24], got " + level);
        }
    }
}
