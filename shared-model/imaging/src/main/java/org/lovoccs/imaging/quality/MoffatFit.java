package org.lovoccs.imaging.quality;

/**
 * An elliptical Moffat profile fitted to one star: I(d) = amplitude (1 + d^T S^-1 d / alpha^2)^-beta, with d the
 * offset from (x, y) and S the unit-determinant shape of distortion (e1, e2):
 * S = [[1 + e1, e2], [e2, 1 - e1]] / sqrt(1 - e1^2 - e2^2). The isophotes are ellipses of axis ratio
 * q = sqrt((1 - |e|) / (1 + |e|)), and the FWHM given is the geometric mean of the major and minor ones.
 *
 * @param x         centre column, 0-based
 * @param y         centre row, 0-based
 * @param amplitude peak, image units
 * @param alpha     core width, pixels
 * @param beta      wing index
 * @param e1        distortion e1 = (a^2 - b^2) / (a^2 + b^2) cos 2 theta
 * @param e2        distortion e2
 * @param chi2dof   reduced chi^2 of the fit against the variance plane
 * @param converged whether the fit converged
 */
public record MoffatFit(double x, double y, double amplitude, double alpha, double beta, double e1, double e2,
                        double chi2dof, boolean converged) {

    /** The FWHM (geometric mean of major and minor), pixels: 2 alpha sqrt(2^(1/beta) - 1). */
    public double fwhm() {
        return 2 * alpha * Math.sqrt(Math.pow(2, 1 / beta) - 1);
    }

    /** |e|, the distortion (a^2 - b^2) / (a^2 + b^2) of the isophotes. */
    public double ellipticity() {
        return Math.hypot(e1, e2);
    }
}
