package org.lovoccs.imaging.characterize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.simd.Simd;

/** The detection smoothing's SIMD loops give the scalar loops' bits, on every pixel, edges and tails included. */
class SmoothingKernelSimdTest {

    /** The build runs tests with the Vector API (the root pom's surefire argLine), as the services run. */
    @Test
    void theTestJvmRunsTheSimdForm() {
        assertTrue(Simd.available() && Simd.enabled(), "tests must run with --add-modules jdk.incubator.vector and "
                + "without -Dlovoccs.simd=false, or the SIMD loops go untested: " + Simd.describe());
    }

    @Test
    void simdAndScalarConvolutionsHaveTheSameBits() {
        SplittableRandom rnd = new SplittableRandom(5);
        int[][] sizes = {{2048, 24}, {301, 47}, {64, 64}, {33, 20}, {17, 9}, {7, 31}, {1, 5}};
        double[] sigmas = {0.4, 1.0, 1.9, 3.3};
        for (int[] size : sizes) {
            int w = size[0];
            int h = size[1];
            float[] a = new float[w * h];
            for (int i = 0; i < a.length; i++) {
                // sky noise around 0 (signed zeros and negative sums included), a few bright stars, bad pixels
                a[i] = (float) (rnd.nextGaussian() * 12);
                if (rnd.nextInt(200) == 0) {
                    a[i] = (float) (5e4 * rnd.nextDouble());
                }
            }
            a[0] = -0f;
            a[a.length / 2] = Float.NaN;
            a[a.length - 1] = Float.NEGATIVE_INFINITY;
            ImageF image = new ImageF(w, h, a);
            for (double sigma : sigmas) {
                SmoothingKernel k = SmoothingKernel.gaussian(sigma);
                float[] simd = k.convolve(image, true).array();
                float[] scalar = k.convolve(image, false).array();
                assertArrayEquals(bits(scalar), bits(simd), "sigma " + sigma + ", " + w + " x " + h);
            }
        }
    }

    private static int[] bits(float[] a) {
        int[] b = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = Float.floatToRawIntBits(a[i]);
        }
        return b;
    }
}
