package org.lovoccs.imaging;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class FloatSortTest {

    /** Bit for bit the array Arrays.sort gives: sky-like, wide-range, signed zeros, infinities, NaN, ties. */
    @Test
    void sameAsArraysSort() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int n = trial < 20 ? trial * 37 : 200 + rnd.nextInt(40000);
            float[] a = new float[n];
            for (int i = 0; i < n; i++) {
                switch (trial % 5) {
                    case 0 -> a[i] = (float) (1000 + 32 * rnd.nextGaussian());
                    case 1 -> a[i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(20) - 10));
                    case 2 -> a[i] = new float[] {0f, -0f, 1f, -1f, Float.MIN_VALUE, -Float.MIN_VALUE,
                            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.MAX_VALUE}[rnd.nextInt(10)];
                    case 3 -> a[i] = rnd.nextInt(5) - 2;
                    default -> a[i] = Float.intBitsToFloat(rnd.nextInt());
                }
            }
            float[] expected = a.clone();
            Arrays.sort(expected);
            float[] got = a.clone();
            FloatSort.sort(got);
            assertEquals(n, got.length);
            int[] eb = new int[n];
            int[] gb = new int[n];
            for (int i = 0; i < n; i++) {
                eb[i] = Float.floatToIntBits(expected[i]);
                gb[i] = Float.floatToIntBits(got[i]);
            }
            assertArrayEquals(eb, gb, "trial " + trial + ", n " + n);
        }
        float[] part = {5, 4, 3, 2, 1};
        float[] big = new float[1000];
        for (int i = 0; i < big.length; i++) {
            big[i] = big.length - i;
        }
        FloatSort.sort(big, 100, 900);
        assertEquals(1000f, big[0]);
        assertEquals(101f, big[100]);
        assertEquals(900f, big[899]);
        assertEquals(100f, big[900]);
        FloatSort.sort(part, 1, 4);
        assertArrayEquals(new float[] {5, 2, 3, 4, 1}, part);
    }
}
