package org.lovoccs.imaging.cp;

import java.util.Arrays;

import org.lovoccs.imaging.MaskedImage;

/**
 * One input frame of a combine, read a row at a time, so that {@link ClippedCombiner} never needs more than one row of
 * each frame per thread. Implementations must allow concurrent {@link #readRow} calls for different rows.
 *
 * <p>Rows and columns follow {@link org.lovoccs.imaging.ImageF}: 0-based, x = column, row 0 = FITS row 1.
 */
public interface RowSource {

    int width();

    int height();

    /**
     * Copies row {@code y} into the first {@link #width()} elements of each array: the pixel values, their
     * {@link org.lovoccs.imaging.MaskPlane} bits, and their variance (NaN where unknown; all NaN if the source keeps no
     * variance).
     */
    void readRow(int y, float[] image, int[] mask, float[] variance);

    /** A view of an in-memory masked image (no copy). */
    static RowSource of(MaskedImage mi) {
        return new RowSource() {
            @Override
            public int width() {
                return mi.width();
            }

            @Override
            public int height() {
                return mi.height();
            }

            @Override
            public void readRow(int y, float[] image, int[] mask, float[] variance) {
                int w = mi.width();
                System.arraycopy(mi.image().array(), mi.image().index(0, y), image, 0, w);
                System.arraycopy(mi.mask().array(), y * w, mask, 0, w);
                System.arraycopy(mi.variance().array(), mi.variance().index(0, y), variance, 0, w);
            }
        };
    }

    /**
     * A compact copy of {@code mi} for stacking many frames: the image (4 bytes per pixel) and the 8 mask planes (1 byte
     * per pixel), without the variance (read back as NaN): 40 MB for a 2048 x 4096 CCD instead of 96 MB.
     */
    static RowSource packed(MaskedImage mi) {
        int w = mi.width();
        int h = mi.height();
        float[] img = mi.image().toArray();
        byte[] bits = new byte[w * h];
        int[] m = mi.mask().array();
        for (int i = 0; i < bits.length; i++) {
            bits[i] = (byte) m[i];
        }
        return new RowSource() {
            @Override
            public int width() {
                return w;
            }

            @Override
            public int height() {
                return h;
            }

            @Override
            public void readRow(int y, float[] image, int[] mask, float[] variance) {
                int base = y * w;
                System.arraycopy(img, base, image, 0, w);
                for (int x = 0; x < w; x++) {
                    mask[x] = bits[base + x] & 0xFF;
                }
                Arrays.fill(variance, 0, w, Float.NaN);
            }
        };
    }
}
