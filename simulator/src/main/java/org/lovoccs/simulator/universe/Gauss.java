package org.lovoccs.simulator.universe;

import java.util.SplittableRandom;

/** Standard normal deviates (Marsaglia polar method) from a {@link SplittableRandom}. */
final class Gauss {

    private Gauss() {
    }

    static double next(SplittableRandom rng) {
        while (true) {
            double u = 2 * rng.nextDouble() - 1;
            double v = 2 * rng.nextDouble() - 1;
            double s = u * u + v * v;
            if (s > 0 && s < 1) {
                return u * Math.sqrt(-2 * Math.log(s) / s);
            }
        }
    }
}
