package org.lovoccs.imaging.isr;

/**
 * What ISR measured and used for one amplifier; reported as metrics.
 *
 * @param name              amplifier name (A, B)
 * @param overscanMeanAdu   mean over the data rows of the per-row overscan level subtracted, ADU (NaN if overscan
 *                          correction was off)
 * @param overscanNoiseAdu  standard deviation of overscan pixels about their row's level after clipping, ADU (the
 *                          read noise in ADU; NaN if overscan correction was off)
 * @param gain              electrons per ADU applied
 * @param readNoise         read noise used for the variance, electrons
 * @param saturation        SATURAT threshold, ADU
 * @param saturatedPixels   number of data pixels at or above {@code saturation}
 */
public record AmpIsrStats(String name, double overscanMeanAdu, double overscanNoiseAdu, double gain,
                          double readNoise, double saturation, long saturatedPixels) {
}
