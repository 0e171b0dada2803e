package org.lovoccs.imaging.calibrate;

import org.lovoccs.imaging.astrometry.AstrometryFitter;
import org.lovoccs.imaging.astrometry.AstrometrySolution;
import org.lovoccs.imaging.astrometry.ReferenceStar;
import org.lovoccs.imaging.characterize.ApertureCorrection;
import org.lovoccs.imaging.characterize.BackgroundOffset;
import org.lovoccs.imaging.characterize.CharacterizeResult;
import org.lovoccs.imaging.characterize.SourceCatalogFormatter;
import org.lovoccs.imaging.photometry.PhotoCalibration;
import org.lovoccs.imaging.photometry.PhotoCalibrator;
import org.lovoccs.imaging.photometry.PhotometricReference;
import org.lovoccs.imaging.wcs.SkyWcs;

import java.util.List;

/**
 * pipe_tasks' CalibrateTask on one characterized CCD, as a pure function: astrometry against the astrometric
 * reference catalogue ({@link AstrometryFitter}, starting from the raw WCS), the background offset
 * ({@link BackgroundOffset}) and aperture correction ({@link ApertureCorrection}), then the zero point against the
 * band's photometric reference catalogue ({@link PhotoCalibrator}). Any stage that cannot be done throws with its
 * reason, naming the stage.
 */
public final class Calibrator {

    private Calibrator() {
    }

    /**
     * @param characterized characterizeImage's result (icExp, icSrc, PSF)
     * @param rawWcs        the raw header's WCS (the starting point of the astrometric fit)
     * @param astrometric   the astrometric reference catalogue around the CCD (Gaia-like)
     * @param photometric   the band's photometric reference catalogue around the CCD (PS1-like, SDSS-like for u)
     * @param exptime       exposure time, s
     * @throws CalibrationException naming the stage and why it failed
     */
    public static CalibrateResult run(CharacterizeResult characterized, SkyWcs rawWcs, List<ReferenceStar> astrometric,
                                      List<PhotometricReference> photometric, double exptime,
                                      double apertureRadius, CalibrateConfig config) {
        var exposure = characterized.exposure();
        var sources = characterized.sources().sources();
        AstrometrySolution astrometry;
        try {
            astrometry = AstrometryFitter.fit(sources, astrometric, rawWcs, exposure.width(), exposure.height(),
                    config.astrometry());
        } catch (RuntimeException e) {
            throw new CalibrationException("astrometry: " + e.getMessage());
        }
        double offset = BackgroundOffset.measure(exposure, config.ignoredPlanes());
        ApertureCorrection apCorr;
        try {
            apCorr = ApertureCorrection.measure(exposure, sources, characterized.psf(), apertureRadius, offset,
                    config.apCorr());
        } catch (IllegalArgumentException e) {
            throw new CalibrationException(e.getMessage());
        }
        PhotoCalibration photo;
        try {
            photo = PhotoCalibrator.fit(sources, apCorr, offset, astrometry.wcs(), photometric, exptime,
                    config.photoCal());
        } catch (IllegalArgumentException e) {
            throw new CalibrationException(e.getMessage());
        }
        return new CalibrateResult(exposure, characterized.psf(), astrometry,
                new SourceCatalogFormatter.Calibration(apCorr, offset, photo), characterized.sources());
    }

    /** A CCD that cannot be calibrated with this configuration and these catalogues; retrying cannot help. */
    public static final class CalibrationException extends RuntimeException {
        public CalibrationException(String message) {
            super(message);
        }
    }
}
