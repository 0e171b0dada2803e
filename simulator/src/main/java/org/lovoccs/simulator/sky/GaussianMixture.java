package org.lovoccs.simulator.sky;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleUnaryOperator;

/**
 * A circular, unit-flux mixture of concentric Gaussians {@code sum_k w_k N(r; sigma_k^2)}, in units of a profile's
 * scale (half-light radius for galaxy profiles, FWHM for PSFs), used to render PSF-convolved galaxies analytically:
 * a sheared, lensed, PSF-convolved galaxy is again a sum of Gaussians (the approach of Hogg and Lang 2013, with
 * mixtures fitted here).
 *
 * <p>Fits are non-negative least squares (Lawson-Hanson) of the flux-weighted radial profile on a grid of candidate
 * widths; the weights are then normalised to sum to 1, so a mixture carries exactly the flux it is given.
 *
 * @param weights   flux fraction of each Gaussian (sum 1, all > 0)
 * @param variances sigma^2 of each Gaussian, in units of the scale squared
 */
public record GaussianMixture(double[] weights, double[] variances) {

    /** Sersic b_n of the exponential (n = 1) profile: I ∝ exp(-b r / r_e). */
    public static final double B_EXPONENTIAL = 1.678347;
    /** Sersic b_n of the de Vaucouleurs (n = 4) profile. */
    public static final double B_DE_VAUCOULEURS = 7.669249;

    private static final Map<String, GaussianMixture> CACHE = new ConcurrentHashMap<>();

    public GaussianMixture {
        if (weights.length != variances.length || weights.length == 0) {
            throw new IllegalArgumentException("a mixture needs as many weights as variances, at least one");
        }
        weights = weights.clone();
        variances = variances.clone();
    }

    public int size() {
        return weights.length;
    }

    /** Surface brightness of the unit-flux mixture at radius r (scale units). */
    public double profile(double r) {
        double s = 0;
        for (int k = 0; k < weights.length; k++) {
            s += weights[k] * Math.exp(-0.5 * r * r / variances[k]) / (2 * Math.PI * variances[k]);
        }
        return s;
    }

    /**
     * Exponential disk of unit half-light radius: 8 Gaussians fitted out to 8 r_e (encircled flux within 0.1% of the
     * exact profile's at every radius), rescaled so the mixture's half-light radius is exactly 1.
     */
    public static GaussianMixture exponential() {
        return CACHE.computeIfAbsent("exp",
                k -> fit(r -> Math.exp(-B_EXPONENTIAL * r), 8.0, 0.05, 2.0, 8).withHalfLightRadius(1.0));
    }

    /**
     * De Vaucouleurs bulge of unit half-light radius: about 10 Gaussians fitted to the profile truncated at 8 r_e,
     * rescaled so the mixture's half-light radius is exactly 1 (the truncation removes the outermost ~4% of an
     * untruncated de Vaucouleurs profile's flux, as simulations commonly do).
     */
    public static GaussianMixture deVaucouleurs() {
        return CACHE.computeIfAbsent("dev", k -> fit(r -> Math.exp(-B_DE_VAUCOULEURS * Math.pow(r, 0.25)), 8.0,
                0.002, 5.0, 10).withHalfLightRadius(1.0));
    }

    /**
     * Circular Moffat of index beta and unit FWHM: about 8 Gaussians fitted out to 12 FWHM; encircled flux within
     * 2e-4 of the exact Moffat's at every radius for beta = 3.5.
     */
    public static GaussianMixture moffat(double beta) {
        return CACHE.computeIfAbsent("moffat" + beta, k -> {
            double alpha = 1.0 / (2.0 * Math.sqrt(Math.pow(2.0, 1.0 / beta) - 1.0));
            return fit(r -> Math.pow(1.0 + r * r / (alpha * alpha), -beta), 12.0, 0.15, 4.0, 12);
        });
    }

    /** Fraction of the flux within radius r. */
    public double enclosedFraction(double r) {
        double f = 0;
        for (int k = 0; k < weights.length; k++) {
            f += weights[k] * (1 - Math.exp(-0.5 * r * r / variances[k]));
        }
        return f;
    }

    /** The radius enclosing half the flux. */
    public double halfLightRadius() {
        double lo = 0;
        double hi = 100 * Math.sqrt(Arrays.stream(variances).max().orElse(1));
        for (int i = 0; i < 100; i++) {
            double mid = 0.5 * (lo + hi);
            if (enclosedFraction(mid) < 0.5) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    /** The same mixture scaled so that its half-light radius is {@code radius}. */
    public GaussianMixture withHalfLightRadius(double radius) {
        double f = radius / halfLightRadius();
        double[] v = variances.clone();
        for (int k = 0; k < v.length; k++) {
            v[k] *= f * f;
        }
        return new GaussianMixture(weights, v);
    }

    /** A single Gaussian of unit FWHM. */
    public static GaussianMixture gaussianFwhm() {
        double sigma = 1.0 / (2.0 * Math.sqrt(2.0 * Math.log(2.0)));
        return new GaussianMixture(new double[] {1.0}, new double[] {sigma * sigma});
    }

    /**
     * Fits a mixture to a radial profile.
     *
     * @param profile    surface brightness (any normalisation) as a function of radius
     * @param rMax       radius out to which the profile is fitted; beyond it the profile is taken as zero
     * @param sigmaMin   smallest candidate width
     * @param sigmaMax   largest candidate width
     * @param candidates number of log-spaced candidate widths
     */
    public static GaussianMixture fit(DoubleUnaryOperator profile, double rMax, double sigmaMin, double sigmaMax,
                                      int candidates) {
        int n = 1200;
        double[] r = new double[n];
        double[] w = new double[n];
        double[] f = new double[n];
        double flux = 0;
        for (int i = 0; i < n; i++) {
            // denser near the centre: r = rMax * t^2
            double t0 = (double) i / n;
            double t1 = (double) (i + 1) / n;
            double ra = rMax * t0 * t0;
            double rb = rMax * t1 * t1;
            r[i] = 0.5 * (ra + rb);
            double area = Math.PI * (rb * rb - ra * ra);
            f[i] = profile.applyAsDouble(r[i]);
            flux += f[i] * area;
            w[i] = Math.sqrt(area);
        }
        double[][] a = new double[n][candidates];
        double[] b = new double[n];
        double[] var = new double[candidates];
        for (int k = 0; k < candidates; k++) {
            double s = sigmaMin * Math.pow(sigmaMax / sigmaMin, (double) k / (candidates - 1));
            var[k] = s * s;
        }
        for (int i = 0; i < n; i++) {
            b[i] = w[i] * f[i] / flux;
            for (int k = 0; k < candidates; k++) {
                a[i][k] = w[i] * Math.exp(-0.5 * r[i] * r[i] / var[k]) / (2 * Math.PI * var[k]);
            }
        }
        double[] x = NonNegativeLeastSquares.solve(a, b);
        List<double[]> kept = new ArrayList<>();
        double total = 0;
        for (int k = 0; k < candidates; k++) {
            if (x[k] > 1e-7) {
                kept.add(new double[] {x[k], var[k]});
                total += x[k];
            }
        }
        double[] weights = new double[kept.size()];
        double[] variances = new double[kept.size()];
        for (int k = 0; k < kept.size(); k++) {
            weights[k] = kept.get(k)[0] / total;
            variances[k] = kept.get(k)[1];
        }
        return new GaussianMixture(weights, variances);
    }
}
