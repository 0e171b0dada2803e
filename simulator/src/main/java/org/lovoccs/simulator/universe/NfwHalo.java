package org.lovoccs.simulator.universe;

/**
 * A spherical NFW halo lens with the analytic surface density and shear of Wright &amp; Brainerd (2000, ApJ 534, 34).
 *
 * <p>M200 is the mass inside r200, the radius within which the mean density is 200 times the critical density at
 * the halo redshift; the scale radius is {@code r200 / concentration}. Angles are in arcseconds, distances in
 * (proper) Mpc, masses in solar masses. The functions of {@code x = R / r_s} are evaluated through
 * {@code A(x) = artanh(sqrt((1-x)/(1+x))) / sqrt(1-x^2)} (x &lt; 1), {@code arctan(sqrt((x-1)/(1+x))) / sqrt(x^2-1)}
 * (x &gt; 1); near x = 1 both are replaced by one power series in {@code u = (1-x)/(1+x)} written so that no
 * cancellation occurs, which makes the three branches of the paper join smoothly.
 *
 * <p>Lensing conventions: see {@link Lensing}. Immutable and thread-safe.
 */
public final class NfwHalo {

    private static final double SERIES_LIMIT = 0.1;
    private static final int SERIES_TERMS = 24;

    private final double m200;
    private final double concentration;
    private final double redshift;
    private final double raDeg;
    private final double decDeg;
    private final Cosmology cosmo;
    private final double r200;
    private final double rs;
    private final double rhoCrit;
    private final double deltaC;
    private final double dlMpc;
    private final double dcLens;

    /**
     * @param m200Msun      M200 in solar masses, &gt; 0
     * @param concentration c200 = r200 / r_s, &gt; 0
     * @param redshift      lens redshift, &gt; 0
     * @param raDeg         centre RA in degrees
     * @param decDeg        centre Dec in degrees, [-90, 90]
     * @param cosmo         cosmology
     */
    public NfwHalo(double m200Msun, double concentration, double redshift, double raDeg, double decDeg,
                   Cosmology cosmo) {
        if (!(m200Msun > 0) || Double.isInfinite(m200Msun)) {
            throw new IllegalArgumentException("M200 must be finite and > 0 Msun (clusters: 1e13-3e15), got "
                    + m200Msun);
        }
        if (!(concentration > 0) || Double.isInfinite(concentration)) {
            throw new IllegalArgumentException("concentration must be finite and > 0 (typically 2-10), got "
                    + concentration);
        }
        if (!(redshift > 0) || Double.isInfinite(redshift)) {
            throw new IllegalArgumentException("halo redshift must be finite and > 0, got " + redshift);
        }
        SkyGeometry.checkPosition("halo", raDeg, decDeg);
        if (cosmo == null) {
            throw new IllegalArgumentException("cosmology must not be null (use Cosmology.DEFAULT)");
        }
        this.m200 = m200Msun;
        this.concentration = concentration;
        this.redshift = redshift;
        this.raDeg = raDeg;
        this.decDeg = decDeg;
        this.cosmo = cosmo;
        this.rhoCrit = cosmo.criticalDensityMsunPerMpc3(redshift);
        this.r200 = Math.cbrt(3 * m200Msun / (4 * Math.PI * 200 * rhoCrit));
        this.rs = r200 / concentration;
        double c = concentration;
        this.deltaC = 200.0 / 3.0 * c * c * c / (Math.log1p(c) - c / (1 + c));
        this.dlMpc = cosmo.angularDiameterDistanceMpc(redshift);
        this.dcLens = cosmo.comovingDistanceMpc(redshift);
    }

    public double m200Msun() {
        return m200;
    }

    public double concentration() {
        return concentration;
    }

    public double redshift() {
        return redshift;
    }

    public double raDeg() {
        return raDeg;
    }

    public double decDeg() {
        return decDeg;
    }

    public Cosmology cosmology() {
        return cosmo;
    }

    /** r200 in proper Mpc. */
    public double r200Mpc() {
        return r200;
    }

    /** Scale radius r_s = r200 / c in proper Mpc. */
    public double scaleRadiusMpc() {
        return rs;
    }

    /** Characteristic overdensity δc; the NFW density is {@code δc ρcrit / ((r/rs)(1 + r/rs)^2)}. */
    public double characteristicOverdensity() {
        return deltaC;
    }

    /** Critical density at the halo redshift, Msun/Mpc^3. */
    public double criticalDensityMsunPerMpc3() {
        return rhoCrit;
    }

    /** Angular-diameter distance to the halo, Mpc. */
    public double angularDiameterDistanceMpc() {
        return dlMpc;
    }

    /** Projected radius in proper Mpc at angle {@code thetaArcsec} from the centre. */
    public double projectedRadiusMpc(double thetaArcsec) {
        return dlMpc * Math.toRadians(thetaArcsec / 3600.0);
    }

