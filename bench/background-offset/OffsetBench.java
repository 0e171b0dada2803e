import java.util.SplittableRandom;

import org.lovoccs.imaging.MaskPlane;
import org.lovoccs.imaging.MaskedImage;
import org.lovoccs.imaging.characterize.BackgroundOffset;

/**
 * Times BackgroundOffset.measure (calibrate's MEANCLIP of the background-subtracted calexp) on a 2048 x 4096 CCD: a
 * Poisson-skewed sky of 1,000 e- with 7 e- read noise less its mode, 4,000 sources of which 3 in 4 are masked
 * DETECTED, 0.5% BAD pixels. Prints the offset (a change that keeps the statistic keeps it to ~1e-12) and the best and
 * median of the timed runs after the warm-up.
 */
public final class OffsetBench {
    public static void main(String[] args) {
        int w = 2048;
        int h = 4096;
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        MaskedImage e = MaskedImage.allocate(w, h);
        SplittableRandom rng = new SplittableRandom(3);
        float[] a = e.image().array();
        for (int i = 0; i < a.length; i++) {
            // the Poisson skew to first order (Cornish-Fisher, skewness 1 / sqrt(1000)), the mode's 0.36 e- left in
            double z = rng.nextGaussian();
            a[i] = (float) (Math.sqrt(1049) * (z + (z * z - 1) / (6 * Math.sqrt(1000))) + 0.36);
        }
        for (int k = 0; k < 4000; k++) {
            int x = rng.nextInt(w);
            int y = rng.nextInt(h);
            double amp = 2e4 * Math.pow(rng.nextDouble(), 3);
            for (int dy = -8; dy <= 8; dy++) {
                for (int dx = -8; dx <= 8; dx++) {
                    int xx = x + dx;
                    int yy = y + dy;
                    if (xx < 0 || yy < 0 || xx >= w || yy >= h) {
                        continue;
                    }
                    a[yy * w + xx] += (float) (amp * Math.exp(-(dx * dx + dy * dy) / 8.0));
                    if (k % 4 != 0 && dx * dx + dy * dy <= 36) {
                        e.mask().set(xx, yy, MaskPlane.DETECTED);
                    }
                }
            }
        }
        for (int k = 0; k < w * h / 200; k++) {
            e.mask().set(rng.nextInt(w), rng.nextInt(h), MaskPlane.BAD);
        }
        int ignored = MaskPlane.BAD.bitmask() | MaskPlane.DETECTED.bitmask() | MaskPlane.SAT.bitmask();
        double value = 0;
        for (int i = 0; i < 5; i++) {
            value = BackgroundOffset.measure(e, ignored);
        }
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            value = BackgroundOffset.measure(e, ignored);
            t[i] = (System.nanoTime() - t0) / 1e9;
        }
        java.util.Arrays.sort(t);
        System.out.printf(java.util.Locale.ROOT, "BackgroundOffset.measure, 2048 x 4096: offset %.12f e-; best %.4f s,"
                + " median %.4f s of %d runs (one core)%n", value, t[0], t[runs / 2], runs);
    }
}
