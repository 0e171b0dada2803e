package org.lovoccs.imaging;

/**
 * An axis-aligned rectangle of whole pixels in 0-based pixel coordinates.
 *
 * <p>{@code x} is the column index (FITS axis 1), {@code y} the row index (FITS axis 2). The box covers
 * columns {@code x0 .. x0 + width - 1} and rows {@code y0 .. y0 + height - 1}, both ends inclusive.
 * An empty box (width or height 0) is allowed; negative sizes are not.
 *
 * @param x0     first column (0-based)
 * @param y0     first row (0-based)
 * @param width  number of columns, {@code >= 0}
 * @param height number of rows, {@code >= 0}
 */
public record PixelBox(int x0, int y0, int width, int height) {

    public PixelBox {
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("negative box size " + width + "x" + height);
        }
    }

    /** The box of a whole {@code width x height} image, starting at (0, 0). */
    public static PixelBox ofSize(int width, int height) {
        return new PixelBox(0, 0, width, height);
    }

    /** Last column covered (inclusive); {@code x0 - 1} for an empty box. */
    public int maxX() {
        return x0 + width - 1;
    }

    /** Last row covered (inclusive); {@code y0 - 1} for an empty box. */
    public int maxY() {
        return y0 + height - 1;
    }

    /** Number of pixels, {@code width * height}. */
    public long area() {
        return (long) width * height;
    }

    public boolean isEmpty() {
        return width == 0 || height == 0;
    }

    public boolean contains(int x, int y) {
        return x >= x0 && x <= maxX() && y >= y0 && y <= maxY();
    }

    /** True when every pixel of {@code other} is inside this box (an empty box is contained anywhere). */
    public boolean contains(PixelBox other) {
        return other.isEmpty() || (other.x0 >= x0 && other.maxX() <= maxX() && other.y0 >= y0 && other.maxY() <= maxY());
    }

    public boolean overlaps(PixelBox other) {
        return !isEmpty() && !other.isEmpty()
                && other.x0 <= maxX() && x0 <= other.maxX() && other.y0 <= maxY() && y0 <= other.maxY();
    }

    /** The same box moved by (dx, dy) pixels. */
    public PixelBox shift(int dx, int dy) {
        return new PixelBox(x0 + dx, y0 + dy, width, height);
    }

    /** The FITS 1-based section string of this box, e.g. {@code [57:1080,51:4146]}. */
    public String toFitsSection() {
        return "[" + (x0 + 1) + ":" + (maxX() + 1) + "," + (y0 + 1) + ":" + (maxY() + 1) + "]";
    }
}
