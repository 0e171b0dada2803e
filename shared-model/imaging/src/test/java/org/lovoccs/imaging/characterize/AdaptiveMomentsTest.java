package org.lovoccs.imaging.characterize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lovoccs.imaging.ImageF;

/**
 * Adaptive moments of noiseless elliptical Gaussians sampled at pixel centres: the matched weight is the object's
 * covariance whatever the shape, as long as it is sampled (a minor-axis sigma of 1.4 px or more: the sampling, the
 * q &gt; 32 cut and the float pixels leave errors below 1e-7). So the weights evaluated by recurrence along each row
 * must be those of exp at every pixel.
 */
class AdaptiveMomentsTest {

    private static ImageF gaussian(int w, int h, double xc, double yc, double cxx, double cyy, double cxy,
                                   double flux) {
        ImageF im = new ImageF(w, h);
        double det = cxx * cyy - cxy * cxy;
        double ixx = cyy / det;
        double iyy = cxx / det;
        double ixy = -cxy / det;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double dx = x - xc;
                double dy = y - yc;
                double q = ixx * dx * dx + 2 * ixy * dx * dy + iyy * dy * dy;
                im.set(x, y, (float) (flux / (2 * Math.PI * Math.sqrt(det)) * Math.exp(-0.5 * q)));
            }
        }
        return im;
    }

    @ParameterizedTest(name = "Ixx {2}, Iyy {3}, Ixy {4}")
    @CsvSource({
        "40.3, 37.6, 3.2, 3.2, 0.0",     // round, off-centre start
        "40.0, 40.0, 9.0, 2.5, 0.0",     // elongated along x
        "40.5, 39.5, 12.0, 12.0, 9.6",   // correlation 0.8: rows start far out in q
        "40.2, 40.7, 4.0, 14.0, -5.0",   // elongated, negative correlation
    })
    void matchedMomentsAreTheGaussiansCovariance(double xc, double yc, double cxx, double cyy, double cxy) {
        ImageF im = gaussian(81, 81, xc, yc, cxx, cyy, cxy, 1e5);
        AdaptiveMoments.Result m = AdaptiveMoments.measure(im, Math.rint(xc), Math.rint(yc), 2.0, 20, 200, 1e-9);
        assertTrue(m.converged(), m.toString());
        assertFalse(m.truncated(), m.toString());
        assertEquals(xc, m.x(), 1e-6, m.toString());
        assertEquals(yc, m.y(), 1e-6, m.toString());
        assertEquals(cxx, m.ixx(), 1e-6 * cxx, m.toString());
        assertEquals(cyy, m.iyy(), 1e-6 * cyy, m.toString());
        assertEquals(cxy, m.ixy(), 1e-6 * Math.sqrt(cxx * cyy), m.toString());
    }

    @ParameterizedTest(name = "Ixx {0}, Iyy {1}, Ixy {2}")
    @CsvSource({"3.2, 3.2, 0.0", "12.0, 12.0, 9.6"})
    void badPixelsInTheWingsDoNotDisturbTheWeightsAlongTheirRows(double cxx, double cyy, double cxy) {
        double xc = 40.25;
        double yc = 39.75;
        ImageF im = gaussian(81, 81, xc, yc, cxx, cyy, cxy, 1e5);
        // NaN where the matched weight times the object is below e^-18 of the peak (q > 18 for each): a few 1e-8 of
        // the sums, but among the first pixels of many rows the weight is computed for
        double det = cxx * cyy - cxy * cxy;
        int bad = 0;
        for (int y = 0; y < 81; y++) {
            for (int x = 0; x < 81; x++) {
                double dx = x - xc;
                double dy = y - yc;
                double q = (cyy * dx * dx - 2 * cxy * dx * dy + cxx * dy * dy) / det;
                if (q > 18 && q < 30) {
                    im.set(x, y, Float.NaN);
                    bad++;
                }
            }
        }
        assertTrue(bad > 80, "bad pixels: " + bad);
        AdaptiveMoments.Result m = AdaptiveMoments.measure(im, 40, 40, 2.0, 20, 200, 1e-9);
        assertTrue(m.converged(), m.toString());
        assertEquals(cxx, m.ixx(), 1e-6 * cxx, m.toString());
        assertEquals(cyy, m.iyy(), 1e-6 * cyy, m.toString());
        assertEquals(cxy, m.ixy(), 1e-6 * Math.sqrt(cxx * cyy), m.toString());
        assertEquals(xc, m.x(), 1e-6, m.toString());
        assertEquals(yc, m.y(), 1e-6, m.toString());
    }
}
