package org.lovoccs.simulator.universe;

import java.util.SplittableRandom;

import org.lovoccs.imaging.Band;
import org.lovoccs.simulator.random.RandomStreams;

/**
 * Background (field) galaxies.
 *
 * <ul>
 *   <li>r magnitude: {@code dN/dm ∝ 10^(0.33 m)} from {@value #BRIGHT_R} to the faint limit.</li>
 *   <li>Redshift: {@link RedshiftDistribution#forRMagnitude(double)}.</li>
 *   <li>SED type: weights El {@code max(0.08, 0.30 - 0.03 (r-18))}, Sbc 0.25, Scd 0.20, Im {@code 0.15 + 0.01 (r-18)},
 *       SB3 and SB2 {@code 0.05 + 0.01 (r-18)} each, with the El weight halved at z &gt; 1; normalised.</li>
 *   <li>Colours: {@link SyntheticPhotometry} of the SED at z relative to r, plus Gaussian scatter of
 *       {@value #COLOUR_SCATTER} mag in each band other than r.</li>
 *   <li>Sizes, bulge fraction, intrinsic shape: {@link GalaxyShapes}.</li>
 *   <li>Lensing by the spec's halo (sources behind it), see {@link Galaxy} and {@link Lensing}.</li>
 * </ul>
 */
public final class GalaxyPopulation {

    public static final double BRIGHT_R = 18.0;
    static final double SLOPE = 0.33;
    static final double COLOUR_SCATTER = 0.03;
    static final long KEY = 2;

    private GalaxyPopulation() {
    }

    /** Number of background galaxies in the field (expectation, rounded). */
    public static int count(SkySpec spec) {
        return (int) Math.round(spec.galaxiesPerArcmin2() * spec.areaDeg2() * 3600);
    }

    /** SED type index (in {@link SedTemplate#TYPES}) for uniform deviate u at magnitude r and redshift z. */
    static int sedType(double u, double r, double z) {
        double d = Math.max(0, r - BRIGHT_R);
        double[] w = {Math.max(0.08, 0.30 - 0.03 * d) * (z > 1 ? 0.5 : 1), 0.25, 0.20, 0.15 + 0.01 * d,
            0.05 + 0.01 * d, 0.05 + 0.01 * d};
        double sum = 0;
        for (double x : w) {
            sum += x;
        }
        double acc = 0;
        for (int i = 0; i < w.length; i++) {
            acc += w[i] / sum;
            if (u < acc) {
                return i;
            }
        }
        return w.length - 1;
    }

    /** Background galaxy {@code index} (depends only on the seed, the spec and the index). */
    public static Galaxy galaxy(SkySpec spec, int index) {
        SplittableRandom rng = RandomStreams.stream(spec.seed(), KEY, index);
        double[] pos = new double[2];
        spec.uniformPosition(rng.nextDouble(), rng.nextDouble(), pos);
        double lo = Math.pow(10, SLOPE * BRIGHT_R);
        double hi = Math.pow(10, SLOPE * spec.faintLimitR());
        double r = Math.log10(lo + rng.nextDouble() * (hi - lo)) / SLOPE;
        double z = Math.max(1e-3, RedshiftDistribution.forRMagnitude(r).quantile(rng.nextDouble()));
        int type = sedType(rng.nextDouble(), r, z);
        double[] mags = new double[Band.values().length];
        SyntheticPhotometry.get().offsetsFrom(type, Band.R, z, mags);
        for (int b = 0; b < mags.length; b++) {
            mags[b] += r + (b == Band.R.ordinal() ? 0 : COLOUR_SCATTER * Gauss.next(rng));
        }
        double[] s = new double[5];
        GalaxyShapes.draw(rng, type, r, s);
        Lensing l = spec.halo() == null ? Lensing.NONE : spec.halo().lensing(pos[0], pos[1], z);
        double[] e = new double[2];
        Galaxy.shear(s[3], s[4], l.g1(), l.g2(), e);
        return new Galaxy(index, pos[0], pos[1], z, SedTemplate.TYPES.get(type), mags, s[0], s[1], s[2], s[3], s[4],
                l.kappa(), l.gamma1(), l.gamma2(), l.g1(), l.g2(), l.magnification(), e[0], e[1], false);
    }
}
