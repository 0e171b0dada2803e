package org.lovoccs.simulator.sky;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.ImageF;

class GalaxyRendererTest {

    private static final double SCALE = 0.263;
    /** DECam raw orientation: xi (East) along pixel y, eta (North) along pixel x. */
    private static final double[] JACOBIAN = {0, SCALE, SCALE, 0};

    @Test
    void mixturesReproduceTheirProfilesHalfLightRadiiAndMoffatEncircledFlux() {
        assertEquals(1.0, halfLightRadius(GaussianMixture.exponential()), 1e-6);
        assertEquals(1.0, halfLightRadius(GaussianMixture.deVaucouleurs()), 1e-6);
        // the exponential mixture follows the exact profile's encircled flux (1 - (1 + b r) e^-br)
        GaussianMixture exp = GaussianMixture.exponential();
        double b = GaussianMixture.B_EXPONENTIAL;
        for (double r = 0.1; r < 6; r += 0.1) {
            assertEquals(1 - (1 + b * r) * Math.exp(-b * r), enclosed(exp, r), 2e-3, "exponential inside r=" + r);
        }
        double beta = 3.5;
        GaussianMixture moffat = GaussianMixture.moffat(beta);
        MoffatPsf exact = new MoffatPsf(1.0, beta);
        for (double r : new double[] {0.3, 0.5, 1.0, 2.0, 4.0}) {
            assertEquals(exact.enclosedFraction(r), enclosed(moffat, r), 5e-4, "Moffat mixture inside r=" + r);
        }
    }

    @Test
    void lensedRoundGalaxyHasEllipticityEqualToReducedShearAndIsMagnified() {
        GalaxyRenderer renderer = new GalaxyRenderer();
        ImageF img = new ImageF(301, 301);
        double kappa = 0.12;
        double gamma1 = 0.05;
        double gamma2 = -0.03;
        GaussianMixture psfMix = GaussianMixture.gaussianFwhm();
        double fwhm = 3.8;
        double flux = 1e5;
        double added = renderer.add(img, 150.0, 150.0, flux, new GalaxyRenderer.Shape(0.0, 1.5, 0.5, 0, 0), kappa,
                gamma1, gamma2, JACOBIAN, new GalaxyRenderer.LocalPsf(psfMix, fwhm, 0, 0));
        double mu = 1.0 / ((1 - kappa) * (1 - kappa) - gamma1 * gamma1 - gamma2 * gamma2);
        double[] mom = moments(img, 150.0, 150.0);
        assertEquals(flux * mu, mom[0], flux * mu * 2e-4, "total flux = magnification x unlensed flux");
        assertEquals(mom[0], added, 1.0);
        // remove the PSF and pixel (both round) from the pixel-frame second moments
        double psfVar = psfMix.variances()[0] * fwhm * fwhm + 1.0 / 12.0;
        double qxx = mom[1] - psfVar;
        double qxy = mom[2];
        double qyy = mom[3] - psfVar;
        // to the sky frame: Q_sky = J Q J^T with J = [[0, s], [s, 0]]: xi-xi = s^2 qyy, eta-eta = s^2 qxx
        double q11 = qyy;
        double q22 = qxx;
        double q12 = qxy;
        double chi1 = (q11 - q22) / (q11 + q22);
        double chi2 = 2 * q12 / (q11 + q22);
        double chi = Math.hypot(chi1, chi2);
        double f = 1.0 / (1.0 + Math.sqrt(1 - chi * chi));
        assertEquals(gamma1 / (1 - kappa), chi1 * f, 1e-3, "eps1 = g1");
        assertEquals(gamma2 / (1 - kappa), chi2 * f, 1e-3, "eps2 = g2");
    }

    @Test
    void intrinsicEllipticityIsKeptWithoutLensing() {
        GalaxyRenderer renderer = new GalaxyRenderer();
        ImageF img = new ImageF(301, 301);
        double e1 = 0.3;
        double e2 = 0.1;
        GaussianMixture psfMix = GaussianMixture.gaussianFwhm();
        double fwhm = 3.0;
        renderer.add(img, 150.3, 149.6, 5e4, new GalaxyRenderer.Shape(0.4, 1.2, 0.6, e1, e2), 0, 0, 0,
                JACOBIAN, new GalaxyRenderer.LocalPsf(psfMix, fwhm, 0, 0));
        double[] mom = moments(img, 150.3, 149.6);
        double psfVar = psfMix.variances()[0] * fwhm * fwhm + 1.0 / 12.0;
        double q11 = mom[3] - psfVar;
        double q22 = mom[1] - psfVar;
        double q12 = mom[2];
        double chi1 = (q11 - q22) / (q11 + q22);
        double chi2 = 2 * q12 / (q11 + q22);
        double chi = Math.hypot(chi1, chi2);
        double f = 1.0 / (1.0 + Math.sqrt(1 - chi * chi));
        // a bulge+disk with a common shape keeps that shape's ellipticity
        assertEquals(e1, chi1 * f, 3e-3);
        assertEquals(e2, chi2 * f, 3e-3);
        assertTrue(mom[0] > 5e4 * 0.999);
    }

    private static double[] moments(ImageF img, double cx, double cy) {
        double s = 0, sxx = 0, sxy = 0, syy = 0, sx = 0, sy = 0;
        for (int j = 0; j < img.height(); j++) {
            for (int i = 0; i < img.width(); i++) {
                double v = img.get(i, j);
                s += v;
                sx += v * (i - cx);
                sy += v * (j - cy);
                sxx += v * (i - cx) * (i - cx);
                sxy += v * (i - cx) * (j - cy);
                syy += v * (j - cy) * (j - cy);
            }
        }
        assertEquals(0.0, sx / s, 1e-3, "centroid x");
        assertEquals(0.0, sy / s, 1e-3, "centroid y");
        return new double[] {s, sxx / s, sxy / s, syy / s};
    }

    private static double enclosed(GaussianMixture m, double r) {
        double f = 0;
        for (int k = 0; k < m.size(); k++) {
            f += m.weights()[k] * (1 - Math.exp(-0.5 * r * r / m.variances()[k]));
        }
        return f;
    }

    private static double halfLightRadius(GaussianMixture m) {
        double lo = 0;
        double hi = 20;
        for (int i = 0; i < 60; i++) {
            double mid = 0.5 * (lo + hi);
            if (enclosed(m, mid) < 0.5) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }
}
