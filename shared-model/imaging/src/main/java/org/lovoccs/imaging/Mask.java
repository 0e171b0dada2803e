package org.lovoccs.imaging;

/**
 * A 2-D mask of 32-bit integers, one per pixel, stored contiguously row-major with the same coordinate conventions as
 * {@link ImageF} (0-based, x = column = FITS axis 1, pixel (x, y) at index {@code y * width + x}). Each bit is a
 * {@link MaskPlane}; 0 means no flag set.
 */
public final class Mask {

    private final int width;
    private final int height;
    private final int[] data;

    /** A new mask with no bits set. */
    public Mask(int width, int height) {
        this(width, height, new int[checkedArea(width, height)]);
    }

    /**
     * Wraps a row-major array without copying.
     *
     * @throws IllegalArgumentException if {@code data.length != width * height}
     */
    public Mask(int width, int height, int[] data) {
        if (data.length != checkedArea(width, height)) {
            throw new IllegalArgumentException("array of " + data.length + " ints for a " + width + "x" + height
                    + " mask");
        }
        this.width = width;
        this.height = height;
        this.data = data;
    }

    private static int checkedArea(int width, int height) {
        if (width < 0 || height < 0 || (long) width * height > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("bad mask size " + width + "x" + height);
        }
        return width * height;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Backing array, row-major, pixel (x, y) at {@code y * width + x}. */
    public int[] array() {
        return data;
    }

    /** All mask bits of pixel (x, y). */
    public int get(int x, int y) {
        return data[index(x, y)];
    }

    public void setBits(int x, int y, int bits) {
        data[index(x, y)] |= bits;
    }

    public void set(int x, int y, MaskPlane plane) {
        data[index(x, y)] |= plane.bitmask();
    }

    public void clear(int x, int y, MaskPlane plane) {
        data[index(x, y)] &= ~plane.bitmask();
    }

    public boolean isSet(int x, int y, MaskPlane plane) {
        return (data[index(x, y)] & plane.bitmask()) != 0;
    }

    /** Number of pixels with {@code plane} set. */
    public long count(MaskPlane plane) {
        int bit = plane.bitmask();
        long n = 0;
        for (int v : data) {
            if ((v & bit) != 0) {
                n++;
            }
        }
        return n;
    }

    private int index(int x, int y) {
        if (x < 0 || x >= width || y < 0 || y >= height) {
            throw new IndexOutOfBoundsException("pixel (" + x + ", " + y + ") outside " + width + "x" + height);
        }
        return y * width + x;
    }
}
