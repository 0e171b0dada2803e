package org.lovoccs.simulator.sky;

import org.lovoccs.imaging.ImageF;

/**
 * Adds PSF-convolved, lensed bulge + disk galaxies to an image of expected electrons, analytically: the exponential
 * disk and de Vaucouleurs bulge are Gaussian mixtures ({@link GaussianMixture}), lensing and the sky-to-pixel map are
 * linear on a galaxy's scale, so each mixture component stays Gaussian, and the PSF's mixture convolves by adding
 * covariances. The pixel's own response (a box) is approximated by adding 1/12 px^2 to each variance.
 *
 * <p>Shapes and lensing are given on the sky, in the tangent plane at the galaxy with axis 1 toward East and axis 2
 * toward North; ellipticities use the reduced-shear convention {@code eps = (a - b) / (a + b) exp(2 i theta)}.
 * The lens maps image offsets theta to source offsets {@code beta = A theta} with
 * {@code A = [[1 - kappa - gamma1, -gamma2], [-gamma2, 1 - kappa + gamma1]]}; the image covariance is
 * {@code A^-1 C_source A^-T} and the flux is multiplied by the magnification {@code 1 / det A}.
 *
 * <p>Each component is evaluated inside its own ellipse: rows out to {@link #TRUNCATION_SIGMA} marginal sigma and,
 * in each row, {@link #TRUNCATION_SIGMA} conditional sigma about the row's centre, with an exact recurrence (two
 * multiplications per pixel), so thousands of galaxies per CCD take about a second.
 */
public final class GalaxyRenderer {

    /** Half-width of each component's box, in its sigma along the axis. */
    public static final double TRUNCATION_SIGMA = 5.0;
    /** Components carrying fewer electrons than this in total are skipped (the return value counts what is drawn). */
    public static final double MIN_COMPONENT_ELECTRONS = 0.02;
    /**
     * A PSF component this many times wider (in variance) than the galaxy's widest component is convolved with the
     * galaxy's moment-matched single Gaussian instead of each component: the profile error is second order in the
     * variance ratio, below 1e-3 of the flux locally.
     */
    public static final double MERGE_RATIO = 25.0;
    /** Each component is drawn out to where it falls below this surface brightness, e- per pixel (at most 5 sigma). */
    public static final double FLOOR_ELECTRONS = 1e-4;

    private static final double PIXEL_VARIANCE = 1.0 / 12.0;

    private final GaussianMixture disk = GaussianMixture.exponential();
    private final GaussianMixture bulge = GaussianMixture.deVaucouleurs();

    /** A galaxy's appearance on the sky (unlensed, before the PSF). */
    public record Shape(double bulgeFraction, double diskHalfLightArcsec, double bulgeHalfLightArcsec,
                        double e1, double e2) {
    }

    /** The local PSF in pixels: a unit-FWHM mixture scaled to {@code fwhmPixels} and sheared by (g1, g2). */
    public record LocalPsf(GaussianMixture mixture, double fwhmPixels, double g1, double g2) {
    }

