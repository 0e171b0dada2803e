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
 *                           (matcher.minMatchedPairs); the offset must also be one that chance explains with a
 *                           probability under 1e-3, which is what refuses a false peak in a dense field
 * @param matchRadiusArcsec  match radius once the offset is known, arcsec (the first fit's; later passes use
 *                           max(matchSigma x rms, minMatchRadiusArcsec))
 * @param minMatchRadiusArcsec smallest match radius, arcsec
 * @param matchSigma         later passes match within this many times the fit's rms
 * @param sipOrder           highest order of the SIP polynomial (wcsFitter.order); lowered while the matches are fewer
 *                           than two per coefficient; 0 or 1 fits a plain TAN with a CD matrix
 * @param clipSigma          matches whose residual exceeds this many rms are rejected from the fit
 * @param iterations         match-and-fit passes
 * @param minMatches         fewest matches to accept a fit (a linear one; see sipOrder)
 * @param floorArcsec        per-axis position error added in quadrature to each match's centroid error, arcsec: the
 *                           reference catalogue's errors and what the fit's model leaves (the atmosphere's
 *                           astrometric jitter, unmodelled distortion). The fit weights each match by
 *                           1 / (centroid error^2 + floor^2), so a faint star counts less than a bright one but no
 *                           star counts more than the floor allows
 */
public record AstrometryConfig(double maxOffsetArcsec, int maxStars, double voteBinPixels, int minVotes,
                               double matchRadiusArcsec, double minMatchRadiusArcsec, double matchSigma, int sipOrder,
                               double clipSigma, int iterations, int minMatches, double floorArcsec) {

    public AstrometryConfig {
        if (!(maxOffsetArcsec > 0) || maxStars < 3 || !(voteBinPixels > 0) || minVotes < 3 || !(matchRadiusArcsec > 0)
                || !(minMatchRadiusArcsec > 0) || !(matchSigma > 0) || sipOrder < 0 || sipOrder > 5
                || !(clipSigma > 0) || iterations < 1 || !(floorArcsec > 0)) {
            throw new IllegalArgumentException("bad astrometry configuration: " + this);
        }
        if (minMatches < 6) {
            throw new IllegalArgumentException("minMatches = " + minMatches + " is too few to fit even a linear WCS"
                    + " (3 coefficients per axis) with clipping; use at least 6");
        }
    }

    /**
     * 60" search, 200 stars, 8 px bins (DECam's distortion changes the raw WCS's error by up to ~6 px across an outer
     * CCD), 6 votes (as many as a fit needs matches: the false-alarm probability judges whether they are chance), 3"
     * then 5 rms (at least 0.3"), SIP order up to 3, 3-rms clip, 4 passes, 6 matches, 5 mas floor (Gaia's errors at
     * G ~ 19-20 are 0.5-1 mas; a 90 s exposure's atmospheric jitter is 5-20 mas).
     */
    public static AstrometryConfig defaults() {
        return new AstrometryConfig(60.0, 200, 8.0, DEFAULT_MIN_VOTES, 3.0, 0.3, 5.0, 3, 3.0, 4, 6, 0.005);
    }

    /** The default of {@code minVotes}; calibrate's {@code astrometry.matcher.minMatchedPairs} declares the same. */
    public static final int DEFAULT_MIN_VOTES = 6;

    public AstrometryConfig withMinVotes(int votes) {
        return new AstrometryConfig(maxOffsetArcsec, maxStars, voteBinPixels, votes, matchRadiusArcsec,
                minMatchRadiusArcsec, matchSigma, sipOrder, clipSigma, iterations, minMatches, floorArcsec);
    }

    public AstrometryConfig withSipOrder(int order) {
        return new AstrometryConfig(maxOffsetArcsec, maxStars, voteBinPixels, minVotes, matchRadiusArcsec,
                minMatchRadiusArcsec, matchSigma, order, clipSigma, iterations, minMatches, floorArcsec);
    }

    public AstrometryConfig withMaxOffsetArcsec(double arcsec) {
        return new AstrometryConfig(arcsec, maxStars, voteBinPixels, minVotes, matchRadiusArcsec,
                minMatchRadiusArcsec, matchSigma, sipOrder, clipSigma, iterations, minMatches, floorArcsec);
    }
}
