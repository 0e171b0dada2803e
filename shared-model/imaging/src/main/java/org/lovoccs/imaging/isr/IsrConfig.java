package org.lovoccs.imaging.isr;

/**
 * Which instrument-signature-removal steps {@link IsrTask} applies, and how.
 *
 * @param doOverscan          subtract a per-row overscan level from each amplifier (else the bias stays in)
 * @param overscanStatistic   per-row estimator of the overscan level
 * @param overscanSkipColumns number of overscan columns next to the data that are ignored (they can hold charge
 *                            trailing out of the last data columns); at least 3 columns must remain
 * @param overscanClipSigma   clipping threshold for {@link OverscanStatistic#MEAN_CLIPPED} and for the overscan
 *                            noise figure, in units of the amplifier's robust overscan noise
 * @param doAssemble          trim the amplifiers' data sections and assemble them into the CCD (TRIMSEC size);
 *                            otherwise the output keeps the raw HDU's size with NaN and NO_DATA outside the data
 * @param doVariance          compute the variance plane (else it is all NaN)
 * @param doSaturation        set the SAT mask plane where the raw ADU is at or above the amplifier's SATURAT
 */
public record IsrConfig(boolean doOverscan, OverscanStatistic overscanStatistic, int overscanSkipColumns,
                        double overscanClipSigma, boolean doAssemble, boolean doVariance, boolean doSaturation) {

    public IsrConfig {
        if (overscanStatistic == null) {
            throw new IllegalArgumentException("overscanStatistic is required");
        }
        if (overscanSkipColumns < 0) {
            throw new IllegalArgumentException("overscanSkipColumns must be >= 0");
        }
        if (!(overscanClipSigma > 0)) {
            throw new IllegalArgumentException("overscanClipSigma must be > 0");
        }
    }

    /** All steps on; MEAN_CLIPPED overscan, 2 skipped columns, 3-sigma clipping. */
    public static IsrConfig defaults() {
        return new IsrConfig(true, OverscanStatistic.MEAN_CLIPPED, 2, 3.0, true, true, true);
    }

    public IsrConfig withOverscan(boolean on) {
        return new IsrConfig(on, overscanStatistic, overscanSkipColumns, overscanClipSigma, doAssemble, doVariance,
                doSaturation);
    }

    public IsrConfig withOverscanStatistic(OverscanStatistic statistic) {
        return new IsrConfig(doOverscan, statistic, overscanSkipColumns, overscanClipSigma, doAssemble, doVariance,
                doSaturation);
    }

    public IsrConfig withOverscanSkipColumns(int columns) {
        return new IsrConfig(doOverscan, overscanStatistic, columns, overscanClipSigma, doAssemble, doVariance,
                doSaturation);
    }

    public IsrConfig withAssemble(boolean on) {
        return new IsrConfig(doOverscan, overscanStatistic, overscanSkipColumns, overscanClipSigma, on, doVariance,
                doSaturation);
    }

    public IsrConfig withVariance(boolean on) {
        return new IsrConfig(doOverscan, overscanStatistic, overscanSkipColumns, overscanClipSigma, doAssemble, on,
                doSaturation);
    }

    public IsrConfig withSaturation(boolean on) {
        return new IsrConfig(doOverscan, overscanStatistic, overscanSkipColumns, overscanClipSigma, doAssemble,
                doVariance, on);
    }
}
