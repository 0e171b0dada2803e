package org.lovoccs.imaging.astrometry;

import org.lovoccs.imaging.wcs.SkyWcs;

import java.util.List;

/**
 * The result of {@link AstrometryFitter#fit}.
 *
 * @param wcs            the fitted WCS (a {@link org.lovoccs.imaging.wcs.TanSipWcs}, or a TAN for SIP order 0)
 * @param matches        the source/reference pairs of the last pass, those used in the fit and those clipped
 * @param rmsArcsec      rms of the used matches' residuals (both axes together: sqrt(mean(dx^2 + dy^2))), arcsec
 * @param offsetPixels   {dx, dy}: where the reference stars were found relative to the input WCS's prediction, pixels
 * @param votes          pairs that agreed on that offset
 * @param used           matches used in the final fit (not clipped)
 */
public record AstrometrySolution(SkyWcs wcs, List<Match> matches, double rmsArcsec, double[] offsetPixels, int votes,
                                 int used) {

    /**
     * A source matched to a reference star.
     *
     * @param sourceIndex index of the source in the list given to the fitter
     * @param ref         the reference star
     * @param x           the source's 0-based column
     * @param y           the source's 0-based row
     * @param residualArcsec distance between the reference star and the source's fitted sky position, arcsec
     * @param used        whether the match was used in the final fit (false: clipped)
     */
    public record Match(int sourceIndex, ReferenceStar ref, double x, double y, double residualArcsec, boolean used) {
    }
}
