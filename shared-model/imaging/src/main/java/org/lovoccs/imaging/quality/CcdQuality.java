package org.lovoccs.imaging.quality;

/**
 * check_visit's measure of one calibrated CCD.
 *
 * @param visit          visit (exposure) number
 * @param detector       detector number
 * @param band           band (u g r i z Y)
 * @param fwhmPixels     median Moffat FWHM of the fitted reference stars, pixels (NaN: none fitted)
 * @param ellipticity    |(median e1, median e2)| of their Moffat fits: the PSF's coherent ellipticity (the median
 *                       of each star's |e| would be biased up by noise)
 * @param starsFitted    reference stars whose Moffat fit converged
 * @param referenceStars reference stars matched on the CCD by the astrometric fit
 * @param raDeg          RA of the CCD's centre, degrees
 * @param decDeg         Dec of the CCD's centre, degrees
 * @param corners        RA, Dec of the four corners (8 values, degrees), for the seeing plot
 */
public record CcdQuality(long visit, int detector, String band, double fwhmPixels, double ellipticity,
                         int starsFitted, int referenceStars, double raDeg, double decDeg, double[] corners) {
}
