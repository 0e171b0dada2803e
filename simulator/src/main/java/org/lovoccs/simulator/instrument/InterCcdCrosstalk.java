package org.lovoccs.simulator.instrument;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.lovoccs.imaging.ImageF;

/**
 * Applies the crosstalk from the amplifiers of other CCDs of the same exposure to one CCD's signal in ADU above bias
 * (the stage {@link IntraCcdCrosstalk} works at: after gain and non-linearity, before bias and read noise): for each
 * term, every victim pixel at readout position (i, j) gains {@code coefficient} times the source CCD amplifier's
 * signal at the same readout position (see {@link ReadoutAmp}; all DECam CCDs share one layout, so the readout
 * positions of victim and source are given by the same amplifier list). Sources are the other CCDs' signals before
 * any crosstalk was added to them (no second-order terms), including their saturated cores and bleed trails (charge
 * at full well); they are not clipped at saturation.
 */
public final class InterCcdCrosstalk {

    private InterCcdCrosstalk() {
    }

    /**
     * @param signalAdu the victim CCD, ADU above bias (modified)
     * @param amps      the CCDs' amplifiers (the same layout for victim and sources)
     * @param terms     inter-CCD terms whose victim is this CCD (e.g. {@link CrosstalkTable#interCcd(int)})
     * @param sources   other CCDs' signals (ADU above bias, before crosstalk) by CCDNUM; a term whose source CCD is
     *                  not here is skipped
     * @return the terms applied
     */
    public static List<CrosstalkTerm> apply(ImageF signalAdu, List<ReadoutAmp> amps, List<CrosstalkTerm> terms,
                                            Map<Integer, ImageF> sources) {
        List<CrosstalkTerm> applied = new ArrayList<>();
        float[] a = signalAdu.array();
        int w = signalAdu.width();
        for (CrosstalkTerm t : terms) {
            if (t.isIntraCcd()) {
                throw new IllegalArgumentException("not an inter-CCD term: " + t);
            }
            ImageF src = sources.get(t.sourceCcd());
            if (src == null) {
                continue;
            }
            if (src.width() != w || src.height() != signalAdu.height()) {
                throw new IllegalArgumentException("source CCD " + t.sourceCcd() + " is " + src.width() + "x"
                        + src.height() + ", the victim " + w + "x" + signalAdu.height());
            }
            ReadoutAmp v = ReadoutAmp.named(amps, t.victimAmp());
            ReadoutAmp s = ReadoutAmp.named(amps, t.sourceAmp());
            if (v.box().width() != s.box().width() || v.box().height() != s.box().height()) {
                throw new IllegalArgumentException("amplifiers of different sizes: " + v + ", " + s);
            }
            float[] sp = src.array();
            double c = t.coefficient();
            for (int j = 0; j < v.box().height(); j++) {
                int vrow = signalAdu.index(0, v.y(j));
                int srow = src.index(0, s.y(j));
                for (int i = 0; i < v.box().width(); i++) {
                    int k = vrow + v.x(i);
                    a[k] = (float) (a[k] + c * sp[srow + s.x(i)]);
                }
            }
            applied.add(t);
        }
        return applied;
    }
}
