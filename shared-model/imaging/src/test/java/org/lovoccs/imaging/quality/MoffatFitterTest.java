package org.lovoccs.imaging.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.MaskedImage;

/**
 * The Moffat fit's model and its analytic Jacobian: each derivative against a central difference of the model, and
 * the fit of a noiseless elliptical Moffat recovering the parameters it was drawn with.
 */
class MoffatFitterTest {

    @Test
    void analyticJacobianMatchesCentralDifferences() {
        Random rnd = new Random(17);
        int n = 15;
        int m = n * n;
        double[] px = new double[m];
        double[] py = new double[m];
        for (int k = 0; k < m; k++) {
            px[k] = 100 + k % n;
            py[k] = 200 + k / n;
        }
        for (int trial = 0; trial < 20; trial++) {
            double[] p = {1000 + 9000 * rnd.nextDouble(), 107 + rnd.nextDouble(), 207 + rnd.nextDouble(),
                1.5 + 3 * rnd.nextDouble(), 1.5 + 4 * rnd.nextDouble(), 0.4 * (rnd.nextDouble() - 0.5),
                0.4 * (rnd.nextDouble() - 0.5)};
            double[] model = new double[m];
            double[][] jac = new double[7][m];
            MoffatFitter.evaluate(p, px, py, m, model, jac);
            for (int a = 0; a < 7; a++) {
                double h = a == 0 ? 1e-3 * p[0] : 1e-6;
                double[] up = p.clone();
                double[] down = p.clone();
                up[a] += h;
                down[a] -= h;
                double[] mu = new double[m];
                double[] md = new double[m];
                MoffatFitter.evaluate(up, px, py, m, mu, null);
                MoffatFitter.evaluate(down, px, py, m, md, null);
                double scale = 0;
                double worst = 0;
                for (int k = 0; k < m; k++) {
                    double numeric = (mu[k] - md[k]) / (2 * h);
                    scale = Math.max(scale, Math.abs(numeric));
                    worst = Math.max(worst, Math.abs(numeric - jac[a][k]));
                }
                assertTrue(scale > 0, "parameter " + a + " moves the model");
                assertTrue(worst <= 1e-6 * scale, "parameter " + a + " of trial " + trial + ": analytic derivative"
                        + " off by " + worst + " of " + scale);
            }
        }
    }

    @Test
    void fitsANoiselessEllipticalMoffat() {
        int size = 41;
        MaskedImage e = MaskedImage.allocate(size, size);
        double[] truth = {8000, 20.3, 19.6, 3.1, 3.4, 0.06, -0.04};
        int m = size * size;
        double[] px = new double[m];
        double[] py = new double[m];
        for (int k = 0; k < m; k++) {
            px[k] = k % size;
            py[k] = k / size;
        }
        double[] model = new double[m];
        MoffatFitter.evaluate(truth, px, py, m, model, null);
        for (int k = 0; k < m; k++) {
            e.image().array()[k] = (float) model[k];
            e.variance().array()[k] = 1f;
        }
        MoffatFit fit = MoffatFitter.fit(e, 20, 20, 15, 5.0);
        assertNotNull(fit);
        assertTrue(fit.converged(), fit.toString());
        assertEquals(truth[1], fit.x(), 1e-4, "x");
        assertEquals(truth[2], fit.y(), 1e-4, "y");
        assertEquals(truth[3], fit.alpha(), 1e-3, "alpha");
        assertEquals(truth[4], fit.beta(), 1e-3, "beta");
        assertEquals(truth[5], fit.e1(), 1e-4, "e1");
        assertEquals(truth[6], fit.e2(), 1e-4, "e2");
        assertEquals(truth[0], fit.amplitude(), 1e-3 * truth[0], "amplitude");
    }
}
