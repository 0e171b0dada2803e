package org.lovoccs.imaging.cp;

import java.util.function.Supplier;

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
 * <p>A product read from a file decodes its count plane only when {@link #count()} is first asked for: the ISR, which
 * reads a master bias and flat for every CCD, never needs it.
 */
public final class CalibProduct {

    private final CalibType type;
    private final Band band;
    private final MaskedImage image;
    private final Header metadata;
    private Supplier<ImageF> countSource;
    private ImageF count;

    /**
     * @param type     kind of product
     * @param band     band of a flat, fringe or sky frame; null for a bias
     * @param image    the product (assembled CCD, same geometry as IsrTask's output)
     * @param count    inputs kept per pixel
     * @param metadata keywords for the primary HDU
     */
    public CalibProduct(CalibType type, Band band, MaskedImage image, ImageF count, Header metadata) {
        this(type, band, image, metadata);
        if (count == null) {
            throw new IllegalArgumentException("type, image, count and metadata are required");
        }
        this.count = checkSize(count);
    }

    /** A product whose count plane {@code count} makes when it is first asked for (decoded from its file). */
    public CalibProduct(CalibType type, Band band, MaskedImage image, Supplier<ImageF> count, Header metadata) {
        this(type, band, image, metadata);
        if (count == null) {
            throw new IllegalArgumentException("type, image, count and metadata are required");
        }
        this.countSource = count;
    }

    private CalibProduct(CalibType type, Band band, MaskedImage image, Header metadata) {
        if (type == null || image == null || metadata == null) {
            throw new IllegalArgumentException("type, image, count and metadata are required");
        }
        if (type != CalibType.BIAS && band == null) {
            throw new IllegalArgumentException("a " + type.keyword() + " needs a band");
        }
        this.type = type;
        this.band = band;
        this.image = image;
        this.metadata = metadata;
    }

    private ImageF checkSize(ImageF c) {
        if (c.width() != image.width() || c.height() != image.height()) {
            throw new IllegalArgumentException("count plane differs in size from the image");
        }
        return c;
    }

    public CalibType type() {
        return type;
    }

    public Band band() {
        return band;
    }

    public MaskedImage image() {
        return image;
    }

    /** Inputs kept per pixel. */
    public synchronized ImageF count() {
        if (count == null) {
            count = checkSize(countSource.get());
            countSource = null;
        }
        return count;
    }

    public Header metadata() {
        return metadata;
    }

    public int width() {
        return image.width();
    }

    public int height() {
        return image.height();
    }
}
