package org.lovoccs.simulator.universe;

import java.util.Arrays;

/** Linear interpolation in increasing tables. */
final class Interp {

    private Interp() {
    }

    /** y(x) linear between samples of increasing {@code xs}; 0 outside [xs[0], xs[n-1]]. */
    static double linear(double[] xs, double[] ys, double x) {
        int n = xs.length;
        if (!(x >= xs[0] && x <= xs[n - 1])) {
            return 0.0;
        }
        int i = Arrays.binarySearch(xs, x);
        if (i >= 0) {
            return ys[i];
        }
        int hi = -i - 1;
        int lo = hi - 1;
        double t = (x - xs[lo]) / (xs[hi] - xs[lo]);
        return ys[lo] + t * (ys[hi] - ys[lo]);
    }
}
