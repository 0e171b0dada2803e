package org.lovoccs.imaging.calibrate;

import org.lovoccs.imaging.MaskedImage;
import org.lovoccs.imaging.astrometry.AstrometrySolution;
import org.lovoccs.imaging.characterize.PsfModel;
import org.lovoccs.imaging.characterize.SourceCatalog;
import org.lovoccs.imaging.characterize.SourceCatalogFormatter;
import org.lovoccs.imaging.photometry.PhotoCalibration;

/**
 * What calibrate makes of a characterized CCD: the calexp (the background-subtracted exposure with its fitted WCS,
 * PSF model and photometric calibration) and src (its sources with sky positions and calibrated magnitudes).
 *
 * @param exposure    the calexp's pixels (electrons, background subtracted)
 * @param psf         the PSF model
 * @param astrometry  the astrometric fit (its WCS is the calexp's)
 * @param calibration the aperture correction, background offset and zero point (the calexp's PhotoCalib)
 * @param sources     the src catalogue
 */
public record CalibrateResult(MaskedImage exposure, PsfModel psf, AstrometrySolution astrometry,
                              SourceCatalogFormatter.Calibration calibration, SourceCatalog sources) {

    public PhotoCalibration photoCalib() {
        return calibration.photo();
    }
}
