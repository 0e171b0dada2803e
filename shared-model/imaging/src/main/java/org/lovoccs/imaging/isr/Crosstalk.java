package org.lovoccs.imaging.isr;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The crosstalk into the amplifiers of one CCD (the curated {@code crosstalk} calibration): a victim pixel at readout
 * position (i, j) of amplifier {@code victim} gained {@code coefficient} times the signal (ADU above bias) of the
 * source amplifier at the same readout position (DECam_xtalk's convention; for DECam, assembled (x, y) of B pairs
 * with (2047 - x, y) of A).
 *
 * <p>{@link #terms()} are the intra-CCD terms (source amplifier on the same CCD); {@link #interTerms()} those whose
 * source amplifier is on another CCD ({@code sourceDetector}, CCDNUM), which {@link FullIsr} removes with that CCD's
 * overscan-corrected raw ({@link CrosstalkSource}, step0's {@code overscanRaw}).
 *
 * @param terms      intra-CCD terms
 * @param interTerms inter-CCD terms (the victim is an amplifier of this CCD)
 */
public record Crosstalk(List<Term> terms, List<InterTerm> interTerms) {

    /** One coefficient, dimensionless (victim ADU per source ADU). */
    public record Term(String victimAmp, String sourceAmp, double coefficient) {
    }

    /**
     * One inter-CCD coefficient, dimensionless (victim ADU per source ADU).
     *
     * @param victimAmp      amplifier of this CCD
     * @param sourceDetector CCDNUM of the source CCD
     * @param sourceAmp      amplifier of the source CCD
     * @param coefficient    victim ADU per source ADU, same readout position
     */
    public record InterTerm(String victimAmp, int sourceDetector, String sourceAmp, double coefficient) {
    }

    public Crosstalk {
        terms = List.copyOf(terms);
        interTerms = List.copyOf(interTerms);
    }

    /** Intra-CCD terms only. */
    public Crosstalk(List<Term> terms) {
        this(terms, List.of());
    }

    /** The other CCDs (CCDNUM) the inter-CCD terms name, sorted. */
    public Set<Integer> sourceDetectors() {
        Set<Integer> out = new TreeSet<>();
        for (InterTerm t : interTerms) {
            out.add(t.sourceDetector());
        }
        return java.util.Collections.unmodifiableSet(out);
    }
}