    /**
     * Adds one galaxy.
     *
     * @param image        expected electrons
     * @param x            column of the centre (0-based, pixel centres at integers)
     * @param y            row of the centre
     * @param fluxElectrons unlensed flux, e-
     * @param shape        the unlensed shape
     * @param kappa        convergence at the galaxy
     * @param gamma1       shear, East axis
     * @param gamma2       shear, diagonal
     * @param jacobian     {dxi/dx, dxi/dy, deta/dx, deta/dy}, arcsec per pixel, at the galaxy
     * @param psf          the PSF at the galaxy
     * @return the electrons actually added (the lensed flux less what falls off the image or below the truncation)
     */
    public double add(ImageF image, double x, double y, double fluxElectrons, Shape shape, double kappa,
                      double gamma1, double gamma2, double[] jacobian, LocalPsf psf) {
        double a11 = 1 - kappa - gamma1;
        double a12 = -gamma2;
        double a22 = 1 - kappa + gamma1;
        double detA = a11 * a22 - a12 * a12;
        if (!(detA > 0)) {
            throw new IllegalArgumentException("strong lensing (det A = " + detA + ") is not simulated; keep sources "
                    + "outside the critical curve");
        }
        double flux = fluxElectrons / detA;
        // A^-1
        double b11 = a22 / detA;
        double b12 = -a12 / detA;
        double b22 = a11 / detA;
        // J^-1 (pixel per arcsec)
        double detJ = jacobian[0] * jacobian[3] - jacobian[1] * jacobian[2];
        double j11 = jacobian[3] / detJ;
        double j12 = -jacobian[1] / detJ;
        double j21 = -jacobian[2] / detJ;
        double j22 = jacobian[0] / detJ;
        // T = J^-1 A^-1 maps source-plane arcsec to pixels
        double t11 = j11 * b11 + j12 * b12;
        double t12 = j11 * b12 + j12 * b22;
        double t21 = j21 * b11 + j22 * b12;
        double t22 = j21 * b12 + j22 * b22;
        double[] m = shapeMatrix(shape.e1(), shape.e2());
        // pixel-frame shape of a unit source component: T M T^T
        double s11 = t11 * (m[0] * t11 + m[1] * t12) + t12 * (m[1] * t11 + m[2] * t12);
        double s12 = t11 * (m[0] * t21 + m[1] * t22) + t12 * (m[1] * t21 + m[2] * t22);
        double s22 = t21 * (m[0] * t21 + m[1] * t22) + t22 * (m[1] * t21 + m[2] * t22);
        // PSF shape S S^T, det 1
        double g2sum = psf.g1() * psf.g1() + psf.g2() * psf.g2();
        double pn = 1.0 / (1.0 - g2sum);
        double p11 = ((1 + psf.g1()) * (1 + psf.g1()) + psf.g2() * psf.g2()) * pn;
        double p12 = 2 * psf.g2() * pn;
        double p22 = ((1 - psf.g1()) * (1 - psf.g1()) + psf.g2() * psf.g2()) * pn;
        double fwhm2 = psf.fwhmPixels() * psf.fwhmPixels();
        GaussianMixture pm = psf.mixture();
        double fb = Math.max(0, Math.min(1, shape.bulgeFraction()));
        // the galaxy's components in pixels (before the PSF): amplitude and variance scale of the unit shape
        int nd = fb < 1 && shape.diskHalfLightArcsec() > 0 ? disk.size() : 0;
        int nb = fb > 0 && shape.bulgeHalfLightArcsec() > 0 ? bulge.size() : 0;
        double[] gAmp = new double[nd + nb];
        double[] gVar = new double[nd + nb];
        double maxVar = 0;
        for (int k = 0; k < nd; k++) {
            gAmp[k] = flux * (1 - fb) * disk.weights()[k];
            gVar[k] = disk.variances()[k] * shape.diskHalfLightArcsec() * shape.diskHalfLightArcsec();
        }
        for (int k = 0; k < nb; k++) {
            gAmp[nd + k] = flux * fb * bulge.weights()[k];
            gVar[nd + k] = bulge.variances()[k] * shape.bulgeHalfLightArcsec() * shape.bulgeHalfLightArcsec();
        }
        double shapeScale = Math.max(s11, s22);
        for (double v : gVar) {
            maxVar = Math.max(maxVar, v * shapeScale);
        }
        double added = 0;
        for (int j = 0; j < pm.size(); j++) {
            double pv = pm.variances()[j] * fwhm2;
            double pw = pm.weights()[j];
            if (pv > MERGE_RATIO * maxVar) {
                // the galaxy is small against this PSF component: one moment-matched Gaussian for all its parts
                double a = 0;
                double mv = 0;
                for (int k = 0; k < gAmp.length; k++) {
                    a += gAmp[k];
                    mv += gAmp[k] * gVar[k];
                }
                double amp = a * pw;
                if (amp >= MIN_COMPONENT_ELECTRONS && a > 0) {
                    double gv = mv / a;
                    added += addGaussian(image, x, y, amp, gv * s11 + pv * p11 + PIXEL_VARIANCE, gv * s12 + pv * p12,
                            gv * s22 + pv * p22 + PIXEL_VARIANCE);
                }
                continue;
            }
            for (int k = 0; k < gAmp.length; k++) {
                double amp = gAmp[k] * pw;
                if (amp < MIN_COMPONENT_ELECTRONS) {
                    continue;
                }
                double gv = gVar[k];
                added += addGaussian(image, x, y, amp, gv * s11 + pv * p11 + PIXEL_VARIANCE, gv * s12 + pv * p12,
                        gv * s22 + pv * p22 + PIXEL_VARIANCE);
            }
        }
        return added;
    }

