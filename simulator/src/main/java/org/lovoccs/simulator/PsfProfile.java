package org.lovoccs.simulator;

import org.lovoccs.simulator.sky.GaussianPsf;
import org.lovoccs.simulator.sky.MoffatPsf;
import org.lovoccs.simulator.sky.Psf;

/**
 * The shape family of the simulated PSF; its width comes from the exposure's seeing.
 *
 * @param kind  MOFFAT or GAUSSIAN
 * @param beta  Moffat index (ignored for GAUSSIAN)
 */
public record PsfProfile(Kind kind, double beta) {

    /** PSF families. */
    public enum Kind { MOFFAT, GAUSSIAN }

    /** The default: Moffat with beta = 3.5. */
    public static final PsfProfile DEFAULT = moffat(3.5);

    public PsfProfile {
        if (kind == null) {
            throw new IllegalArgumentException("PSF kind is required");
        }
        if (kind == Kind.MOFFAT && !(beta > 1)) {
            throw new IllegalArgumentException("Moffat beta must be > 1, got " + beta);
        }
    }

    public static PsfProfile moffat(double beta) {
        return new PsfProfile(Kind.MOFFAT, beta);
    }

    public static PsfProfile gaussian() {
        return new PsfProfile(Kind.GAUSSIAN, Double.NaN);
    }

    /** The PSF of this family with FWHM {@code fwhmPixels}. */
    public Psf create(double fwhmPixels) {
        return kind == Kind.MOFFAT ? new MoffatPsf(fwhmPixels, beta) : new GaussianPsf(fwhmPixels);
    }
}
