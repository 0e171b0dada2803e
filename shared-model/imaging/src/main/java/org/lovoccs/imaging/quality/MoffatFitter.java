package org.lovoccs.imaging.quality;

import org.lovoccs.imaging.MaskPlane;
import org.lovoccs.imaging.MaskedImage;

/**
 * Fits an elliptical {@link MoffatFit Moffat} profile to a star on a background-subtracted exposure (check_visit's
 * PSF measure), by Levenberg-Marquardt over (amplitude, x, y, alpha, beta, e1, e2) on a square stamp, weighting each
 * pixel by its variance and leaving masked ones out. The model is integrated over each pixel (3 x 3 samples), so the
 * fitted FWHM is the PSF's and not the PSF broadened by the pixel.
 */
public final class MoffatFitter {

    private static final int SUB = 3;
    private static final int NPAR = 7;
    private static final int MASKED = MaskPlane.BAD.bitmask() | MaskPlane.SAT.bitmask() | MaskPlane.CR.bitmask()
            | MaskPlane.NO_DATA.bitmask() | MaskPlane.INTRP.bitmask();

    private MoffatFitter() {
    }

    /**
     * @param x0        starting centre column
     * @param y0        starting centre row
     * @param halfSize  stamp half-width, pixels (the stamp is 2 halfSize + 1 square)
     * @param fwhmGuess starting FWHM, pixels
     * @return the fit, or null when the stamp leaves the image or holds too few unmasked pixels
     */
    public static MoffatFit fit(MaskedImage e, double x0, double y0, int halfSize, double fwhmGuess) {
        return fit(e, x0, y0, halfSize, fwhmGuess, 0);
    }

    /**
     * The same on an image whose zero level is {@code pedestal} (a calexp's residual sky, calibrate's BKGOFFS): the
     * profile has no background term, so a pedestal left in would be fitted as wings and widen the FWHM.
     */
    public static MoffatFit fit(MaskedImage e, double x0, double y0, int halfSize, double fwhmGuess, double pedestal) {
        int cx = (int) Math.round(x0);
        int cy = (int) Math.round(y0);
        if (cx - halfSize < 0 || cy - halfSize < 0 || cx + halfSize >= e.width() || cy + halfSize >= e.height()) {
            return null;
        }
        int n = 2 * halfSize + 1;
        double[] px = new double[n * n];
        double[] py = new double[n * n];
        double[] v = new double[n * n];
        double[] wgt = new double[n * n];
        int m = 0;
        double peak = 0;
        for (int j = -halfSize; j <= halfSize; j++) {
            for (int i = -halfSize; i <= halfSize; i++) {
                int k = (cy + j) * e.width() + cx + i;
                float var = e.variance().array()[k];
                if ((e.mask().array()[k] & MASKED) != 0 || !(var > 0)) {
                    continue;
                }
                px[m] = cx + i;
                py[m] = cy + j;
                v[m] = e.image().array()[k] - pedestal;
                wgt[m] = 1.0 / var;
                peak = Math.max(peak, v[m]);
                m++;
            }
        }
        if (m < 3 * NPAR || !(peak > 0)) {
            return null;
        }
        double beta0 = 3.0;
        double alpha0 = fwhmGuess / (2 * Math.sqrt(Math.pow(2, 1 / beta0) - 1));
        double[] p = {peak, x0, y0, alpha0, beta0, 0, 0};
        double lambda = 1e-3;
        boolean converged = false;
        // the model and its derivatives at p; a trial step is evaluated with its derivatives too, so that an
        // accepted one (most are) is not evaluated again by the next iteration
        double[] model = new double[m];
        double[][] jac = new double[NPAR][m];
        evaluate(p, px, py, m, model, jac);
        double chi2 = chi2(model, v, wgt, m);
        double[] trialModel = new double[m];
        double[][] trialJac = new double[NPAR][m];
        for (int it = 0; it < 100; it++) {
            double[][] jtj = new double[NPAR][NPAR];
            double[] jtr = new double[NPAR];
            for (int k = 0; k < m; k++) {
                double r = v[k] - model[k];
                for (int a = 0; a < NPAR; a++) {
                    jtr[a] += jac[a][k] * wgt[k] * r;
                    for (int b = 0; b <= a; b++) {
                        jtj[a][b] += jac[a][k] * wgt[k] * jac[b][k];
                    }
                }
            }
            for (int a = 0; a < NPAR; a++) {
                for (int b = a + 1; b < NPAR; b++) {
                    jtj[a][b] = jtj[b][a];
                }
            }
            boolean improved = false;
            for (int tries = 0; tries < 10 && !improved; tries++) {
                double[][] aug = new double[NPAR][NPAR];
                for (int a = 0; a < NPAR; a++) {
                    aug[a] = jtj[a].clone();
                    aug[a][a] *= 1 + lambda;
                }
                double[] d = org.lovoccs.imaging.LinearSystem.solve(aug, jtr);
                if (d == null) {
                    lambda *= 10;
                    continue;
                }
                double[] q = p.clone();
                for (int a = 0; a < NPAR; a++) {
                    q[a] += d[a];
                }
                if (!valid(q)) {
                    lambda *= 10;
                    continue;
                }
                evaluate(q, px, py, m, trialModel, trialJac);
                double c = chi2(trialModel, v, wgt, m);
                if (c < chi2) {
                    double rel = (chi2 - c) / chi2;
                    p = q;
                    chi2 = c;
                    double[] swapModel = model;
                    model = trialModel;
                    trialModel = swapModel;
                    double[][] swapJac = jac;
                    jac = trialJac;
                    trialJac = swapJac;
                    lambda = Math.max(lambda / 10, 1e-9);
                    improved = true;
                    if (rel < 1e-9) {
                        converged = true;
                    }
                } else {
                    lambda *= 10;
                }
            }
            if (!improved) {
                converged = lambda > 1e6 || converged;
                break;
            }
            if (converged) {
                break;
            }
        }
        return new MoffatFit(p[1], p[2], p[0], p[3], p[4], p[5], p[6], chi2 / Math.max(1, m - NPAR), converged);
    }

