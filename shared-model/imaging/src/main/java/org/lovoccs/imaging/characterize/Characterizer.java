package org.lovoccs.imaging.characterize;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.Mask;
import org.lovoccs.imaging.MaskedImage;

/**
 * characterizeImage as a pure function: background, detection, measurement and PSF, the last three repeated
 * {@link CharacterizeConfig#psfIterations()} times, each round detecting with the previous round's PSF (and, when
 * configured, re-estimating the background with the detected pixels masked).
 *
 * <p>Not done (yet): aperture corrections, cosmic-ray repair, PSF-flux and Kron/CModel photometry, deblending beyond
 * one source per significant peak.
 */
public final class Characterizer {

    private Characterizer() {
    }

    /**
     * @param input a post-ISR exposure (image in e-, variance in e-^2); not modified
     * @throws IllegalArgumentException when no PSF star is found
     */
    public static CharacterizeResult run(MaskedImage input, CharacterizeConfig config) {
        int w = input.width();
        int h = input.height();
        MaskedImage exposure = new MaskedImage(new ImageF(w, h),
                new Mask(w, h, input.mask().array().clone()), input.variance().copy());
        BackgroundModel background = BackgroundEstimator.estimate(input.image(), exposure.mask(),
                config.background());
        background.subtract(input.image(), exposure.image());
        double psfSigma = config.initialPsfFwhm() / (2 * Math.sqrt(2 * Math.log(2)));
        SourceCatalog catalog = null;
        PsfFitter.Result fit = null;
        List<Source> candidates = List.of();
        List<PsfModel> rounds = new ArrayList<>();
        for (int round = 0; round < config.psfIterations(); round++) {
            if (round > 0 && config.reestimateBackground()) {
                background = BackgroundEstimator.estimate(input.image(), exposure.mask(), config.background());
                background.subtract(input.image(), exposure.image());
            }
            ImageF rms = background.renderRms();
            SourceDetector.Result det = SourceDetector.detect(exposure, rms, config.detection(), psfSigma);
            catalog = SourceMeasurer.measure(exposure, det.footprints(), config.measurement(), psfSigma,
                    config.detection().deblendPeaks());
            if (fit != null && config.detection().deblendPeaks()) {
                catalog = ResidualPeaks.addHidden(exposure, catalog, fit.model(), rms, config.detection(),
                        config.measurement(), psfSigma);
            }
            candidates = PsfStarSelector.select(catalog, w, h, config.psf());
            if (candidates.size() < 3) {
                throw new IllegalArgumentException("round " + (round + 1) + ": only " + candidates.size()
                        + " PSF star candidates among " + catalog.size() + " sources (S/N > "
                        + config.psf().minSnr() + ", isolated, unflagged)");
            }
            fit = PsfFitter.fit(exposure, candidates, config.psf());
            rounds.add(fit.model());
            AdaptiveMoments.Result m = fit.model().momentsAt(0.5 * (w - 1), 0.5 * (h - 1));
            if (m.converged()) {
                psfSigma = m.determinantRadius();
            }
        }
        Set<Long> cand = new HashSet<>();
        candidates.forEach(s -> cand.add(s.id()));
        Set<Long> used = new HashSet<>();
        fit.used().forEach(s -> used.add(s.id()));
        List<Source> flagged = new ArrayList<>(catalog.size());
        for (Source s : catalog.sources()) {
            int f = s.flags();
            if (cand.contains(s.id())) {
                f |= SourceFlag.PSF_CANDIDATE.bitmask();
            }
            if (used.contains(s.id())) {
                f |= SourceFlag.PSF_USED.bitmask();
            }
            flagged.add(s.withFlags(f));
        }
        return new CharacterizeResult(exposure, background, new SourceCatalog(flagged), fit.model(), fit.used(),
                rounds);
    }
}
