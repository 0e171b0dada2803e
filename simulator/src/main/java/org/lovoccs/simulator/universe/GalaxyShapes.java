package org.lovoccs.simulator.universe;

import java.util.SplittableRandom;

/**
 * Sizes, bulge fractions and intrinsic shapes shared by background galaxies and cluster members.
 *
 * <ul>
 *   <li>Disk half-light radius: log-normal, median {@code 1.0" × 10^(-0.12 (r - 20))} (1.0" at r = 20, 0.33" at
 *       r = 24), scatter 0.15 dex; bulge half-light radius 0.5 × the disk one × 10^(N(0, 0.1)) dex.</li>
 *   <li>Bulge fraction B/T uniform in El [0.7, 1.0], Sbc [0.2, 0.5], Scd [0.05, 0.2], Im [0, 0.05],
 *       SB3/SB2 [0, 0.1].</li>
 *   <li>Intrinsic ellipticity: each component Gaussian with σ = {@value #SHAPE_NOISE}, redrawn until
 *       |ε| &lt; {@value #MAX_E}.</li>
 * </ul>
 */
final class GalaxyShapes {

    static final double SHAPE_NOISE = 0.26;
    static final double MAX_E = 0.9;

    private GalaxyShapes() {
    }

    static double medianDiskHalfLight(double rMag) {
        return Math.pow(10, -0.12 * (rMag - 20));
    }

    /** out = {bulgeFraction, diskHlr, bulgeHlr, e1, e2}. */
    static void draw(SplittableRandom rng, int type, double rMag, double[] out) {
        double[][] bt = {{0.7, 1.0}, {0.2, 0.5}, {0.05, 0.2}, {0.0, 0.05}, {0.0, 0.1}, {0.0, 0.1}};
        out[0] = bt[type][0] + (bt[type][1] - bt[type][0]) * rng.nextDouble();
        out[1] = medianDiskHalfLight(rMag) * Math.pow(10, 0.15 * Gauss.next(rng));
        out[2] = 0.5 * out[1] * Math.pow(10, 0.1 * Gauss.next(rng));
        double e1;
        double e2;
        do {
            e1 = SHAPE_NOISE * Gauss.next(rng);
            e2 = SHAPE_NOISE * Gauss.next(rng);
        } while (e1 * e1 + e2 * e2 >= MAX_E * MAX_E);
        out[3] = e1;
        out[4] = e2;
    }
}
