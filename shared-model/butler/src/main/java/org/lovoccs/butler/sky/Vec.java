package org.lovoccs.butler.sky;

/** 3-vector helpers for unit vectors on the sphere. */
final class Vec {

    private Vec() {
    }

    static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    static double[] scale(double[] a, double s) {
        return new double[] {a[0] * s, a[1] * s, a[2] * s};
    }

    /** The angle between two unit vectors in radians, accurate for tiny and near-pi angles. */
    static double angle(double[] a, double[] b) {
        return Math.atan2(norm(cross(a, b)), dot(a, b));
    }

    /** The angle between unit vectors a[ao..] and b[bo..] from their chord: 2 asin(|a - b| / 2). */
    static double chordAngle(double[] a, int ao, double[] b, int bo) {
        double dx = a[ao] - b[bo];
        double dy = a[ao + 1] - b[bo + 1];
        double dz = a[ao + 2] - b[bo + 2];
        double half = Math.sqrt(dx * dx + dy * dy + dz * dz) / 2;
        return 2 * Math.asin(Math.min(1.0, half));
    }
}
