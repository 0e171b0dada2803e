package org.lovoccs.imaging.isr;

/** How the bias level of one raw row is estimated from that row of the amplifier's overscan (BIASSEC). */
public enum OverscanStatistic {
    /**
     * Median of the row's overscan pixels (LSST's MEDIAN_PER_ROW). Robust, but on integer ADU data with a read noise
     * of ~1.5 ADU the median of a few tens of values is quantised and biased by up to a few tenths of an ADU, i.e.
     * up to about one electron.
     */
    MEDIAN,
    /**
     * Mean of the row's overscan pixels after clipping those further than {@link IsrConfig#overscanClipSigma()}
     * times the amplifier's overscan noise from the row's median (two passes, the second centred on the first
     * clipped mean). The clipping window is never narrower than ±0.5 ADU (one quantisation step). Unbiased for
     * Gaussian read noise on integer data; the default.
     */
    MEAN_CLIPPED
}
