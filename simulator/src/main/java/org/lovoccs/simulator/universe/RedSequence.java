package org.lovoccs.simulator.universe;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.lovoccs.imaging.Band;
import org.lovoccs.simulator.random.RandomStreams;

/**
 * Red-sequence cluster members of an {@link NfwHalo}.
 *
 * <ul>
 *   <li>Luminosity function: Schechter in r, {@code φ(m) ∝ 10^(-0.4 (α+1)(m - m*)) exp(-10^(-0.4 (m - m*)))},
 *       α = {@value #ALPHA}, from m* - 3 to the faint limit, with {@code m* = M* + DM(z_l) + K_El,r(z_l)},
 *       M*_r = {@value #M_STAR_R} (H0 = 70).</li>
 *   <li>Richness: {@code N(m < m* + 2, R < r200) = 50 (M200 / 1e15 Msun)^0.85} (expectation, rounded); the
 *       number down to the faint limit follows from the luminosity function.</li>
 *   <li>Positions: projected NFW with the halo's concentration, truncated at projected r200, uniform position
 *       angle; members falling outside the field are dropped.</li>
 *   <li>Colours: the El template at z_l (relative to r), tilted: {@code (m_b - m_r) × (1 + τ (m_r - m*))} with
 *       τ = {@value #TILT} per mag (fainter members bluer), plus {@value #SCATTER} mag Gaussian scatter per band.</li>
 *   <li>Redshift z_l, SED El, El sizes and bulge fractions ({@link GalaxyShapes}); not lensed.</li>
 * </ul>
 */
public final class RedSequence {

    public static final double ALPHA = -0.9;
    public static final double M_STAR_R = -21.5;
    public static final double TILT = -0.025;
    public static final double SCATTER = 0.05;
    static final long KEY = 3;

    private final NfwHalo halo;
    private final double mStar;
    private final double faint;
    private final int count;
    private final double[] cdfM;
    private final double mLo;
    private static final double DM_STEP = 0.005;

    /**
     * @param halo        the cluster halo
     * @param faintLimitR faint r limit of the members
     */
    public RedSequence(NfwHalo halo, double faintLimitR) {
        this.halo = halo;
        int el = SyntheticPhotometry.typeIndex("El");
        double zl = halo.redshift();
        if (zl > SyntheticPhotometry.Z_MAX) {
            throw new IllegalArgumentException("halo redshift must be <= " + SyntheticPhotometry.Z_MAX);
        }
        this.mStar = M_STAR_R + halo.cosmology().distanceModulus(zl)
                + SyntheticPhotometry.get().kCorrection(el, Band.R, zl);
        this.faint = faintLimitR;
        this.mLo = mStar - 3;
        int n = Math.max(1, (int) Math.ceil((faint - mLo) / DM_STEP));
        cdfM = new double[n + 1];
        for (int i = 1; i <= n; i++) {
            double a = mLo + (i - 1) * DM_STEP;
            double b = mLo + i * DM_STEP;
            cdfM[i] = cdfM[i - 1] + (b - a) / 6 * (phi(a) + 4 * phi(0.5 * (a + b)) + phi(b));
        }
        double n2 = 50 * Math.pow(halo.m200Msun() / 1e15, 0.85);
        double upToM2 = integral(mStar + 2);
        this.count = faint <= mLo ? 0 : (int) Math.round(n2 * cdfM[n] / upToM2);
    }

    /** Apparent r-band m* at the halo redshift. */
    public double mStar() {
        return mStar;
    }

    /** Number of members down to the faint limit inside projected r200 (before the field cut). */
    public int count() {
        return count;
    }

    private double phi(double m) {
        double x = Math.pow(10, -0.4 * (m - mStar));
        return Math.pow(x, ALPHA + 1) * Math.exp(-x);
    }

    private double integral(double m) {
        double total = 0;
        double step = 0.001;
        for (double a = mLo; a < m; a += step) {
            double b = Math.min(m, a + step);
            total += (b - a) / 6 * (phi(a) + 4 * phi(0.5 * (a + b)) + phi(b));
        }
        return total;
    }

    private double drawMagnitude(double u) {
        double target = u * cdfM[cdfM.length - 1];
        int lo = 0;
        int hi = cdfM.length - 1;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (cdfM[mid] < target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double t = (target - cdfM[lo]) / (cdfM[hi] - cdfM[lo]);
        return Math.min(faint, mLo + (lo + t) * DM_STEP);
    }

    private double drawRadiusMpc(double u) {
        double rmax = halo.r200Mpc();
        double target = u * halo.projectedMassInside(rmax);
        double lo = 0;
        double hi = rmax;
        for (int i = 0; i < 60; i++) {
            double mid = 0.5 * (lo + hi);
            if (mid > 0 && halo.projectedMassInside(mid) < target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    /**
     * The members inside the field of {@code spec}, with ids {@code firstId, firstId + 1, ...} in member order
     * (members outside the field keep their id slot unused).
     */
    public List<Galaxy> members(SkySpec spec, long firstId) {
        List<Galaxy> out = new ArrayList<>(count);
        int el = SyntheticPhotometry.typeIndex("El");
        double zl = halo.redshift();
        double[] base = new double[Band.values().length];
        SyntheticPhotometry.get().offsetsFrom(el, Band.R, zl, base);
        double[] pos = new double[2];
        double[] s = new double[5];
        for (int j = 0; j < count; j++) {
            SplittableRandom rng = RandomStreams.stream(spec.seed(), KEY, j);
            double r = drawMagnitude(rng.nextDouble());
            double rad = drawRadiusMpc(rng.nextDouble());
            double rhoDeg = Math.toDegrees(rad / halo.angularDiameterDistanceMpc());
            SkyGeometry.offset(halo.raDeg(), halo.decDeg(), rhoDeg, 2 * Math.PI * rng.nextDouble(), pos);
            double[] mags = new double[base.length];
            double tilt = 1 + TILT * (r - mStar);
            for (int b = 0; b < mags.length; b++) {
                mags[b] = r + (b == Band.R.ordinal() ? 0 : base[b] * tilt + SCATTER * Gauss.next(rng));
            }
            GalaxyShapes.draw(rng, el, r, s);
            if (SkyGeometry.separationDeg(spec.centreRaDeg(), spec.centreDecDeg(), pos[0], pos[1])
                    > spec.radiusDeg()) {
                continue;
            }
            out.add(new Galaxy(firstId + j, pos[0], pos[1], zl, "El", mags, s[0], s[1], s[2], s[3], s[4],
                    0, 0, 0, 0, 0, 1, s[3], s[4], true));
        }
        return out;
    }
}
