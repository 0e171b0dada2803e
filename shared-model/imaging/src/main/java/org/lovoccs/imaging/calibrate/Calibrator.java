package org.lovoccs.imaging.calibrate;

import org.lovoccs.imaging.astrometry.AstrometryFitter;
import org.lovoccs.imaging.astrometry.AstrometrySolution;
import org.lovoccs.imaging.astrometry.ReferenceStar;
import org.lovoccs.imaging.characterize.ApertureCorrection;
import org.lovoccs.imaging.characterize.BackgroundOffset;
import org.lovoccs.imaging.characterize.CharacterizeResult;
import org.lovoccs.imaging.characterize.PsfFlux;
import org.lovoccs.imaging.characterize.SourceCatalogFormatter;
import org.lovoccs.imaging.photometry.PhotoCalibration;
import org.lovoccs.imaging.photometry.PhotoCalibrator;
import org.lovoccs.imaging.photometry.PhotometricReference;
import org.lovoccs.imaging.quality.MoffatFit;
import org.lovoccs.imaging.quality.MoffatFitter;
import org.lovoccs.imaging.wcs.SkyWcs;

import java.util.List;

/**
 * pipe_tasks' CalibrateTask on one characterized CCD, as a pure function: astrometry against the astrometric
 * reference catalogue ({@link AstrometryFitter}, starting from the raw WCS), the background offset
 * ({@link BackgroundOffset}) and aperture correction ({@link ApertureCorrection}; on a CCD with too few bright isolated
 * stars, from Moffat fits to the PSF stars it has), then the zero point against the
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
            // a sparse field: the PSF's wings from Moffat fits to the PSF stars it has
            apCorr = moffatApCorr(characterized, apertureRadius, config, e.getMessage());
        }
        PhotoCalibration photo;
        try {
            photo = PhotoCalibrator.fit(sources, apCorr, offset, astrometry.wcs(), photometric, exptime,
                    config.photoCal());
        } catch (IllegalArgumentException e) {
            throw new CalibrationException(e.getMessage());
        }
        PsfFlux.Catalogue psfFlux = PsfFlux.measureAll(exposure, sources, characterized.psf(), offset, apCorr,
                config.apCorr());
        return new CalibrateResult(exposure, characterized.psf(), astrometry,
                new SourceCatalogFormatter.Calibration(apCorr, offset, photo, psfFlux), characterized.sources());
    }

    /**
     * The aperture correction of the median Moffat profile of up to 20 of the brightest PSF stars (S/N >= 30), when
     * too few bright isolated stars measure it directly.
     */
    public static ApertureCorrection moffatApCorr(CharacterizeResult ch, double apertureRadius, CalibrateConfig config,
                                           String why) {
        var exposure = ch.exposure();
        double fwhm = ch.psf().fwhmAt(0.5 * (exposure.width() - 1), 0.5 * (exposure.height() - 1));
        double large = Math.max(config.apCorr().radiusFwhm() * fwhm, 1.5 * apertureRadius);
        List<org.lovoccs.imaging.characterize.Source> stars = new java.util.ArrayList<>(ch.sources().sources().stream()
                .filter(s -> s.has(org.lovoccs.imaging.characterize.SourceFlag.PSF_USED) && s.snr() >= 30).toList());
        stars.sort(java.util.Comparator.comparingDouble(s -> -s.flux()));
        List<Double> ratios = new java.util.ArrayList<>();
        List<double[]> shapes = new java.util.ArrayList<>();
        for (var s : stars.subList(0, Math.min(20, stars.size()))) {
            MoffatFit f = MoffatFitter.fit(exposure, s.x(), s.y(), (int) Math.ceil(3 * fwhm), fwhm);
            if (f != null && f.converged() && f.beta() > 1.2) {
                double a = f.alpha();
                shapes.add(new double[] {a, f.beta()});
                ratios.add(ApertureCorrection.moffatRatio(a, f.beta(), apertureRadius, large));
            }
        }
        if (shapes.size() < 3) {
            throw new CalibrationException(why + "; and only " + shapes.size() + " PSF stars at S/N >= 30 gave a"
                    + " Moffat fit for a fallback correction (3 needed)");
        }
        double[] r = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = r[r.length / 2];
        double[] pick = shapes.get(ratios.indexOf(median));
        double ss = 0;
        for (double x : r) {
            ss += (x - median) * (x - median);
        }
        return ApertureCorrection.fromMoffat(pick[0], pick[1], exposure.width(), exposure.height(), apertureRadius,
                large, shapes.size(), Math.sqrt(ss / Math.max(1, r.length - 1)));
    }

    /** A CCD that cannot be calibrated with this configuration and these catalogues; retrying cannot help. */
    public static final class CalibrationException extends RuntimeException {
        public CalibrationException(String message) {
            super(message);
        }
    }
}
