package org.lovoccs.simulator.instrument;

import java.util.List;

import org.lovoccs.imaging.ImageF;

/**
 * Applies the crosstalk between the amplifiers of one CCD to its signal in ADU above bias (before bias and read noise
 * are added): for each term, every victim pixel at readout position (i, j) gains {@code coefficient} times the
 * source amplifier's signal at the same readout position (i, j) (see {@link ReadoutAmp}). For DECam this maps source
 * pixel (x, y) of amplifier B to victim pixel (2047 - x, y) of A and back. All terms use the signal before any
 * crosstalk was added (no second-order terms). Source pixels are not clipped at saturation.
 */
public final class IntraCcdCrosstalk {

    private IntraCcdCrosstalk() {
    }

    /**
     * @param signalAdu assembled CCD, ADU above bias (modified)
     * @param amps      the CCD's amplifiers; all must have the same readout size
     * @param terms     the intra-CCD terms (e.g. {@link CrosstalkTable#intraCcd(int)}); terms naming amplifiers not in
     *                  {@code amps} are refused
     */
    public static void apply(ImageF signalAdu, List<ReadoutAmp> amps, List<CrosstalkTerm> terms) {
        int n = amps.size();
        if (n == 0 || terms.isEmpty()) {
            return;
        }
        int w = amps.get(0).box().width();
        int h = amps.get(0).box().height();
        for (ReadoutAmp a : amps) {
            if (a.box().width() != w || a.box().height() != h) {
                throw new IllegalArgumentException("amplifiers of different sizes: " + amps);
            }
        }
        int m = terms.size();
        int[] victim = new int[m];
        int[] source = new int[m];
        double[] coeff = new double[m];
        for (int t = 0; t < m; t++) {
            CrosstalkTerm term = terms.get(t);
            if (!term.isIntraCcd()) {
                throw new IllegalArgumentException("not an intra-CCD term: " + term);
            }
            victim[t] = amps.indexOf(ReadoutAmp.named(amps, term.victimAmp()));
            source[t] = amps.indexOf(ReadoutAmp.named(amps, term.sourceAmp()));
            coeff[t] = term.coefficient();
        }
        float[] a = signalAdu.array();
        float[][] row = new float[n][w];
        for (int j = 0; j < h; j++) {
            for (int k = 0; k < n; k++) {
                ReadoutAmp amp = amps.get(k);
                int y = amp.y(j);
                for (int i = 0; i < w; i++) {
                    row[k][i] = a[signalAdu.index(amp.x(i), y)];
                }
            }
            for (int t = 0; t < m; t++) {
                ReadoutAmp v = amps.get(victim[t]);
                float[] s = row[source[t]];
                int y = v.y(j);
                double c = coeff[t];
                for (int i = 0; i < w; i++) {
                    int idx = signalAdu.index(v.x(i), y);
                    a[idx] = (float) (a[idx] + c * s[i]);
                }
            }
        }
    }
}
