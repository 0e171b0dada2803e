package org.lovoccs.imaging.characterize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.ImageF;

class SmoothingKernelTest {

    /**
     * One pixel convolved alone gives the bits the whole image's convolution gives there: every pixel of an image
     * with NaNs, an infinity and edges on all four sides, for a Gaussian (separable) and an explicit, asymmetric
     * kernel, and on an image narrower than the kernel.
     */
    @Test
    void aPixelConvolvedAloneIsThePixelOfTheWholeConvolution() {
        SmoothingKernel[] kernels = {SmoothingKernel.gaussian(1.7), SmoothingKernel.gaussian(0.4),
            SmoothingKernel.of(new double[][] {{1, 2, 0.5}, {3, 7, 1}, {0.25, 2, 4}})};
        int[][] sizes = {{61, 37}, {5, 40}};
        SplittableRandom rnd = new SplittableRandom(11);
        for (int[] size : sizes) {
            int w = size[0];
            int h = size[1];
            float[] a = new float[w * h];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (1000 * rnd.nextDouble() - 200);
            }
            a[3] = Float.NaN;
            a[w * (h / 2) + w / 2] = Float.NaN;
            a[a.length - 2] = Float.POSITIVE_INFINITY;
            ImageF image = new ImageF(w, h, a);
            for (SmoothingKernel k : kernels) {
                float[] whole = k.convolve(image).array();
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        float alone = k.convolvedAt(i -> a[i], w, h, x, y);
                        assertEquals(Float.floatToRawIntBits(whole[y * w + x]), Float.floatToRawIntBits(alone),
                                "pixel (" + x + ", " + y + ") of " + w + "x" + h + ": " + whole[y * w + x] + " whole, "
                                        + alone + " alone");
                    }
                }
            }
        }
        // and it reads the pixels it is given: a changed neighbour changes the result
        float[] flat = new float[25 * 25];
        java.util.Arrays.fill(flat, 1f);
        SmoothingKernel g = SmoothingKernel.gaussian(1.0);
        float before = g.convolvedAt(i -> flat[i], 25, 25, 12, 12);
        flat[13 * 25 + 12] = 100f;
        assertNotEquals(before, g.convolvedAt(i -> flat[i], 25, 25, 12, 12));
    }
}
