package org.lovoccs.isr;

import java.io.IOException;

import org.lovoccs.imaging.characterize.PsfModel;
import org.lovoccs.imaging.characterize.PsfModelFormatter;
import org.lovoccs.imaging.isr.PostIsrCcd;
import org.lovoccs.imaging.isr.PostIsrCcdFormatter;

/**
 * An icExp as calibrate reads it: the background-subtracted exposure and the PSF model of its PSF_BASIS HDU. Made by
 * {@link #read} from the file's bytes, or handed on in memory by characterizeImage in the same job ({@link
 * CharacterizeRunner}), built to equal what {@link #read} would return for the bytes it would have written.
 */
record CharacterizedExposure(PostIsrCcd ccd, PsfModel psf) {

    /** An icExp file's exposure and PSF model; {@code what} names it in errors. */
    static CharacterizedExposure read(byte[] icExp, String what) throws IOException {
        return new CharacterizedExposure(PostIsrCcdFormatter.read(icExp), PsfModelFormatter.read(icExp, what));
    }
}
