package org.lovoccs.simulator.universe;

/**
 * A flat ΛCDM cosmology (radiation neglected): {@code E(z) = sqrt(Ωm (1+z)^3 + 1 - Ωm)}.
 *
 * <p>Distances are in Mpc (proper or comoving as named), densities in solar masses per Mpc^3, surface densities in
 * solar masses per Mpc^2. The comoving distance is tabulated once on a fine redshift grid (step {@value #TABLE_STEP})
 * from a 16-point Gauss–Legendre integral of each step and interpolated with cubic Hermite polynomials that use the
 * exact derivative {@code c / H(z)}; both steps are accurate to far better than 1e-6 relative. Beyond
 * {@value #TABLE_Z_MAX} the integral is done directly. Instances are immutable and thread-safe.
 */
public final class Cosmology {

    /** Speed of light in km/s. */
    public static final double C_KM_S = 299_792.458;
    /** Newton's constant in Mpc (km/s)^2 / Msun. */
    public static final double G_MPC_KM2_S2_PER_MSUN = 4.300917e-9;

    static final double TABLE_STEP = 0.01;
    static final double TABLE_Z_MAX = 20.0;

    private static final double[] GL_X = {
        0.0950125098376374, 0.2816035507792589, 0.4580167776572274, 0.6178762444026438,
        0.7554044083550030, 0.8656312023878318, 0.9445750230732326, 0.9894009349916499};
    private static final double[] GL_W = {
        0.1894506104550685, 0.1826034150449236, 0.1691565193950025, 0.1495959888165767,
        0.1246289712555339, 0.0951585116824928, 0.0622535239386479, 0.0271524594117541};

    /** H0 = 70 km/s/Mpc, Ωm = 0.3, ΩΛ = 0.7 (declared after the quadrature tables it needs). */
    public static final Cosmology DEFAULT = new Cosmology(70.0, 0.3);

    private final double h0;
    private final double omegaM;
    private final double hubbleDistance;
    private final double[] dcTable;

    /**
     * @param h0KmSMpc Hubble constant in km/s/Mpc, in (0, 1000)
     * @param omegaM   matter density parameter today, in (0, 1]; ΩΛ = 1 - Ωm
     */
    public Cosmology(double h0KmSMpc, double omegaM) {
        if (!(h0KmSMpc > 0 && h0KmSMpc < 1000)) {
            throw new IllegalArgumentException("H0 must be in (0, 1000) km/s/Mpc, got " + h0KmSMpc);
        }
        if (!(omegaM > 0 && omegaM <= 1)) {
            throw new IllegalArgumentException("Omega_m must be in (0, 1] for a flat LambdaCDM, got " + omegaM);
        }
        this.h0 = h0KmSMpc;
        this.omegaM = omegaM;
        this.hubbleDistance = C_KM_S / h0KmSMpc;
        int n = (int) Math.round(TABLE_Z_MAX / TABLE_STEP) + 1;
        dcTable = new double[n];
        for (int i = 1; i < n; i++) {
            dcTable[i] = dcTable[i - 1] + integrateInvE((i - 1) * TABLE_STEP, i * TABLE_STEP);
        }
    }

    /** Hubble constant in km/s/Mpc. */
    public double h0() {
        return h0;
    }

    /** Matter density parameter today. */
    public double omegaM() {
        return omegaM;
    }

    /** Dimensionless Hubble rate {@code E(z) = H(z)/H0}. */
    public double e(double z) {
        double a = 1 + z;
        return Math.sqrt(omegaM * a * a * a + (1 - omegaM));
    }

    /** Hubble rate H(z) in km/s/Mpc. */
    public double hubble(double z) {
        return h0 * e(z);
    }

