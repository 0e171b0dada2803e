package org.lovoccs.simulator.random;

import java.util.SplittableRandom;

/**
 * Exact Poisson deviates: multiplication of uniforms for means below 10, Hörmann's transformed rejection with
 * squeeze (PTRS, Hörmann 1993, as in NumPy) above. The per-mean constants of PTRS are cached for the last mean
 * seen, which makes runs of equal means (flat sky) cheap. Not thread-safe: use one instance per thread.
 */
public final class PoissonSampler {

    private static final double SMALL_MEAN = 10.0;
    private static final int LOG_FACTORIAL_TABLE = 1 << 17;
    private static final double[] LOG_FACTORIAL = logFactorials(LOG_FACTORIAL_TABLE);
    private static final double[] LOGGAM_COEFFS = {
            8.333333333333333e-02, -2.777777777777778e-03, 7.936507936507937e-04, -5.952380952380952e-04,
            8.417508417508418e-04, -1.917526917526918e-03, 6.410256410256410e-03, -2.955065359477124e-02,
            1.796443723688307e-01, -1.39243221690590e+00};

    private double cachedMean = Double.NaN;
    private double logMean;
    private double b;
    private double a;
    private double logInvAlpha;
    private double vr;
    private double expMinusMean;

    /** A Poisson deviate of mean {@code mean}; 0 for {@code mean <= 0} or NaN. */
    public long sample(SplittableRandom rng, double mean) {
        if (!(mean > 0)) {
            return 0;
        }
        if (mean != cachedMean) {
            prepare(mean);
        }
        return mean < SMALL_MEAN ? multiplication(rng) : ptrs(rng, mean);
    }

    private void prepare(double mean) {
        cachedMean = mean;
        expMinusMean = Math.exp(-mean);
        double slam = Math.sqrt(mean);
        logMean = Math.log(mean);
        b = 0.931 + 2.53 * slam;
        a = -0.059 + 0.02483 * b;
        logInvAlpha = Math.log(1.1239 + 1.1328 / (b - 3.4));
        vr = 0.9277 - 3.6224 / (b - 2);
    }

    private long multiplication(SplittableRandom rng) {
        long k = 0;
        double prod = rng.nextDouble();
        while (prod > expMinusMean) {
            k++;
            prod *= rng.nextDouble();
        }
        return k;
    }

    private long ptrs(SplittableRandom rng, double mean) {
        while (true) {
            double u = rng.nextDouble() - 0.5;
            double v = rng.nextDouble();
            double us = 0.5 - Math.abs(u);
            double kd = (2 * a / us + b) * u + mean + 0.43;
            long k = (long) kd;
            if (kd < k) {
                k--;
            }
            if (us >= 0.07 && v <= vr) {
                return k;
            }
            if (k < 0 || (us < 0.013 && v > us)) {
                continue;
            }
            if (Math.log(v / (a / (us * us) + b)) + logInvAlpha <= -mean + k * logMean - logFactorial(k)) {
                return k;
            }
        }
    }

    /** log(k!) for k >= 0. */
    static double logFactorial(long k) {
        return k < LOG_FACTORIAL_TABLE ? LOG_FACTORIAL[(int) k] : logGamma(k + 1.0);
    }

    private static double[] logFactorials(int n) {
        double[] t = new double[n];
        for (int k = 2; k < n; k++) {
            t[k] = t[k - 1] + Math.log(k);
        }
        return t;
    }

    /** log Gamma(x) for x >= 1 (Stirling series with recursion below 7). */
    static double logGamma(double x) {
        if (x == 1.0 || x == 2.0) {
            return 0.0;
        }
        int n = 0;
        double x0 = x;
        if (x <= 7.0) {
            n = (int) (7 - x);
            x0 = x + n;
        }
        double x2 = 1.0 / (x0 * x0);
        double gl0 = LOGGAM_COEFFS[9];
        for (int k = 8; k >= 0; k--) {
            gl0 = gl0 * x2 + LOGGAM_COEFFS[k];
        }
        double gl = gl0 / x0 + 0.5 * Math.log(2 * Math.PI) + (x0 - 0.5) * Math.log(x0) - x0;
        for (int k = 1; k <= n; k++) {
            x0 -= 1.0;
            gl -= Math.log(x0);
        }
        return gl;
    }
}