    private static boolean valid(double[] p) {
        return p[0] > 0 && p[3] > 0.1 && p[4] > 0.8 && p[4] < 50 && p[5] * p[5] + p[6] * p[6] < 0.8;
    }

    private static double chi2(double[] model, double[] v, double[] w, int m) {
        double c = 0;
        for (int k = 0; k < m; k++) {
            double r = v[k] - model[k];
            c += r * r * w[k];
        }
        return c;
    }

    /**
     * The model integrated over each pixel by SUB x SUB samples into {@code out}, and, when {@code jac} is not null,
     * its derivatives with respect to the 7 parameters ({@code jac[a][k]}), analytic: the profile (1 + q)^-beta is
     * evaluated as exp(-beta ln(1 + q)), and ln(1 + q) serves the derivative in beta too. One pass gives what a
     * forward-difference Jacobian needed 8 passes (and 8 pow per sample) for.
     */
    static void evaluate(double[] p, double[] px, double[] py, int m, double[] out, double[][] jac) {
        double amp = p[0];
        double x0 = p[1];
        double y0 = p[2];
        double alpha = p[3];
        double ia2 = 1.0 / (alpha * alpha);
        double beta = p[4];
        double e1 = p[5];
        double e2 = p[6];
        double n2 = Math.max(1e-12, 1 - e1 * e1 - e2 * e2);
        double norm = Math.sqrt(n2);
        // S^-1 for S = [[1 + e1, e2], [e2, 1 - e1]] / norm, det(S) = 1
        double s11 = (1 - e1) / norm;
        double s22 = (1 + e1) / norm;
        double s12 = -e2 / norm;
        double inv = 1.0 / (SUB * SUB);
        for (int k = 0; k < m; k++) {
            double sum = 0;
            double dx0 = 0;
            double dy0 = 0;
            double dAlpha = 0;
            double dBeta = 0;
            double dE1 = 0;
            double dE2 = 0;
            for (int sj = 0; sj < SUB; sj++) {
                double dy = py[k] + (sj + 0.5) / SUB - 0.5 - y0;
                for (int si = 0; si < SUB; si++) {
                    double dx = px[k] + (si + 0.5) / SUB - 0.5 - x0;
                    double q = (s11 * dx * dx + 2 * s12 * dx * dy + s22 * dy * dy) * ia2;
                    double log = Math.log(1 + q);
                    double f = Math.exp(-beta * log);
                    sum += f;
                    if (jac != null) {
                        // df/dq, then q's derivatives; q = A ia2 / norm with A = dx^2 + dy^2 - e1 (dx^2 - dy^2)
                        // - 2 e2 dx dy, and d(norm)/d(e) = -e / norm
                        double g = -beta * f / (1 + q);
                        dx0 += g * -2 * (s11 * dx + s12 * dy) * ia2;
                        dy0 += g * -2 * (s12 * dx + s22 * dy) * ia2;
                        dAlpha += g * q * (-2 / alpha);
                        dBeta += -log * f;
                        double a = (dx * dx + dy * dy) - e1 * (dx * dx - dy * dy) - 2 * e2 * dx * dy;
                        dE1 += g * ((-(dx * dx - dy * dy) + a * e1 / n2) / norm) * ia2;
                        dE2 += g * ((-2 * dx * dy + a * e2 / n2) / norm) * ia2;
                    }
                }
            }
            out[k] = amp * sum * inv;
            if (jac != null) {
                jac[0][k] = sum * inv;
                jac[1][k] = amp * dx0 * inv;
                jac[2][k] = amp * dy0 * inv;
                jac[3][k] = amp * dAlpha * inv;
                jac[4][k] = amp * dBeta * inv;
                jac[5][k] = amp * dE1 * inv;
                jac[6][k] = amp * dE2 * inv;
            }
        }
    }
}
