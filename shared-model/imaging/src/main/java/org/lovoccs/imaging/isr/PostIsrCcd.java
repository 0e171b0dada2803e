package org.lovoccs.imaging.isr;

import nom.tam.fits.Header;
import org.lovoccs.imaging.MaskedImage;

/**
 * An ISR-processed CCD (LSST's postISRCCD): the masked image in electrons, the CCD-level metadata, and the WCS of the
 * image's pixel grid.
 *
 * @param image    image (e-), mask, variance (e-^2)
 * @param metadata primary-HDU keywords: INSTRUME, EXPNUM, CCDNUM, DETPOS, FILTER, DATE-OBS, BUNIT, ISR steps, per-amp
 *                 overscan statistics
 * @param wcs      WCS keywords for the IMAGE HDU, with CRPIX referring to this image's pixel grid (may be empty)
 */
public record PostIsrCcd(MaskedImage image, Header metadata, Header wcs) {

    public PostIsrCcd {
        if (image == null || metadata == null) {
            throw new IllegalArgumentException("image and metadata are required");
        }
        if (wcs == null) {
            wcs = new Header();
        }
    }
}