    /** Line-of-sight comoving distance to redshift {@code z >= 0}, in Mpc. */
    public double comovingDistanceMpc(double z) {
        checkZ(z);
        if (z >= TABLE_Z_MAX) {
            return hubbleDistance * (dcTable[dcTable.length - 1] + integrateInvE(TABLE_Z_MAX, z));
        }
        double t = z / TABLE_STEP;
        int i = (int) t;
        double s = t - i;
        double z0 = i * TABLE_STEP;
        double y0 = dcTable[i];
        double y1 = dcTable[i + 1];
        double d0 = TABLE_STEP / e(z0);
        double d1 = TABLE_STEP / e(z0 + TABLE_STEP);
        double s2 = s * s;
        double s3 = s2 * s;
        double v = (2 * s3 - 3 * s2 + 1) * y0 + (s3 - 2 * s2 + s) * d0 + (-2 * s3 + 3 * s2) * y1 + (s3 - s2) * d1;
        return hubbleDistance * v;
    }

    /** Comoving distance by direct numerical integration, without the table (for checks). */
    double comovingDistanceDirectMpc(double z) {
        checkZ(z);
        double sum = 0;
        int n = Math.max(1, (int) Math.ceil(z / 0.05));
        for (int i = 0; i < n; i++) {
            sum += integrateInvE(z * i / n, z * (i + 1) / n);
        }
        return hubbleDistance * sum;
    }

    /** Angular-diameter distance from us to redshift {@code z}, in Mpc. */
    public double angularDiameterDistanceMpc(double z) {
        return comovingDistanceMpc(z) / (1 + z);
    }

    /**
     * Angular-diameter distance from redshift {@code z1} to {@code z2 > z1} (flat universe:
     * {@code (Dc(z2) - Dc(z1)) / (1 + z2)}), in Mpc; 0 when {@code z2 <= z1}.
     */
    public double angularDiameterDistanceMpc(double z1, double z2) {
        if (z2 <= z1) {
            checkZ(z1);
            checkZ(z2);
            return 0.0;
        }
        return (comovingDistanceMpc(z2) - comovingDistanceMpc(z1)) / (1 + z2);
    }

    /** Luminosity distance to redshift {@code z}, in Mpc. */
    public double luminosityDistanceMpc(double z) {
        return comovingDistanceMpc(z) * (1 + z);
    }

    /** Distance modulus {@code 5 log10(D_L / 10 pc)}. */
    public double distanceModulus(double z) {
        return 5 * Math.log10(luminosityDistanceMpc(z) * 1e5);
    }

    /** Critical density {@code 3 H(z)^2 / (8 pi G)} in Msun/Mpc^3. */
    public double criticalDensityMsunPerMpc3(double z) {
        checkZ(z);
        double h = hubble(z);
        return 3 * h * h / (8 * Math.PI * G_MPC_KM2_S2_PER_MSUN);
    }

    /**
     * Critical surface density for lensing {@code c^2 D_s / (4 pi G D_l D_ls)} in Msun/Mpc^2; positive infinity when
     * {@code zSource <= zLens} (such a source is not lensed).
     */
    public double sigmaCritMsunPerMpc2(double zLens, double zSource) {
        checkZ(zLens);
        checkZ(zSource);
        if (zSource <= zLens || zLens == 0) {
            return Double.POSITIVE_INFINITY;
        }
        double dcl = comovingDistanceMpc(zLens);
        double dcs = comovingDistanceMpc(zSource);
        // D_s / (D_l D_ls) = [dcs/(1+zs)] / ([dcl/(1+zl)] [(dcs-dcl)/(1+zs)]) = dcs (1+zl) / (dcl (dcs-dcl))
        return C_KM_S * C_KM_S / (4 * Math.PI * G_MPC_KM2_S2_PER_MSUN) * dcs * (1 + zLens) / (dcl * (dcs - dcl));
    }

    private double integrateInvE(double a, double b) {
        double mid = 0.5 * (a + b);
        double half = 0.5 * (b - a);
        double sum = 0;
        for (int k = 0; k < GL_X.length; k++) {
            sum += GL_W[k] * (1 / e(mid - half * GL_X[k]) + 1 / e(mid + half * GL_X[k]));
        }
        return sum * half;
    }

    private static void checkZ(double z) {
        if (!(z >= 0) || Double.isInfinite(z)) {
            throw new IllegalArgumentException("redshift must be finite and >= 0, got " + z);
        }
    }

    @Override
    public String toString() {
        return "FlatLambdaCDM(H0=" + h0 + ", Om=" + omegaM + ")";
    }
}
