package org.lovoccs.imaging.characterize;

import java.util.List;

import org.lovoccs.imaging.MaskedImage;

/**
 * What {@link Characterizer#run} returns (pipe_tasks' CharacterizeImageTask outputs).
 *
 * @param exposure   the characterized exposure (icExp): the input minus the background, with DETECTED set; the
 *                   variance plane is the input's
 * @param background the background that was subtracted
 * @param sources    the source catalogue (icSrc) of the last round, PSF_CANDIDATE and PSF_USED flagged
 * @param psf        the PSF model of the last round
 * @param psfStars   the stars the final PSF was fitted to
 * @param rounds     the PSF model of every round, first to last (the last is {@code psf})
 */
public record CharacterizeResult(MaskedImage exposure, BackgroundModel background, SourceCatalog sources,
                                 PsfModel psf, List<Source> psfStars, List<PsfModel> rounds) {

    public CharacterizeResult {
        psfStars = List.copyOf(psfStars);
        rounds = List.copyOf(rounds);
    }
}
