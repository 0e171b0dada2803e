package org.lovoccs.simulator;

import java.time.Instant;

import org.lovoccs.imaging.Band;

/**
 * What to simulate for one exposure.
 *
 * @param clusterName         target name, written as OBJECT
 * @param expnum              DECam exposure number (EXPNUM), positive
 * @param band                band (u, g, r, i, z, Y)
 * @param dateObs             start of the exposure (DATE-OBS, UTC); the pointing must be above CTIO's horizon
 * @param exptimeSeconds      exposure time, seconds, {@code > 0}
 * @param raDeg               pointing (boresight) RA, degrees, [0, 360)
 * @param decDeg              pointing Dec, degrees, [-90, 90]
 * @param seeingFwhmArcsec    PSF FWHM, arcsec, {@code > 0}
 * @param skyElectrons        sky level, electrons per pixel during the exposure, {@code >= 0}
 * @param starsPerCcd         number of stars drawn on each CCD, {@code >= 0}
 * @param seed                master seed; every random quantity derives from it
 * @param psfProfile          PSF family
 */
public record ExposureSpec(String clusterName, int expnum, Band band, Instant dateObs, double exptimeSeconds,
                           double raDeg, double decDeg, double seeingFwhmArcsec, double skyElectrons,
                           int starsPerCcd, long seed, PsfProfile psfProfile) {

    public ExposureSpec {
        if (clusterName == null || clusterName.isBlank()) {
            throw new IllegalArgumentException("cluster name is required");
        }
        if (expnum <= 0) {
            throw new IllegalArgumentException("expnum must be positive, got " + expnum);
        }
        if (band == null) {
            throw new IllegalArgumentException("band is required; valid bands are " + Band.validNames());
        }
        if (dateObs == null) {
            throw new IllegalArgumentException("DATE-OBS is required");
        }
        if (!(exptimeSeconds > 0)) {
            throw new IllegalArgumentException("exposure time must be > 0 s, got " + exptimeSeconds);
        }
        if (!(raDeg >= 0 && raDeg < 360)) {
            throw new IllegalArgumentException("RA must be in [0, 360) degrees, got " + raDeg);
        }
        if (!(decDeg >= -90 && decDeg <= 90)) {
            throw new IllegalArgumentException("Dec must be in [-90, 90] degrees, got " + decDeg);
        }
        if (!(seeingFwhmArcsec > 0)) {
            throw new IllegalArgumentException("seeing FWHM must be > 0 arcsec, got " + seeingFwhmArcsec);
        }
        if (!(skyElectrons >= 0) || Double.isInfinite(skyElectrons)) {
            throw new IllegalArgumentException("sky level must be >= 0 e-/pixel, got " + skyElectrons);
        }
        if (starsPerCcd < 0) {
            throw new IllegalArgumentException("stars per CCD must be >= 0, got " + starsPerCcd);
        }
        if (psfProfile == null) {
            psfProfile = PsfProfile.DEFAULT;
        }
    }

    /**
     * The same with the band given by name and the default PSF (Moffat, beta = 3.5).
     *
     * @throws IllegalArgumentException listing the valid bands if {@code band} is unknown
     */
    public ExposureSpec(String clusterName, int expnum, String band, Instant dateObs, double exptimeSeconds,
                        double raDeg, double decDeg, double seeingFwhmArcsec, double skyElectrons, int starsPerCcd,
                        long seed) {
        this(clusterName, expnum, Band.fromName(band), dateObs, exptimeSeconds, raDeg, decDeg, seeingFwhmArcsec,
                skyElectrons, starsPerCcd, seed, PsfProfile.DEFAULT);
    }

    /** Seeing FWHM in pixels at DECam's nominal 0.263"/pixel. */
    public double seeingFwhmPixels() {
        return seeingFwhmArcsec / DecamCamera.PIXEL_SCALE_ARCSEC;
    }

    public ExposureSpec withSeed(long newSeed) {
        return new ExposureSpec(clusterName, expnum, band, dateObs, exptimeSeconds, raDeg, decDeg, seeingFwhmArcsec,
                skyElectrons, starsPerCcd, newSeed, psfProfile);
    }

    public ExposureSpec withPsfProfile(PsfProfile profile) {
        return new ExposureSpec(clusterName, expnum, band, dateObs, exptimeSeconds, raDeg, decDeg, seeingFwhmArcsec,
                skyElectrons, starsPerCcd, seed, profile);
    }
}
