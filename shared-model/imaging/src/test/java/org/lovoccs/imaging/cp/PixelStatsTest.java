package org.lovoccs.imaging.cp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.MaskPlane;
import org.lovoccs.imaging.MaskedImage;

class PixelStatsTest {

    @Test
    void medianBySelectionEqualsTheSortedMedianAndSkipsMaskedPixels() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int[] size : new int[][] {{7, 3}, {8, 4}, {101, 57}, {1, 1}}) {
            MaskedImage mi = MaskedImage.allocate(size[0], size[1]);
            float[] a = mi.image().array();
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) Math.floor(10 * rng.nextGaussian());
            }
            if (a.length > 3) {
                mi.mask().set(0, 0, MaskPlane.BAD);
                a[1] = Float.NaN;
            }
            float[] v = PixelStats.values(mi, MaskPlane.BAD.bitmask());
            Arrays.sort(v);
            int n = v.length;
            double expected = n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
            assertEquals(expected, PixelStats.median(mi, MaskPlane.BAD.bitmask()), 0.0, Arrays.toString(size));
        }
    }
}