    /** Surface density Σ(R) in Msun/Mpc^2 at projected radius R (Mpc, &gt; 0). */
    public double surfaceDensity(double rMpc) {
        double x = rMpc / rs;
        double u = (1 - x) / (1 + x);
        double f;
        if (Math.abs(u) < SERIES_LIMIT) {
            // (1 - 2A(x)) / (x^2 - 1) = (1+u)^2 sum_{k>=1} k u^{k-1} / (4k^2 - 1)
            double sum = 0;
            double p = 1;
            for (int k = 1; k <= SERIES_TERMS; k++) {
                sum += k * p / (4.0 * k * k - 1);
                p *= u;
            }
            f = (1 + u) * (1 + u) * sum;
        } else {
            f = (1 - 2 * a(x)) / (x * x - 1);
        }
        return 2 * rs * deltaC * rhoCrit * f;
    }

    /** Mean surface density inside projected radius R (Mpc, &gt; 0), Msun/Mpc^2. */
    public double meanSurfaceDensityInside(double rMpc) {
        double x = rMpc / rs;
        double h = 2 * a(x) + Math.log(x / 2);
        return 4 / (x * x) * rs * deltaC * rhoCrit * h;
    }

    /** Projected mass inside projected radius R (Mpc), Msun (the line of sight extends to infinity). */
    public double projectedMassInside(double rMpc) {
        return Math.PI * rMpc * rMpc * meanSurfaceDensityInside(rMpc);
    }

    /** Convergence κ at angle θ (arcsec, &gt; 0) for a source at {@code zSource}; 0 if zSource &lt;= z_l. */
    public double convergence(double thetaArcsec, double zSource) {
        double sc = cosmo.sigmaCritMsunPerMpc2(redshift, zSource);
        if (Double.isInfinite(sc)) {
            return 0.0;
        }
        return surfaceDensity(projectedRadiusMpc(thetaArcsec)) / sc;
    }

    /** Tangential shear γt at angle θ (arcsec, &gt; 0) for a source at {@code zSource}; 0 if zSource &lt;= z_l. */
    public double tangentialShear(double thetaArcsec, double zSource) {
        double sc = cosmo.sigmaCritMsunPerMpc2(redshift, zSource);
        if (Double.isInfinite(sc)) {
            return 0.0;
        }
        double r = projectedRadiusMpc(thetaArcsec);
        return (meanSurfaceDensityInside(r) - surfaceDensity(r)) / sc;
    }

    /**
     * Convergence, shear, reduced shear and magnification for a source at (raDeg, decDeg, zSource), with the
     * conventions of {@link Lensing}. A source at or in front of the halo, or exactly at its centre, is not lensed.
     */
    public Lensing lensing(double raDeg, double decDeg, double zSource) {
        if (!(zSource > redshift)) {
            if (!(zSource >= 0)) {
                throw new IllegalArgumentException("source redshift must be >= 0, got " + zSource);
            }
            return Lensing.NONE;
        }
        double dcs = cosmo.comovingDistanceMpc(zSource);
        double sigmaCrit = Cosmology.C_KM_S * Cosmology.C_KM_S / (4 * Math.PI * Cosmology.G_MPC_KM2_S2_PER_MSUN)
                * dcs * (1 + redshift) / (dcLens * (dcs - dcLens));
        double[] p = new double[2];
        // The halo centre in the tangent plane of the source: the source lies in the opposite direction from it.
        SkyGeometry.gnomonic(raDeg, decDeg, this.raDeg, this.decDeg, p);
        double thetaDeg = SkyGeometry.separationDeg(this.raDeg, this.decDeg, raDeg, decDeg);
        if (thetaDeg == 0) {
            return Lensing.NONE;
        }
        double phi = Math.atan2(-p[1], -p[0]);
        double r = dlMpc * Math.toRadians(thetaDeg);
        double sigma = surfaceDensity(r);
        double kappa = sigma / sigmaCrit;
        double gammaT = (meanSurfaceDensityInside(r) - sigma) / sigmaCrit;
        return Lensing.of(kappa, -gammaT * Math.cos(2 * phi), -gammaT * Math.sin(2 * phi));
    }

    /** A(x) defined in the class comment, with a series near x = 1: A = (1+u) S(u) / 2, S = sum u^k / (2k+1). */
    private static double a(double x) {
        double u = (1 - x) / (1 + x);
        if (Math.abs(u) < SERIES_LIMIT) {
            double sum = 0;
            double p = 1;
            for (int k = 0; k < SERIES_TERMS; k++) {
                sum += p / (2 * k + 1);
                p *= u;
            }
            return 0.5 * (1 + u) * sum;
        }
        if (x < 1) {
            double t = Math.sqrt(u);
            return atanh(t) / Math.sqrt(1 - x * x);
        }
        return Math.atan(Math.sqrt(-u)) / Math.sqrt(x * x - 1);
    }

    private static double atanh(double t) {
        return 0.5 * Math.log((1 + t) / (1 - t));
    }

    @Override
    public String toString() {
        return String.format("NfwHalo(M200=%.3e Msun, c=%.2f, z=%.4f, ra=%.5f, dec=%.5f)", m200, concentration,
                redshift, raDeg, decDeg);
    }
}
