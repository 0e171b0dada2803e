package org.lovoccs.simulator.universe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CosmologyTest {

    private final Cosmology cosmo = Cosmology.DEFAULT;

    /** Composite Simpson integral of 1/E(z), independent of the class's Gauss–Legendre table. */
    private static double simpsonDc(double z, double h0, double om) {
        int n = 200_000;
        double h = z / n;
        double sum = 0;
        for (int i = 0; i <= n; i++) {
            double zz = i * h;
            double f = 1 / Math.sqrt(om * Math.pow(1 + zz, 3) + 1 - om);
            sum += f * (i == 0 || i == n ? 1 : (i % 2 == 1 ? 4 : 2));
        }
        return 299_792.458 / h0 * sum * h / 3;
    }

    @Test
    void comovingDistanceMatchesIndependentIntegralTo1e6() {
        for (double z : new double[] {0.003, 0.05, 0.1234567, 0.3, 0.5, 0.777, 1.0, 2.5, 4.999, 19.995, 25.0}) {
            double expect = simpsonDc(z, 70, 0.3);
            double got = cosmo.comovingDistanceMpc(z);
            assertEquals(expect, got, 1e-7 * expect, "z=" + z);
            assertEquals(expect, cosmo.comovingDistanceDirectMpc(z), 1e-7 * expect, "direct z=" + z);
        }
        assertEquals(0.0, cosmo.comovingDistanceMpc(0.0));
        // Published value for H0=70, Om=0.3 flat: Dc(z=1) ~ 3303.8 Mpc
        assertEquals(3303.8, cosmo.comovingDistanceMpc(1.0), 0.5);
    }

    @Test
    void angularDiameterDistances() {
        double z1 = 0.3;
        double z2 = 1.2;
        assertEquals(simpsonDc(z2, 70, 0.3) / 2.2, cosmo.angularDiameterDistanceMpc(z2), 1e-6 * 2000);
        assertEquals((simpsonDc(z2, 70, 0.3) - simpsonDc(z1, 70, 0.3)) / 2.2,
                cosmo.angularDiameterDistanceMpc(z1, z2), 1e-6 * 1500);
        assertEquals(0.0, cosmo.angularDiameterDistanceMpc(z2, z1));
        assertEquals(cosmo.angularDiameterDistanceMpc(z2), cosmo.angularDiameterDistanceMpc(0, z2), 1e-9);
    }

    @Test
    void criticalDensityAndSigmaCrit() {
        // rho_crit,0 = 2.7754e11 h^2 Msun/Mpc^3
        assertEquals(2.7754e11 * 0.49, cosmo.criticalDensityMsunPerMpc3(0), 1e-4 * 1.36e11);
        double ez2 = 0.3 * Math.pow(1.5, 3) + 0.7;
        assertEquals(cosmo.criticalDensityMsunPerMpc3(0) * ez2, cosmo.criticalDensityMsunPerMpc3(0.5), 1e-3);
        // Sigma_crit = c^2/(4 pi G) Ds/(Dl Dls); c^2/(4 pi G) from SI: GM_sun = 1.32712440e20 m^3/s^2, 1 Mpc =
        // 3.0856775814913673e22 m, c = 299792458 m/s
        double c2over4piG = 299792458.0 * 299792458.0 * 3.0856775814913673e22 / (4 * Math.PI * 1.32712440e20);
        double dl = simpsonDc(0.2, 70, 0.3) / 1.2;
        double ds = simpsonDc(1.0, 70, 0.3) / 2.0;
        double dls = (simpsonDc(1.0, 70, 0.3) - simpsonDc(0.2, 70, 0.3)) / 2.0;
        double expect = c2over4piG * ds / (dl * dls);
        assertEquals(expect, cosmo.sigmaCritMsunPerMpc2(0.2, 1.0), 1e-6 * expect);
        assertEquals(Double.POSITIVE_INFINITY, cosmo.sigmaCritMsunPerMpc2(0.2, 0.2));
        assertEquals(Double.POSITIVE_INFINITY, cosmo.sigmaCritMsunPerMpc2(0.2, 0.1));
    }

    @Test
    void rejectsBadArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Cosmology(70, 1.5));
        assertTrue(e.getMessage().contains("(0, 1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Cosmology(-1, 0.3));
        e = assertThrows(IllegalArgumentException.class, () -> cosmo.comovingDistanceMpc(-0.1));
        assertTrue(e.getMessage().contains(">= 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> cosmo.comovingDistanceMpc(Double.NaN));
    }
}
