package org.lovoccs.simulator.campaign;

import java.time.Instant;

import org.lovoccs.imaging.Band;
import org.lovoccs.simulator.ObsType;
import org.lovoccs.simulator.optics.ExposureAstrometry;
import org.lovoccs.simulator.sky.PsfField;

/**
 * One exposure of a campaign with everything true about it (its truth-table row).
 *
 * @param expnum            EXPNUM
 * @param obsType           science, zero or dome flat
 * @param band              filter (zeros carry the filter in place, as DECam's do)
 * @param dateObs           start, UTC
 * @param exptime           seconds (0 for zeros)
 * @param night             night index from 0
 * @param visit             science visit index within (night, band), or the calibration's index
 * @param commandedRaDeg    pointing requested (the raw header's RA/TELRA and WCS CRVAL1)
 * @param commandedDecDeg   pointing requested
 * @param astrometry        the true pixel-to-sky mapping (true boresight, rotation, distortion)
 * @param psf               the true PSF field (science only; null for calibrations)
 * @param airmass           airmass at the start
 * @param cloudsMag         grey extinction by clouds, mag
 * @param zeroPoint         true zero point: AB magnitude giving 1 e-/s (before the flat field)
 * @param skyElectrons      sky level, e- per pixel (science), or the lamp level (dome flats)
 * @param fringeAmplitude   fringe amplitude, e- per unit of the fringe pattern (i, z and Y science; 0 otherwise)
 * @param satellite         whether a satellite crosses the field
 * @param seed              the exposure's seed (noise, cosmic rays, ...)
 */
public record PlannedExposure(int expnum, ObsType obsType, Band band, Instant dateObs, double exptime, int night,
                              int visit, double commandedRaDeg, double commandedDecDeg,
                              ExposureAstrometry astrometry, PsfField psf, double airmass, double cloudsMag,
                              double zeroPoint, double skyElectrons, double fringeAmplitude, boolean satellite,
                              long seed) {

    /** The DECam archive's file name, {@code c4d_YYMMDD_HHMMSS_ori.fits} (+ {@code .fz} when compressed). */
    public String fileName(boolean rice) {
        String t = java.time.format.DateTimeFormatter.ofPattern("yyMMdd_HHmmss").withZone(java.time.ZoneOffset.UTC)
                .format(dateObs);
        return "c4d_" + t + "_ori.fits" + (rice ? ".fz" : "");
    }

    /** The night's folder name, {@code YYYYMMDD} of the evening (DECam's day_obs convention, UTC-12h). */
    public String nightFolder() {
        return java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd")
                .withZone(java.time.ZoneOffset.ofHours(-12)).format(dateObs);
    }

    /** Seeing on the optical axis, arcsec (NaN for calibrations). */
    public double seeingArcsec() {
        return psf == null ? Double.NaN : psf.seeingFwhmArcsec();
    }
}
