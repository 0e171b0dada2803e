package org.lovoccs.simulator.universe;

/**
 * The source redshift distribution {@code n(z) ∝ z^2 exp(-(z/z0)^1.5)}, truncated to [0, zMax].
 *
 * <p>With {@code y = (z/z0)^1.5} it becomes {@code n(y) ∝ y e^-y} (a Gamma(2) law), whose CDF is
 * {@code P(y) = 1 - (1+y) e^-y}; samples are drawn by inverting this CDF (Newton's method) at a uniform deviate
 * scaled into [0, P(y_max)]. The median of the untruncated law is {@code z0 · y_med^(2/3)} with
 * {@code y_med = 1.678347...}; its mean is {@code z0 Γ(8/3)}.
 *
 * <p>Magnitude dependence ({@link #forRMagnitude}): the median redshift rises linearly with r-band magnitude,
 * {@code z_med(r) = 0.15 + 0.10 (r - 18)}, floored at 0.1; this gives z_med ≈ 0.35 at r = 20, 0.55 at r = 22,
 * 0.75 at r = 24 and 0.9 at r = 25.5, close to deep spectroscopic and photo-z surveys.
 */
public final class RedshiftDistribution {

    /** Median of the Gamma(2) law in y: solution of (1 + y) e^-y = 1/2. */
    public static final double Y_MEDIAN = solveY(0.5);
    /** Default truncation redshift (the end of the photometry tables). */
    public static final double DEFAULT_Z_MAX = SyntheticPhotometry.Z_MAX;

    private final double z0;
    private final double zMax;
    private final double pMax;

    /**
     * @param z0   scale redshift, &gt; 0
     * @param zMax truncation, &gt; 0
     */
    public RedshiftDistribution(double z0, double zMax) {
        if (!(z0 > 0 && z0 < 10)) {
            throw new IllegalArgumentException("z0 must be in (0, 10), got " + z0);
        }
        if (!(zMax > 0) || Double.isInfinite(zMax)) {
            throw new IllegalArgumentException("zMax must be finite and > 0, got " + zMax);
        }
        this.z0 = z0;
        this.zMax = zMax;
        this.pMax = cdfY(Math.pow(zMax / z0, 1.5));
    }

    /** The distribution with (untruncated) median {@code zMedian}, truncated at {@link #DEFAULT_Z_MAX}. */
    public static RedshiftDistribution withMedian(double zMedian) {
        return new RedshiftDistribution(zMedian / Math.pow(Y_MEDIAN, 2.0 / 3.0), DEFAULT_Z_MAX);
    }

    /** Median redshift of galaxies of r-band magnitude {@code rMag} (see class comment). */
    public static double medianForRMagnitude(double rMag) {
        return Math.max(0.1, 0.15 + 0.10 * (rMag - 18));
    }

    /** The distribution for galaxies of r-band magnitude {@code rMag}. */
    public static RedshiftDistribution forRMagnitude(double rMag) {
        return withMedian(medianForRMagnitude(rMag));
    }

    public double z0() {
        return z0;
    }

    public double zMax() {
        return zMax;
    }

    /** Normalised density n(z) on [0, zMax]. */
    public double density(double z) {
        if (z < 0 || z > zMax) {
            return 0;
        }
        double y = Math.pow(z / z0, 1.5);
        // n(y) dy = y e^-y dy, dy/dz = 1.5 y / z
        return z == 0 ? 0 : y * Math.exp(-y) * 1.5 * y / z / pMax;
    }

    /** Cumulative distribution at z (of the truncated law). */
    public double cdf(double z) {
        if (z <= 0) {
            return 0;
        }
        if (z >= zMax) {
            return 1;
        }
        return cdfY(Math.pow(z / z0, 1.5)) / pMax;
    }

    /** The redshift at cumulative probability {@code u} in [0, 1) (inverse CDF). */
    public double quantile(double u) {
        if (!(u >= 0 && u < 1)) {
            throw new IllegalArgumentException("probability must be in [0, 1), got " + u);
        }
        double y = solveY(u * pMax);
        return Math.min(zMax, z0 * Math.pow(y, 2.0 / 3.0));
    }

    /** Median of this (truncated) distribution. */
    public double median() {
        return quantile(0.5);
    }

    private static double cdfY(double y) {
        return -Math.expm1(-y) - y * Math.exp(-y);
    }

    /** Solves P(y) = p by Newton's method (P' = y e^-y), safeguarded by bisection. */
    private static double solveY(double p) {
        if (p <= 0) {
            return 0;
        }
        double lo = 0;
        double hi = 1;
        while (cdfY(hi) < p) {
            hi *= 2;
        }
        double y = p < 0.1 ? Math.sqrt(2 * p) : 0.5 * (lo + hi);
        for (int it = 0; it < 100; it++) {
            double f = cdfY(y) - p;
            if (f > 0) {
                hi = y;
            } else {
                lo = y;
            }
            double d = y * Math.exp(-y);
            double next = d > 0 ? y - f / d : 0.5 * (lo + hi);
            if (!(next > lo && next < hi)) {
                next = 0.5 * (lo + hi);
            }
            if (Math.abs(next - y) <= 1e-14 * Math.max(1, y)) {
                return next;
            }
            y = next;
        }
        return y;
    }
}
