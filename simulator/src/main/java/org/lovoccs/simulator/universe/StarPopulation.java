package org.lovoccs.simulator.universe;

import java.util.SplittableRandom;

import org.lovoccs.imaging.Band;
import org.lovoccs.simulator.random.RandomStreams;

/**
 * Field stars: r magnitudes with {@code dN/dm ∝ 10^(0.15 m)} between {@value #BRIGHT_R} and {@value #FAINT_R}
 * (the flattening counts of high Galactic latitude), colours on a stellar locus.
 *
 * <p>Locus: g-r is drawn from a mixture (50% uniform on [0.2, 1.6], 30% Gaussian at 0.40 σ 0.10 for halo turn-off
 * stars, 20% Gaussian at 1.40 σ 0.10 for M dwarfs, all clipped to [0.2, 1.6]); u-g, r-i, i-z and z-Y follow
 * piecewise-linear functions of g-r through the nodes {@link #LOCUS_GR} (this project's approximation of the
 * SDSS stellar locus in AB magnitudes), each with Gaussian scatter ({@link #LOCUS_SCATTER}).
 */
public final class StarPopulation {

    public static final double BRIGHT_R = 14.0;
    public static final double FAINT_R = 24.0;
    static final double SLOPE = 0.15;
    static final long KEY = 1;

    static final double[] LOCUS_GR = {0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.4, 1.6};
    static final double[] LOCUS_UG = {0.85, 1.05, 1.35, 1.75, 2.20, 2.50, 2.60, 2.65};
    static final double[] LOCUS_RI = {0.05, 0.12, 0.20, 0.28, 0.38, 0.55, 0.90, 1.40};
    static final double[] LOCUS_IZ = {0.00, 0.03, 0.08, 0.12, 0.18, 0.28, 0.45, 0.70};
    static final double[] LOCUS_ZY = {0.00, 0.02, 0.04, 0.06, 0.08, 0.12, 0.18, 0.25};
    /** Scatter about the locus of u-g, r-i, i-z, z-Y (mag). */
    static final double[] LOCUS_SCATTER = {0.08, 0.03, 0.03, 0.03};

    private StarPopulation() {
    }

    /** Number of stars in the field of {@code spec} (expectation, rounded). */
    public static int count(SkySpec spec) {
        return (int) Math.round(spec.starsPerDeg2() * spec.areaDeg2());
    }

    /** Star {@code index} of the field (depends only on the seed, the field and the index). */
    public static Star star(SkySpec spec, int index) {
        SplittableRandom rng = RandomStreams.stream(spec.seed(), KEY, index);
        double[] pos = new double[2];
        spec.uniformPosition(rng.nextDouble(), rng.nextDouble(), pos);
        double lo = Math.pow(10, SLOPE * BRIGHT_R);
        double hi = Math.pow(10, SLOPE * FAINT_R);
        double r = Math.log10(lo + rng.nextDouble() * (hi - lo)) / SLOPE;
        double pick = rng.nextDouble();
        double gr;
        if (pick < 0.5) {
            gr = 0.2 + 1.4 * rng.nextDouble();
        } else if (pick < 0.8) {
            gr = 0.40 + 0.10 * Gauss.next(rng);
        } else {
            gr = 1.40 + 0.10 * Gauss.next(rng);
        }
        gr = Math.max(0.2, Math.min(1.6, gr));
        double[] m = new double[Band.values().length];
        m[Band.R.ordinal()] = r;
        m[Band.G.ordinal()] = r + gr;
        m[Band.U.ordinal()] = m[Band.G.ordinal()] + locus(LOCUS_UG, gr) + LOCUS_SCATTER[0] * Gauss.next(rng);
        m[Band.I.ordinal()] = r - locus(LOCUS_RI, gr) - LOCUS_SCATTER[1] * Gauss.next(rng);
        m[Band.Z.ordinal()] = m[Band.I.ordinal()] - locus(LOCUS_IZ, gr) - LOCUS_SCATTER[2] * Gauss.next(rng);
        m[Band.Y.ordinal()] = m[Band.Z.ordinal()] - locus(LOCUS_ZY, gr) - LOCUS_SCATTER[3] * Gauss.next(rng);
        return new Star(index, pos[0], pos[1], m);
    }

    /** A locus colour at g-r (linear between nodes). */
    public static double locus(double[] colour, double gr) {
        return Interp.linear(LOCUS_GR, colour, Math.max(LOCUS_GR[0], Math.min(LOCUS_GR[LOCUS_GR.length - 1], gr)));
    }
}
