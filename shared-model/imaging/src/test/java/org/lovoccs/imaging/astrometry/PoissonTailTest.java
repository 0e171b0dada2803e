package org.lovoccs.imaging.astrometry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The matcher's false-alarm probability rests on P(X &gt;= k) for X ~ Poisson(lambda). Checked against the tail
 * summed term by term in double (where it does not underflow) and against values worked by hand.
 */
class PoissonTailTest {

    /** 1 - sum_{j &lt; k} e^-lambda lambda^j / j!, by the direct sum over j &gt;= k (200 terms). */
    private static double direct(int k, double lambda) {
        double term = Math.exp(-lambda);
        double tail = 0;
        for (int j = 0; j < k + 200; j++) {
            if (j >= k) {
                tail += term;
            }
            term *= lambda / (j + 1);
        }
        return tail;
    }

    @Test
    void tailAgreesWithTheDirectSum() {
        for (double lambda : new double[] {0.01, 0.1, 0.5, 1, 3, 7.5, 20, 60}) {
            for (int k = 0; k <= 80; k++) {
                double d = direct(k, lambda);
                if (d < 1e-280) {
                    continue;
                }
                double ours = AstrometryFitter.log10PoissonTail(k, lambda);
                assertEquals(Math.log10(d), ours, 1e-9 + 1e-9 * Math.abs(Math.log10(d)),
                        "lambda " + lambda + ", k " + k);
            }
        }
    }

    @Test
    void handWorkedValues() {
        // P(X >= 1) = 1 - e^-lambda
        assertEquals(Math.log10(1 - Math.exp(-0.2)), AstrometryFitter.log10PoissonTail(1, 0.2), 1e-12);
        // P(X >= 6 | 0.02) ~ 0.02^6 / 720 (next term 0.02/7 smaller)
        assertEquals(Math.log10(Math.pow(0.02, 6) / 720 * Math.exp(-0.02) * (1 + 0.02 / 7)),
                AstrometryFitter.log10PoissonTail(6, 0.02), 1e-4);
        assertEquals(0.0, AstrometryFitter.log10PoissonTail(0, 5.0));
        assertEquals(Double.NEGATIVE_INFINITY, AstrometryFitter.log10PoissonTail(3, 0.0));
        // far in the tail, where the probability underflows a double: still finite and falling
        double far = AstrometryFitter.log10PoissonTail(400, 0.5);
        assertEquals(true, far < -700 && far > -1000, "log10 P(X >= 400 | 0.5) = " + far);
    }
}
