package org.lovoccs.imaging.isr;

import java.util.Arrays;

import org.lovoccs.imaging.PixelBox;
import org.lovoccs.imaging.raw.Amplifier;
import org.lovoccs.imaging.raw.RawFormatException;

/** Per-row overscan levels of one amplifier; see {@link OverscanStatistic} and {@link IsrConfig}. */
final class OverscanEstimator {

    private static final double MAD_TO_SIGMA = 1.4826;
    private static final double MIN_WINDOW_ADU = 0.5;
    private static final int MIN_COLUMNS = 3;

    /**
     * @param levels    level in ADU for each row of the amplifier's data section (index 0 = first data row)
     * @param meanLevel mean of {@code levels}, ADU
     * @param noise     clipped standard deviation of the overscan pixels about their row level, ADU
     */
    record Fit(double[] levels, double meanLevel, double noise) {
    }

    private OverscanEstimator() {
    }

    static Fit estimate(int[] pixels, int rawWidth, Amplifier amp, IsrConfig config, String hdu) {
        PixelBox d = amp.dataBox();
        PixelBox b = amp.biasBox();
        int c0 = b.x0();
        int c1 = b.maxX();
        if (c0 > d.maxX()) {
            c0 += config.overscanSkipColumns();
        } else if (c1 < d.x0()) {
            c1 -= config.overscanSkipColumns();
        }
        int n = c1 - c0 + 1;
        if (n < MIN_COLUMNS) {
            String key = "BIASSEC" + amp.name();
            throw new RawFormatException(hdu, key, key + "='" + amp.bias() + "' leaves " + Math.max(n, 0)
                    + " overscan columns after skipping " + config.overscanSkipColumns()
                    + " next to the data; at least " + MIN_COLUMNS + " are needed");
        }
        int rows = d.height();
        double[] levels = new double[rows];
        float[] absResiduals = new float[rows * n];
        double[] row = new double[n];
        for (int j = 0; j < rows; j++) {
            int base = (d.y0() + j) * rawWidth + c0;
            for (int k = 0; k < n; k++) {
                row[k] = pixels[base + k];
            }
            Arrays.sort(row);
            double median = (n & 1) == 1 ? row[n / 2] : 0.5 * (row[n / 2 - 1] + row[n / 2]);
            levels[j] = median;
            for (int k = 0; k < n; k++) {
                absResiduals[j * n + k] = (float) Math.abs(pixels[base + k] - median);
            }
        }
        double rms = rms(absResiduals);
        double sigma = MAD_TO_SIGMA * median(absResiduals);
        if (sigma == 0) {
            sigma = rms;
        }
        double window = Math.max(config.overscanClipSigma() * sigma, MIN_WINDOW_ADU);

        if (config.overscanStatistic() == OverscanStatistic.MEAN_CLIPPED) {
            for (int j = 0; j < rows; j++) {
                int base = (d.y0() + j) * rawWidth + c0;
                double centre = levels[j];
                for (int pass = 0; pass < 2; pass++) {
                    double sum = 0;
                    int kept = 0;
                    for (int k = 0; k < n; k++) {
                        double v = pixels[base + k];
                        if (Math.abs(v - centre) <= window) {
                            sum += v;
                            kept++;
                        }
                    }
                    if (kept > 0) {
                        centre = sum / kept;
                    }
                }
                levels[j] = centre;
            }
        }

        double sumSq = 0;
        long dof = 0;
        double sumLevels = 0;
        for (int j = 0; j < rows; j++) {
            int base = (d.y0() + j) * rawWidth + c0;
            double level = levels[j];
            sumLevels += level;
            int kept = 0;
            for (int k = 0; k < n; k++) {
                double r = pixels[base + k] - level;
                if (Math.abs(r) <= window) {
                    sumSq += r * r;
                    kept++;
                }
            }
            dof += Math.max(kept - 1, 0);
        }
        double noise = dof > 0 ? Math.sqrt(sumSq / dof) : Double.NaN;
        return new Fit(levels, rows > 0 ? sumLevels / rows : Double.NaN, noise);
    }

    /** Median of {@code values}, which are sorted in place. */
    private static double median(float[] values) {
        if (values.length == 0) {
            return 0;
        }
        Arrays.sort(values);
        int n = values.length;
        return (n & 1) == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
    }

    private static double rms(float[] values) {
        double s = 0;
        for (float v : values) {
            s += (double) v * v;
        }
        return values.length > 0 ? Math.sqrt(s / values.length) : 0;
    }
}
