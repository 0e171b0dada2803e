package org.lovoccs.simulator.universe;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.lovoccs.imaging.Band;
import org.lovoccs.simulator.random.RandomStreams;

/**
 * Reference catalogues observed from the truth stars, deterministic from a seed (one stream per star and
 * catalogue).
 *
 * <p>Gaia-like astrometric catalogue: G is approximated as {@code G = r - 0.10 - 0.50 (r - i)} (this project's
 * approximation; G is a broad band, brighter than r for red stars); stars with G &lt; {@value #GAIA_G_LIMIT} are
 * kept. Position error (per axis, mas) is log-linear in G through 0.02 mas at G = 15 and 0.7 mas at G = 20.5
 * ({@code σ = 0.02 · 10^(0.2808 (G - 15))}, floored at 0.02 mas for brighter stars); positions are perturbed by
 * Gaussian errors of that size. G error: {@code sqrt(0.0003^2 + (0.001 · 10^(0.4 (G - 17)))^2)} mag.
 *
 * <p>Photometric catalogues, SDSS-like in u and PS1-like in g, r, i, z, Y: 5σ depths m5 = {@link #m5(Band)};
 * stars brighter than {@value #SATURATION} are saturated and absent; errors
 * {@code σ(m) = sqrt(sys^2 + (0.2171 · 10^(0.4 (m - m5)))^2)} (S/N = 5 at m5, background-limited) with sys 0.02 mag
 * in u and 0.01 mag elsewhere, evaluated at the measured magnitude; magnitudes perturbed by Gaussian errors of σ at
 * the true magnitude; completeness {@code 1 / (1 + exp((m - m5) / 0.15))} (50% at m5), applied with a uniform
 * deviate; positions perturbed by 15 mas per axis.
 */
public final class ReferenceCatalogs {

    public static final double GAIA_G_LIMIT = 20.7;
    public static final double SATURATION = 14.0;
    static final long GAIA_KEY = 4;
    static final long PHOT_KEY = 5;
    static final double MAS_PER_DEG = 3.6e6;

    private ReferenceCatalogs() {
    }

    /** Gaia-like G magnitude of a star from its r and i magnitudes. */
    public static double gaiaG(Star s) {
        double r = s.mag(Band.R);
        return r - 0.10 - 0.50 * (r - s.mag(Band.I));
    }

    /** Gaia-like per-axis position error in mas at magnitude G. */
    public static double gaiaPositionErrorMas(double g) {
        return 0.02 * Math.pow(10, 0.2808 * (Math.max(g, 15) - 15));
    }

    /** 5σ limiting magnitude of the photometric reference catalogue in {@code band}. */
    public static double m5(Band band) {
        return switch (band) {
            case U -> 22.0;
            case G -> 23.3;
            case R -> 23.2;
            case I -> 23.1;
            case Z -> 22.3;
            case Y -> 21.4;
        };
    }

    /** Magnitude error model of the photometric reference catalogue. */
    public static double photometricError(Band band, double mag) {
        double sys = band == Band.U ? 0.02 : 0.01;
        double stat = 0.2171 * Math.pow(10, 0.4 * (mag - m5(band)));
        return Math.sqrt(sys * sys + stat * stat);
    }

    /** Completeness of the photometric reference catalogue at true magnitude {@code mag}. */
    public static double completeness(Band band, double mag) {
        return 1 / (1 + Math.exp((mag - m5(band)) / 0.15));
    }

    /** The Gaia-like catalogue of {@code stars}, in input order. */
    public static List<RefStar> gaia(List<Star> stars, long seed) {
        List<RefStar> out = new ArrayList<>();
        for (Star s : stars) {
            double g = gaiaG(s);
            if (!(g < GAIA_G_LIMIT)) {
                continue;
            }
            SplittableRandom rng = RandomStreams.stream(seed, GAIA_KEY, s.id());
            double sig = gaiaPositionErrorMas(g);
            double dDec = sig * Gauss.next(rng) / MAS_PER_DEG;
            double dRaCosDec = sig * Gauss.next(rng) / MAS_PER_DEG;
            double gErr = Math.hypot(0.0003, 0.001 * Math.pow(10, 0.4 * (g - 17)));
            double gObs = g + gErr * Gauss.next(rng);
            out.add(new RefStar(s.id(), raPlus(s.raDeg(), dRaCosDec, s.decDeg()), s.decDeg() + dDec, sig, sig, gObs,
                    gErr));
        }
        return out;
    }

    /** The photometric catalogue of {@code stars} in {@code band}, in input order. */
    public static List<PhotRefStar> photometric(List<Star> stars, Band band, long seed) {
        List<PhotRefStar> out = new ArrayList<>();
        for (Star s : stars) {
            double m = s.mag(band);
            if (m < SATURATION || m > m5(band) + 1.5) {
                continue;
            }
            SplittableRandom rng = RandomStreams.stream(seed, PHOT_KEY, band.ordinal(), s.id());
            if (rng.nextDouble() >= completeness(band, m)) {
                continue;
            }
            double obs = m + photometricError(band, m) * Gauss.next(rng);
            double posErrDeg = 15 / MAS_PER_DEG;
            double dec = s.decDeg() + posErrDeg * Gauss.next(rng);
            double ra = raPlus(s.raDeg(), posErrDeg * Gauss.next(rng), s.decDeg());
            out.add(new PhotRefStar(s.id(), ra, dec, obs, photometricError(band, obs)));
        }
        return out;
    }

    private static double raPlus(double ra, double dRaCosDecDeg, double decDeg) {
        double r = ra + dRaCosDecDeg / Math.cos(Math.toRadians(decDeg));
        r %= 360;
        return r < 0 ? r + 360 : r;
    }
}
