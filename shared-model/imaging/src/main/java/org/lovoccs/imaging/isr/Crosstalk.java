package org.lovoccs.imaging.isr;

import java.util.List;

/**
 * The crosstalk between the amplifiers of one CCD (the curated {@code crosstalk} calibration): a victim pixel at
 * readout position (i, j) of amplifier {@code victim} gained {@code coefficient} times the signal (ADU above bias) of
 * the source amplifier at the same readout position (DECam_xtalk's convention; for DECam, assembled (x, y) of B
 * pairs with (2047 - x, y) of A).
 */
public record Crosstalk(List<Term> terms) {

    /** One coefficient, dimensionless (victim ADU per source ADU). */
    public record Term(String victimAmp, String sourceAmp, double coefficient) {
    }

    public Crosstalk {
        terms = List.copyOf(terms);
    }
}
