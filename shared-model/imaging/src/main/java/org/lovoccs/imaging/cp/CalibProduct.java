package org.lovoccs.imaging.cp;

import nom.tam.fits.Header;
import org.lovoccs.imaging.Band;
import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.MaskedImage;

/**
 * One calibration product of one CCD: the combined image (unit from {@link CalibType#unit()}), its mask (NO_DATA where
 * too few inputs survived) and the variance of each pixel, the number of inputs kept per pixel, and the metadata
 * (CALIBTYP, DETPOS, CCDNUM, FILTER for flats, fringes and skies, NCOMBINE, the inputs' EXPNUMs, the algorithm's
 * parameters).
 *
 * @param type     kind of product
 * @param band     band of a flat, fringe or sky frame; null for a bias
 * @param image    the product (assembled CCD, same geometry as IsrTask's output)
 * @param count    inputs kept per pixel
 * @param metadata keywords for the primary HDU
 */
public record CalibProduct(CalibType type, Band band, MaskedImage image, ImageF count, Header metadata) {

    public CalibProduct {
        if (type == null || image == null || count == null || metadata == null) {
            throw new IllegalArgumentException("type, image, count and metadata are required");
        }
        if (type != CalibType.BIAS && band == null) {
            throw new IllegalArgumentException("a " + type.keyword() + " needs a band");
        }
        if (count.width() != image.width() || count.height() != image.height()) {
            throw new IllegalArgumentException("count plane differs in size from the image");
        }
    }

    public int width() {
        return image.width();
    }

    public int height() {
        return image.height();
    }
}
