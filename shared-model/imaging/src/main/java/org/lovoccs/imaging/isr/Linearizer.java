package org.lovoccs.imaging.isr;

import java.util.Map;

/**
 * The non-linearity of each amplifier (the curated {@code linearizer} calibration), as the measured signal m(t) of
 * the true signal t, both in ADU above bias:
 * <pre>
 *   m(t) = t - alpha t^2 / S - delta tau (1 - exp(-t / tau))   (t >= 0; S = 50000 ADU)
 *   m(t) = (1 - delta) t                                       (t < 0)
 * </pre>
 * Correction takes m back to t by Newton's method (m is increasing and C1 far beyond saturation).
 */
public record Linearizer(Map<String, Params> byAmp) {

    /** Reference signal of the quadratic term, ADU. */
    public static final double S = 50000.0;

    /** alpha: fractional deficit alpha t / S; delta, tau: low-signal deficit and its scale (ADU). */
    public record Params(double alpha, double delta, double tau) {

        public double measured(double t) {
            if (t < 0) {
                return (1.0 - delta) * t;
            }
            return t - alpha * t * t / S + delta * tau * Math.expm1(-t / tau);
        }

        double derivative(double t) {
            if (t < 0) {
                return 1.0 - delta;
            }
            return 1.0 - 2.0 * alpha * t / S - delta * Math.exp(-t / tau);
        }

        /** The true signal of a measured one (ADU), to 1e-6 ADU. */
        public double linear(double m) {
            if (m < 0) {
                return m / (1.0 - delta);
            }
            double t = m;
            for (int k = 0; k < 50; k++) {
                double step = (measured(t) - m) / derivative(t);
                t -= step;
                if (Math.abs(step) < 1e-6) {
                    break;
                }
            }
            return t;
        }
    }

    public Linearizer {
        byAmp = Map.copyOf(byAmp);
    }
}
