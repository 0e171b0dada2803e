package org.lovoccs.butler.sky;

import java.util.Random;

/** Test shapes: rectangles drawn on the tangent plane (gnomonic, so straight edges become great circles). */
final class Shapes {

    private Shapes() {
    }

    /** (RA, Dec) degrees of the tangent-plane offset (xi, eta) in degrees around (ra0, dec0). */
    static double[] deproject(double ra0, double dec0, double xiDeg, double etaDeg) {
        double[] c = Healpix.raDecToVec(ra0, dec0);
        double a = Math.toRadians(ra0);
        double d = Math.toRadians(dec0);
        double[] east = {-Math.sin(a), Math.cos(a), 0};
        double[] north = {-Math.sin(d) * Math.cos(a), -Math.sin(d) * Math.sin(a), Math.cos(d)};
        double x = Math.tan(Math.toRadians(xiDeg));
        double y = Math.tan(Math.toRadians(etaDeg));
        double[] p = {c[0] + x * east[0] + y * north[0], c[1] + x * east[1] + y * north[1],
            c[2] + x * east[2] + y * north[2]};
        return Healpix.vecToRaDec(Vec.scale(p, 1 / Vec.norm(p)));
    }

    /** A w x h degree rectangle centred on (ra, dec), rotated by angleDeg, as a convex spherical polygon. */
    static SphericalPolygon rectangle(double ra, double dec, double w, double h, double angleDeg) {
        double c = Math.cos(Math.toRadians(angleDeg));
        double s = Math.sin(Math.toRadians(angleDeg));
        double[][] v = new double[4][];
        double[][] box = {{-w / 2, -h / 2}, {w / 2, -h / 2}, {w / 2, h / 2}, {-w / 2, h / 2}};
        for (int i = 0; i < 4; i++) {
            double x = c * box[i][0] - s * box[i][1];
            double y = s * box[i][0] + c * box[i][1];
            v[i] = deproject(ra, dec, x, y);
        }
        return new SphericalPolygon(v);
    }

    /** A random point on the sphere (uniform), {ra, dec}. */
    static double[] randomPoint(Random rnd) {
        return new double[] {rnd.nextDouble() * 360, Math.toDegrees(Math.asin(2 * rnd.nextDouble() - 1))};
    }

    /** A random centre for test shapes: uniform, but one in five near a pole, one in five at RA ~ 0. */
    static double[] randomCentre(Random rnd, double margin) {
        return switch (rnd.nextInt(5)) {
            case 0 -> new double[] {rnd.nextDouble() * 360, (rnd.nextBoolean() ? 1 : -1) * (90 - rnd.nextDouble()
                    * 2 * margin)};
            case 1 -> new double[] {(rnd.nextDouble() - 0.5) * 2 * margin + 360, Math.toDegrees(Math.asin(2
                    * rnd.nextDouble() - 1)) * 0.98};
            case 2 -> new double[] {rnd.nextDouble() * 360, (rnd.nextBoolean() ? 1 : -1) * (41.8103149
                    + (rnd.nextDouble() - 0.5) * 2 * margin)};
            default -> randomPoint(rnd);
        };
    }

    /** A random point within radiusDeg of the unit vector c (not uniform; dense towards the centre). */
    static double[] randomVecNear(Random rnd, double[] c, double radiusDeg) {
        double[] t = Vec.cross(c, new double[] {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()});
        double ang = Math.toRadians(radiusDeg) * Math.sqrt(rnd.nextDouble());
        t = Vec.scale(t, 1 / Vec.norm(t));
        return new double[] {c[0] * Math.cos(ang) + t[0] * Math.sin(ang), c[1] * Math.cos(ang) + t[1] * Math.sin(ang),
            c[2] * Math.cos(ang) + t[2] * Math.sin(ang)};
    }

    /** Points filling the polygon: random interior points plus dense samples along every edge and the vertices. */
    static double[][] samplesInside(SphericalPolygon poly, Random rnd, int interior, int perEdge) {
        java.util.List<double[]> out = new java.util.ArrayList<>();
        SphericalCircle b = poly.boundingCircle();
        int tries = 0;
        int got = 0;
        while (got < interior && tries++ < interior * 50) {
            double[] p = randomVecNear(rnd, b.centerVec(), b.radiusDeg());
            if (poly.containsVec(p)) {
                out.add(p);
                got++;
            }
        }
        double[][] v = poly.vertices();
        for (int i = 0; i < v.length; i++) {
            double[] a = Healpix.raDecToVec(v[i][0], v[i][1]);
            double[] c = Healpix.raDecToVec(v[(i + 1) % v.length][0], v[(i + 1) % v.length][1]);
            for (int k = 0; k <= perEdge; k++) {
                double f = k / (double) perEdge;
                double[] p = {a[0] * (1 - f) + c[0] * f, a[1] * (1 - f) + c[1] * f, a[2] * (1 - f) + c[2] * f};
                out.add(Vec.scale(p, 1 / Vec.norm(p)));
            }
        }
        return out.toArray(new double[0][]);
    }
}
