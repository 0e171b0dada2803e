package org.lovoccs.simulator.instrument;

import java.util.SplittableRandom;

/**
 * Draws the bias level of one amplifier as a function of raw row: a base level uniform in
 * [{@link #MIN_LEVEL_ADU}, {@link #MAX_LEVEL_ADU}] plus a smooth drift (linear + quadratic + one slow sinusoid) whose
 * peak-to-peak amplitude over the CCD is tens of ADU.
 */
public final class BiasModel {

    public static final double MIN_LEVEL_ADU = 300.0;
    public static final double MAX_LEVEL_ADU = 1000.0;

    private BiasModel() {
    }

    /**
     * @param rng  random stream for this amplifier, consumed in a fixed order
     * @param rows number of raw rows (NAXIS2)
     * @return bias in ADU for raw rows 0..rows-1 (row 0 = FITS row 1)
     */
    public static double[] draw(SplittableRandom rng, int rows) {
        double base = MIN_LEVEL_ADU + rng.nextDouble() * (MAX_LEVEL_ADU - MIN_LEVEL_ADU);
        double linear = (10.0 + 20.0 * rng.nextDouble()) * (rng.nextBoolean() ? 1 : -1);
        double quadratic = 20.0 * (rng.nextDouble() - 0.5);
        double waveAmplitude = 3.0 * rng.nextDouble();
        double waveCycles = 0.5 + 1.5 * rng.nextDouble();
        double wavePhase = 2 * Math.PI * rng.nextDouble();
        double[] bias = new double[rows];
        for (int r = 0; r < rows; r++) {
            double t = rows > 1 ? (double) r / (rows - 1) - 0.5 : 0.0;
            bias[r] = base + linear * t + quadratic * (t * t - 1.0 / 12.0)
                    + waveAmplitude * Math.sin(2 * Math.PI * waveCycles * t + wavePhase);
        }
        return bias;
    }
}