    /** Shape matrix (det 1) of ellipticity (e1, e2): {m11, m12, m22}. */
    static double[] shapeMatrix(double e1, double e2) {
        double e = Math.hypot(e1, e2);
        if (!(e < 1)) {
            throw new IllegalArgumentException("ellipticity |e| must be < 1, got " + e);
        }
        double q = (1 - e) / (1 + e);
        double c2 = e > 0 ? e1 / e : 1;
        double s2 = e > 0 ? e2 / e : 0;
        // R diag(1/q, q) R^T with cos(2 theta) = c2, sin(2 theta) = s2
        double sum = 0.5 * (1 / q + q);
        double diff = 0.5 * (1 / q - q);
        return new double[] {sum + diff * c2, diff * s2, sum - diff * c2};
    }

    /** Adds a normalised 2D Gaussian of total {@code amp} and covariance [[cxx, cxy], [cxy, cyy]]. */
    static double addGaussian(ImageF image, double x0, double y0, double amp, double cxx, double cxy, double cyy) {
        double det = cxx * cyy - cxy * cxy;
        double qa = cyy / det;
        double qb = -cxy / det;
        double qc = cxx / det;
        double norm = amp / (2 * Math.PI * Math.sqrt(det));
        if (norm <= FLOOR_ELECTRONS) {
            return 0;
        }
        double nSigma = Math.min(TRUNCATION_SIGMA, Math.sqrt(2 * Math.log(norm / FLOOR_ELECTRONS)));
        double hx = nSigma * Math.sqrt(cxx);
        double hy = nSigma * Math.sqrt(cyy);
        int i0 = Math.max(0, (int) Math.ceil(x0 - hx));
        int i1 = Math.min(image.width() - 1, (int) Math.floor(x0 + hx));
        int jLo = Math.max(0, (int) Math.ceil(y0 - hy));
        int jHi = Math.min(image.height() - 1, (int) Math.floor(y0 + hy));
        if (i0 > i1 || jLo > jHi) {
            return 0;
        }
        float[] a = image.array();
        double stepFactor = Math.exp(-qa);
        double rowHalfWidth = nSigma / Math.sqrt(qa);
        double added = 0;
        for (int j = jLo; j <= jHi; j++) {
            double dy = j - y0;
            // this row's part of the ellipse: centred on the conditional mean, +-5 conditional sigma
            double xc = x0 - qb / qa * dy;
            int r0 = Math.max(i0, (int) Math.ceil(xc - rowHalfWidth));
            int r1 = Math.min(i1, (int) Math.floor(xc + rowHalfWidth));
            if (r0 > r1) {
                continue;
            }
            double dx = r0 - x0;
            double v = norm * Math.exp(-0.5 * (qa * dx * dx + 2 * qb * dx * dy + qc * dy * dy));
            double ratio = Math.exp(-0.5 * (qa * (2 * dx + 1) + 2 * qb * dy));
            int row = image.index(0, j);
            for (int i = r0; i <= r1; i++) {
                a[row + i] += (float) v;
                added += v;
                v *= ratio;
                ratio *= stepFactor;
            }
        }
        return added;
    }
}
