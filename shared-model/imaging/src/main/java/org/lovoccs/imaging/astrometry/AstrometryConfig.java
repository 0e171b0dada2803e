package org.lovoccs.imaging.astrometry;

/**
 * Configuration of {@link AstrometryFitter}, with the names of LSST's {@code calibrate.astrometry} fields where they
 * correspond.
 *
 * @param maxOffsetArcsec    largest pointing error the matcher searches for (matcher.maxOffsetPix, in arcsec); the
 *                           commanded pointing of DECam is good to a few arcseconds
 * @param maxStars           brightest sources and reference stars used to find the offset (matcher.maxRefObjects)
 * @param voteBinPixels      size of the offset histogram's bins, pixels: wide enough for the distortion's change
 *                           across the CCD that the raw WCS leaves out
 * @param minVotes           fewest source/reference pairs that must agree on the offset for a match to be accepted
 * @param matchRadiusArcsec  match radius once the offset is known, arcsec (the first fit's; later passes use
 *                           max(matchSigma x rms, minMatchRadiusArcsec))
 * @param minMatchRadiusArcsec smallest match radius, arcsec
 * @param matchSigma         later passes match within this many times the fit's rms
 * @param sipOrder           order of the SIP polynomial (wcsFitter.order); 0 fits a plain TAN with a CD matrix
 * @param clipSigma          matches whose residual exceeds this many rms are rejected from the fit
 * @param iterations         match-and-fit passes
 * @param minMatches         fewest matches to accept a fit
 */
public record AstrometryConfig(double maxOffsetArcsec, int maxStars, double voteBinPixels, int minVotes,
                               double matchRadiusArcsec, double minMatchRadiusArcsec, double matchSigma, int sipOrder,
                               double clipSigma, int iterations, int minMatches) {

    public AstrometryConfig {
        if (!(maxOffsetArcsec > 0) || maxStars < 3 || !(voteBinPixels > 0) || minVotes < 3 || !(matchRadiusArcsec > 0)
                || !(minMatchRadiusArcsec > 0) || !(matchSigma > 0) || sipOrder < 0 || sipOrder > 5
                || !(clipSigma > 0) || iterations < 1) {
            throw new IllegalArgumentException("bad astrometry configuration: " + this);
        }
        int terms = (sipOrder + 1) * (sipOrder + 2) / 2;
        if (minMatches < terms + 3) {
            throw new IllegalArgumentException("minMatches = " + minMatches + " is too few to fit " + terms
                    + " coefficients per axis (SIP order " + sipOrder + "); use at least " + (terms + 3));
        }
    }

    /**
     * 60" search, 200 stars, 8 px bins (DECam's distortion changes the raw WCS's error by up to ~6 px across an outer
     * CCD), 8 votes, 3" then 5 rms (at least 0.3"), SIP order 3, 3-rms clip, 4 passes, 20 matches.
     */
    public static AstrometryConfig defaults() {
        return new AstrometryConfig(60.0, 200, 8.0, 8, 3.0, 0.3, 5.0, 3, 3.0, 4, 20);
    }

    public AstrometryConfig withSipOrder(int order) {
        return new AstrometryConfig(maxOffsetArcsec, maxStars, voteBinPixels, minVotes, matchRadiusArcsec,
                minMatchRadiusArcsec, matchSigma, order, clipSigma, iterations, Math.max(minMatches,
                (order + 1) * (order + 2) / 2 + 3));
    }

    public AstrometryConfig withMaxOffsetArcsec(double arcsec) {
        return new AstrometryConfig(arcsec, maxStars, voteBinPixels, minVotes, matchRadiusArcsec,
                minMatchRadiusArcsec, matchSigma, sipOrder, clipSigma, iterations, minMatches);
    }
}
