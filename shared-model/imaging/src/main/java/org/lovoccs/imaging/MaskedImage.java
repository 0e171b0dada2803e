package org.lovoccs.imaging;

/**
 * An image with its mask and variance planes, all of the same size and sharing the pixel conventions of
 * {@link ImageF}.
 *
 * <p>After ISR the image is in electrons (e-) and the variance in e-^2; a NaN variance means the variance is
 * unknown (not computed, or no data at that pixel).
 *
 * @param image    pixel values
 * @param mask     per-pixel {@link MaskPlane} bits
 * @param variance per-pixel variance of {@code image}, in the square of the image's unit
 */
public record MaskedImage(ImageF image, Mask mask, ImageF variance) {

    public MaskedImage {
        if (image == null || mask == null || variance == null) {
            throw new IllegalArgumentException("image, mask and variance are required");
        }
        if (mask.width() != image.width() || mask.height() != image.height()
                || variance.width() != image.width() || variance.height() != image.height()) {
            throw new IllegalArgumentException("planes differ in size: image " + image.width() + "x" + image.height()
                    + ", mask " + mask.width() + "x" + mask.height()
                    + ", variance " + variance.width() + "x" + variance.height());
        }
    }

    /** A zero image, empty mask and zero variance of the given size. */
    public static MaskedImage allocate(int width, int height) {
        return new MaskedImage(new ImageF(width, height), new Mask(width, height), new ImageF(width, height));
    }

    public int width() {
        return image.width();
    }

    public int height() {
        return image.height();
    }
}
