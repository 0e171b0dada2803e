package org.lovoccs.simulator.instrument;

import java.util.SplittableRandom;

import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.PixelBox;

/**
 * The non-linearity of one amplifier: measured signal {@code m = f(t)} of the true (linear) signal {@code t}, both in
 * ADU above bias.
 * <pre>
 *   f(t) = t - alpha t^2 / S - delta tau (1 - exp(-t / tau))     for t >= 0, S = 50000 ADU
 *   f(t) = (1 - delta) t                                        for t <  0 (the tangent at 0)
 * </pre>
 * The quadratic term makes bright pixels read low by {@code alpha t / S} (alpha in [0.001, 0.004]: 0.08-0.32% at
 * 40000 ADU); the exponential term makes faint pixels read low by a fraction up to {@code delta} (delta in [0.005,
 * 0.02], tau in [50, 200] ADU), saturating at {@code delta tau} ADU above a few tau. {@code f} is C1, strictly
 * increasing for {@code t < S (1 - delta) / (2 alpha)} (above 2 million ADU), so {@link #trueAdu} is its exact
 * inverse. Parameters are drawn per amplifier from {@code stream(instrumentSeed, NON_LINEARITY, ccdNum, amp)}.
 *
 * @param alpha quadratic coefficient (dimensionless, deviation alpha at t = S)
 * @param delta low-signal fractional deficit at t -> 0
 * @param tau   low-signal scale, ADU
 */
public record NonLinearity(double alpha, double delta, double tau) {

    /** Reference signal of the quadratic term, ADU. */
    public static final double S = 50000.0;

    public NonLinearity {
        if (!(alpha >= 0 && delta >= 0 && delta < 1 && tau > 0)) {
            throw new IllegalArgumentException("bad non-linearity " + alpha + ", " + delta + ", " + tau);
        }
    }

    /** The identity. */
    public static NonLinearity linear() {
        return new NonLinearity(0.0, 0.0, 1.0);
    }

    /** The amplifier's parameters for the campaign. */
    public static NonLinearity draw(long instrumentSeed, int ccdNum, String amp) {
        SplittableRandom rng = InstrumentStreams.stream(instrumentSeed, InstrumentStreams.NON_LINEARITY, ccdNum,
                amp.hashCode());
        return new NonLinearity(0.001 + 0.003 * rng.nextDouble(), 0.005 + 0.015 * rng.nextDouble(),
                50.0 + 150.0 * rng.nextDouble());
    }

    /** Measured ADU of a true signal {@code t} ADU. */
    public double measuredAdu(double t) {
        if (t < 0) {
            return (1.0 - delta) * t;
        }
        return t - alpha * t * t / S + delta * tau * Math.expm1(-t / tau);
    }

    /** df/dt. */
    public double derivative(double t) {
        if (t < 0) {
            return 1.0 - delta;
        }
        return 1.0 - 2.0 * alpha * t / S - delta * Math.exp(-t / tau);
    }

    /**
     * The true signal whose measured value is {@code m}: Newton's method from {@code t = m}, to 1e-9 ADU relative
     * (at most 100 iterations; converges in a few).
     *
     * @throws IllegalArgumentException if {@code m} is above the maximum of f
     */
    public double trueAdu(double m) {
        if (m < 0) {
            return m / (1.0 - delta);
        }
        if (alpha > 0 && m > measuredAdu(S * (1 - delta) / (2 * alpha))) {
            throw new IllegalArgumentException("measured signal " + m + " ADU beyond the non-linearity's range");
        }
        double t = m;
        for (int k = 0; k < 100; k++) {
            double step = (measuredAdu(t) - m) / derivative(t);
            t -= step;
            if (Math.abs(step) <= 1e-12 * Math.max(1.0, Math.abs(t))) {
                break;
            }
        }
        return t;
    }

    /** Replaces every pixel of {@code box} in {@code adu} (true signal above bias, ADU) with its measured value. */
    public void applyTo(ImageF adu, PixelBox box) {
        float[] a = adu.array();
        for (int y = box.y0(); y <= box.maxY(); y++) {
            int base = adu.index(box.x0(), y);
            for (int x = 0; x < box.width(); x++) {
                a[base + x] = (float) measuredAdu(a[base + x]);
            }
        }
    }
}
