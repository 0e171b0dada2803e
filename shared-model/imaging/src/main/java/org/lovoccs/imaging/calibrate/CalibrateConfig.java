package org.lovoccs.imaging.calibrate;

import org.lovoccs.imaging.astrometry.AstrometryConfig;
import org.lovoccs.imaging.characterize.ApertureCorrection;
import org.lovoccs.imaging.characterize.BackgroundConfig;
import org.lovoccs.imaging.photometry.PhotoCalibrator;

/**
 * Configuration of {@link Calibrator} (LSST's CalibrateConfig: astrometry, photoCal, and the aperture correction that
 * LSST measures in characterizeImage).
 *
 * @param astrometry    matching and the TAN-SIP fit
 * @param apCorr        aperture correction
 * @param photoCal      zero point
 * @param ignoredPlanes mask planes left out of the background offset
 */
public record CalibrateConfig(AstrometryConfig astrometry, ApertureCorrection.Config apCorr,
                              PhotoCalibrator.Config photoCal, int ignoredPlanes) {

    public static CalibrateConfig defaults() {
        return new CalibrateConfig(AstrometryConfig.defaults(), ApertureCorrection.Config.defaults(),
                PhotoCalibrator.Config.defaults(), BackgroundConfig.DEFAULT_IGNORED);
    }
}
