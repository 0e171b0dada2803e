package org.lovoccs.imaging;

import java.util.Arrays;

/**
 * A 2-D image of 32-bit floats, stored row-major.
 *
 * <p>Conventions: pixel coordinates are 0-based; {@code x} is the column (FITS axis 1), {@code y} the row
 * (FITS axis 2), and row {@code y = 0} is the first row of the FITS array. Pixel {@code (x, y)} is stored at
 * {@code array()[offset() + y * stride() + x]}. A freshly allocated image is contiguous ({@code offset = 0},
 * {@code stride = width}); {@link #subImage(PixelBox)} returns a view that shares the backing array. The unit of the
 * values is carried by the context (e.g. electrons after ISR). NaN means "no valid value"; producers should also set
 * the NO_DATA mask plane where they write NaN.
 */
public final class ImageF {

    private final float[] data;
    private final int offset;
    private final int stride;
    private final int width;
    private final int height;

    /** A new contiguous image of zeros. */
    public ImageF(int width, int height) {
        this(new float[checkedArea(width, height)], 0, width, width, height);
    }

    /**
     * Wraps a contiguous row-major array without copying.
     *
     * @throws IllegalArgumentException if {@code data.length != width * height}
     */
    public ImageF(int width, int height, float[] data) {
        this(data, 0, width, width, height);
        if (data.length != checkedArea(width, height)) {
            throw new IllegalArgumentException("array of " + data.length + " floats for a " + width + "x" + height
                    + " image");
        }
    }

    private ImageF(float[] data, int offset, int stride, int width, int height) {
        this.data = data;
        this.offset = offset;
        this.stride = stride;
        this.width = width;
        this.height = height;
    }

    private static int checkedArea(int width, int height) {
        if (width < 0 || height < 0 || (long) width * height > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("bad image size " + width + "x" + height);
        }
        return width * height;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The box {@code [0, width) x [0, height)} of this image's own coordinates. */
    public PixelBox bbox() {
        return PixelBox.ofSize(width, height);
    }

    /** Backing array; see the class description for the index of a pixel. */
    public float[] array() {
        return data;
    }

    public int offset() {
        return offset;
    }

    public int stride() {
        return stride;
    }

    /** True when the pixels occupy the whole backing array in row-major order with no gaps. */
    public boolean isContiguous() {
        return offset == 0 && stride == width && data.length == width * height;
    }

    /** Index of pixel (x, y) in {@link #array()}; no bounds check. */
    public int index(int x, int y) {
        return offset + y * stride + x;
    }

    public float get(int x, int y) {
        checkBounds(x, y);
        return data[offset + y * stride + x];
    }

    public void set(int x, int y, float value) {
        checkBounds(x, y);
        data[offset + y * stride + x] = value;
    }

    public void fill(float value) {
        for (int y = 0; y < height; y++) {
            int start = offset + y * stride;
            Arrays.fill(data, start, start + width, value);
        }
    }

    /**
     * A view of the pixels in {@code box} (in this image's coordinates) sharing the backing array. Pixel (0, 0) of the
     * view is pixel ({@code box.x0()}, {@code box.y0()}) of this image.
     */
    public ImageF subImage(PixelBox box) {
        if (!bbox().contains(box)) {
            throw new IllegalArgumentException("box " + box + " outside " + width + "x" + height + " image");
        }
        return new ImageF(data, offset + box.y0() * stride + box.x0(), stride, box.width(), box.height());
    }

    /** A contiguous deep copy. */
    public ImageF copy() {
        float[] out = new float[width * height];
        for (int y = 0; y < height; y++) {
            System.arraycopy(data, offset + y * stride, out, y * width, width);
        }
        return new ImageF(width, height, out);
    }

    /** The pixels in a new contiguous row-major array of {@code width * height} floats. */
    public float[] toArray() {
        return isContiguous() ? data.clone() : copy().data;
    }

    private void checkBounds(int x, int y) {
        if (x < 0 || x >= width || y < 0 || y >= height) {
            throw new IndexOutOfBoundsException("pixel (" + x + ", " + y + ") outside " + width + "x" + height);
        }
    }
}
