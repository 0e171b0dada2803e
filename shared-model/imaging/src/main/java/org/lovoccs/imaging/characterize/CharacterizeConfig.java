package org.lovoccs.imaging.characterize;

/**
 * Configuration of {@link Characterizer} (pipe_tasks' CharacterizeImageConfig, reduced to what is implemented).
 *
 * @param background           background estimation
 * @param detection            detection; its kernel is usually null (a Gaussian of the current PSF's sigma)
 * @param measurement          measurement
 * @param psf                  PSF star selection and model
 * @param psfIterations        detect-measure-PSF rounds (LSST psfIterations, default 2); each round after the first
 *                             smooths with the previous round's PSF
 * @param initialPsfFwhm       FWHM guess for the first round, pixels (LSST installSimplePsf: 1.5" / 0.263 = 5.7 px is
 *                             the usual guess; 4.0 px here, DECam's median seeing)
 * @param reestimateBackground after the first round, estimate the background again with the DETECTED pixels masked
 */
public record CharacterizeConfig(BackgroundConfig background, DetectionConfig detection,
                                 MeasurementConfig measurement, PsfConfig psf, int psfIterations,
                                 double initialPsfFwhm, boolean reestimateBackground) {

    public CharacterizeConfig {
        if (background == null || detection == null || measurement == null || psf == null) {
            throw new IllegalArgumentException("background, detection, measurement and psf configurations are"
                    + " required");
        }
        if (psfIterations < 1) {
            throw new IllegalArgumentException("psfIterations must be >= 1, got " + psfIterations);
        }
        if (!(initialPsfFwhm > 0)) {
            throw new IllegalArgumentException("initialPsfFwhm must be > 0 pixels, got " + initialPsfFwhm);
        }
    }

    public static CharacterizeConfig defaults() {
        return new CharacterizeConfig(BackgroundConfig.defaults(), DetectionConfig.defaults(),
                MeasurementConfig.defaults(), PsfConfig.defaults(), 2, 4.0, true);
    }

    public CharacterizeConfig withPsf(PsfConfig p) {
        return new CharacterizeConfig(background, detection, measurement, p, psfIterations, initialPsfFwhm,
                reestimateBackground);
    }

    public CharacterizeConfig withDetection(DetectionConfig d) {
        return new CharacterizeConfig(background, d, measurement, psf, psfIterations, initialPsfFwhm,
                reestimateBackground);
    }
}
