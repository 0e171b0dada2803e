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
 * @param sipOrder           highest order of the SIP polynomial (wcsFitter.order); lowered while the matches are fewer
 *                           than two per coefficient; 0 or 1 fits a plain TAN with a CD matrix
 * @param clipSigma          matches whose residual exceeds this many rms are rejected from the fit
 * @param iterations         match-and-fit passes
 * @param minMatches         fewest matches to accept a fit (a linear one; see sipOrder)
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
        if (minMatches < 6) {
            throw new IllegalArgumentException("minMatches = " + minMatches + " is too few to fit even a linear WCS"
                    + " (3 coefficients per axis) with clipping; use at least 6");
        }
    }

    /**
     * 60" search, 200 stars, 8 px bins (DECam's distortion changes the raw WCS's error by up to ~6 px across an outer
     * CCD), 8 votes, 3" then 5 rms (at least 0.3"), SIP order up to 3, 3-rms clip, 4 passes, 6 matches.
     */
    public static AstrometryConfig defaults() {
        return new AstrometryConfig(60.0, 200, 8.0, 8, 3.0, 0.3, 5.0, 3, 3.0, 4, 6);
    }

    public AstrometryConfig withSipOrder(int order) {
        return new AstrometryConfig(maxOffsetArcsec, maxStars, voteBinPixels, minVotes, matchRadiusArcsec,
                minMatchRadiusArcsec, matchSigma, order, clipSigma, iterations, minMatches);
    }

    public AstrometryConfig withMaxOffsetArcsec(double arcsec) {
        return new AstrometryConfig(arcsec, maxStars, voteBinPixels, minVotes, matchRadiusArcsec,
                minMatchRadiusArcsec, matchSigma, sipOrder, clipSigma, iterations, minMatches);
    }
}
