package org.lovoccs.imaging;

import java.util.Arrays;

/**
 * Sorts floats in the same order as {@link Arrays#sort(float[])} ({@link Float#compare}: -0.0 before 0.0, NaN last),
 * so the result is the same array, by a least-significant-digit radix sort on the IEEE bits (three 11-bit passes,
 * a pass skipped when every value shares its digit). For the 16,384-pixel background meshes it is several times
 * faster than the quicksort; short arrays go to {@link Arrays#sort}.
 */
public final class FloatSort {

    private static final int SHORT = 256;
    private static final int BITS = 11;
    private static final int RADIX = 1 << BITS;

    /** Per-thread work arrays, kept between calls (a CCD's background sorts hundreds of meshes). */
    private static final class Scratch {
        int[] keys = new int[0];
        int[] tmp = new int[0];
        final int[][] counts = new int[3][RADIX + 1];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private FloatSort() {
    }

    public static void sort(float[] a) {
        sort(a, 0, a.length);
    }

    /** Sorts a[from, to). */
    public static void sort(float[] a, int from, int to) {
        int n = to - from;
        if (n < SHORT) {
            Arrays.sort(a, from, to);
            return;
        }
        Scratch sc = SCRATCH.get();
        if (sc.keys.length < n) {
            sc.keys = new int[n];
            sc.tmp = new int[n];
        }
        int[] keys = sc.keys;
        int[] tmp = sc.tmp;
        int[][] counts = sc.counts;
        for (int[] c : counts) {
            Arrays.fill(c, 0);
        }
        int[] c0 = counts[0];
        int[] c1 = counts[1];
        int[] c2 = counts[2];
        for (int i = 0; i < n; i++) {
            int bits = Float.floatToIntBits(a[from + i]);   // NaNs canonical, sorting last as Float.compare does
            int key = bits ^ ((bits >> 31) | 0x80000000);    // unsigned order of key = Float.compare order
            keys[i] = key;
            c0[(key & (RADIX - 1)) + 1]++;
            c1[((key >>> BITS) & (RADIX - 1)) + 1]++;
            c2[(key >>> (2 * BITS)) + 1]++;
        }
        int[] src = keys;
        int[] dst = tmp;
        for (int pass = 0; pass < 3; pass++) {
            int[] c = counts[pass];
            int shift = pass * BITS;
            boolean trivial = false;
            for (int d = 1; d <= RADIX; d++) {
                if (c[d] == n) {
                    trivial = true;
                    break;
                }
                if (c[d] != 0) {
                    break;
                }
            }
            if (trivial) {
                continue;
            }
            for (int d = 0; d < RADIX; d++) {
                c[d + 1] += c[d];
            }
            for (int i = 0; i < n; i++) {
                int k = src[i];
                dst[c[(k >>> shift) & (RADIX - 1)]++] = k;
            }
            int[] t = src;
            src = dst;
            dst = t;
        }
        for (int i = 0; i < n; i++) {
            int key = src[i];
            a[from + i] = Float.intBitsToFloat(key ^ (~(key >> 31) | 0x80000000));
        }
    }
}
