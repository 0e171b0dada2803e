package org.lovoccs.simulator.universe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NfwHaloTest {

    private final Cosmology cosmo = Cosmology.DEFAULT;
    private final NfwHalo halo = new NfwHalo(8e14, 4.0, 0.25, 150.0, 2.0, cosmo);

    private double rho(double r) {
        double rs = halo.scaleRadiusMpc();
        double x = r / rs;
        return halo.characteristicOverdensity() * halo.criticalDensityMsunPerMpc3() / (x * (1 + x) * (1 + x));
    }

    /** Σ(R) by integrating the 3D density along the line of sight, l = R sinh(s), Simpson's rule. */
    private double sigmaByLineOfSight(double r) {
        int n = 6000;
        double smax = 30;
        double h = smax / n;
        double sum = 0;
        for (int i = 0; i <= n; i++) {
            double s = i * h;
            double rr = r * Math.cosh(s);
            double f = rho(rr) * r * Math.cosh(s);
            sum += f * (i == 0 || i == n ? 1 : (i % 2 == 1 ? 4 : 2));
        }
        return 2 * sum * h / 3;
    }

    /** Mean Σ inside R: (2/R^2) ∫ Σ(R') R' dR' in ln R' from 1e-7 R to R, Simpson's rule. */
    private double meanSigmaByIntegration(double r) {
        int n = 1000;
        double a = Math.log(r * 1e-7);
        double b = Math.log(r);
        double h = (b - a) / n;
        double sum = 0;
        for (int i = 0; i <= n; i++) {
            double rp = Math.exp(a + i * h);
            double f = sigmaByLineOfSight(rp) * rp * rp;
            sum += f * (i == 0 || i == n ? 1 : (i % 2 == 1 ? 4 : 2));
        }
        return 2 / (r * r) * sum * h / 3;
    }

    @Test
    void r200EnclosesM200() {
        double r200 = halo.r200Mpc();
        assertEquals(200 * halo.criticalDensityMsunPerMpc3(), 3 * 8e14 / (4 * Math.PI * Math.pow(r200, 3)), 1e3);
        // 4 pi ∫ rho r^2 dr to r200 in ln r
        int n = 4000;
        double a = Math.log(r200 * 1e-9);
        double b = Math.log(r200);
        double h = (b - a) / n;
        double sum = 0;
        for (int i = 0; i <= n; i++) {
            double r = Math.exp(a + i * h);
            sum += rho(r) * r * r * r * (i == 0 || i == n ? 1 : (i % 2 == 1 ? 4 : 2));
        }
        assertEquals(8e14, 4 * Math.PI * sum * h / 3, 1e-5 * 8e14);
        assertEquals(r200 / 4.0, halo.scaleRadiusMpc(), 1e-15);
        assertTrue(r200 > 1.4 && r200 < 2.0, "r200 " + r200);
    }

    @Test
    void convergenceAndShearMatchLineOfSightIntegration() {
        double zs = 1.0;
        double sc = cosmo.sigmaCritMsunPerMpc2(0.25, zs);
        double rs = halo.scaleRadiusMpc();
        for (double x : new double[] {0.01, 0.2, 0.7, 0.9, 0.95, 0.999, 1.0, 1.0000001, 1.05, 1.2, 1.5, 3.0, 10.0,
            40.0}) {
            double r = x * rs;
            double theta = Math.toDegrees(r / halo.angularDiameterDistanceMpc()) * 3600;
            double sigma = sigmaByLineOfSight(r);
            double mean = meanSigmaByIntegration(r);
            double kappa = sigma / sc;
            double gammaT = (mean - sigma) / sc;
            assertEquals(kappa, halo.convergence(theta, zs), 0.005 * kappa, "kappa x=" + x);
            assertEquals(gammaT, halo.tangentialShear(theta, zs), 0.005 * gammaT, "gamma_t x=" + x);
            // far tighter than the 0.5% requirement, to catch branch slips
            assertEquals(sigma, halo.surfaceDensity(r), 1e-5 * sigma, "Sigma x=" + x);
        }
    }

    @Test
    void surfaceDensityIsSmoothAcrossXEqualsOne() {
        double rs = halo.scaleRadiusMpc();
        // across the series/closed-form switch at |u| = 0.1 and at x = 1
        double prev = Double.NaN;
        for (double x = 0.7; x <= 1.4; x += 1e-4) {
            double s = halo.surfaceDensity(x * rs);
            double m = halo.meanSurfaceDensityInside(x * rs);
            assertTrue(Double.isFinite(s) && Double.isFinite(m) && m > s, "x=" + x);
            if (!Double.isNaN(prev)) {
                double rel = (prev - s) / s;
                assertTrue(rel > 0 && rel < 3e-4, "Sigma not smooth/decreasing at x=" + x + " rel " + rel);
            }
            prev = s;
        }
    }

    @Test
    void shearSignConventionEastNorth() {
        double zs = 1.2;
        double dec0 = halo.decDeg();
        double off = 0.05;
        double gt = halo.tangentialShear(off * 3600, zs);
        // Due East (larger RA): tangential = elongated North-South = axis 2 -> gamma1 = -gamma_t
        Lensing east = halo.lensing(halo.raDeg() + off / Math.cos(Math.toRadians(dec0)), dec0, zs);
        assertTrue(east.gamma1() < 0, "east gamma1 " + east.gamma1());
        assertEquals(-gt, east.gamma1(), 0.01 * gt);
        assertEquals(0, east.gamma2(), 0.02 * gt);
        Lensing west = halo.lensing(halo.raDeg() - off / Math.cos(Math.toRadians(dec0)), dec0, zs);
        assertEquals(-gt, west.gamma1(), 0.01 * gt);
        // Due North: elongated East-West -> gamma1 = +gamma_t
        Lensing north = halo.lensing(halo.raDeg(), dec0 + off, zs);
        assertEquals(gt, north.gamma1(), 1e-6 * gt);
        assertEquals(0, north.gamma2(), 1e-9);
        // North-East (phi = 45 deg): elongated along the NW-SE diagonal -> gamma2 = -gamma_t
        double d = off / Math.sqrt(2);
        Lensing ne = halo.lensing(halo.raDeg() + d / Math.cos(Math.toRadians(dec0 + d)), dec0 + d, zs);
        assertEquals(-gt, ne.gamma2(), 0.01 * gt);
        assertEquals(0, ne.gamma1(), 0.02 * gt);
        // reduced shear and magnification
        assertEquals(north.gamma1() / (1 - north.kappa()), north.g1(), 1e-12);
        assertEquals(1 / (Math.pow(1 - north.kappa(), 2) - gt * gt), north.magnification(), 1e-6);
        assertTrue(north.magnification() > 1);
    }

    @Test
    void sourcesInFrontAreNotLensed() {
        for (double zs : new double[] {0.0, 0.1, 0.25}) {
            Lensing l = halo.lensing(halo.raDeg() + 0.01, halo.decDeg(), zs);
            assertEquals(Lensing.NONE, l);
            assertEquals(0.0, halo.convergence(20, zs));
            assertEquals(0.0, halo.tangentialShear(20, zs));
        }
        assertTrue(halo.lensing(halo.raDeg() + 0.01, halo.decDeg(), 0.2501).g1() != 0);
    }

    @Test
    void rejectsBadArgumentsWithRanges() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NfwHalo(0, 4, 0.2, 0, 0, cosmo));
        assertTrue(e.getMessage().contains("> 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new NfwHalo(1e15, -1, 0.2, 0, 0, cosmo));
        assertTrue(e.getMessage().contains("concentration"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new NfwHalo(1e15, 4, 0, 0, 0, cosmo));
        assertTrue(e.getMessage().contains("redshift"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new NfwHalo(1e15, 4, 0.2, 0, 95, cosmo));
        assertTrue(e.getMessage().contains("[-90, 90]"), e.getMessage());
    }
}
