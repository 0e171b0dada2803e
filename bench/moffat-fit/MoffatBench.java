import java.util.Arrays;
import java.util.Random;

import org.lovoccs.imaging.MaskedImage;
import org.lovoccs.imaging.quality.MoffatFit;
import org.lovoccs.imaging.quality.MoffatFitter;

/**
 * check_visit's Moffat fit on one core: 200 elliptical Gaussian-core stars (FWHM about 4 px, S/N 50-500) with sky
 * noise on a 2000 x 400 image, each fitted on a 25 x 25 stamp as CheckVisit does; prints the mean FWHM and e1 of the
 * fits and the best and median time per round of 200 fits, 10 rounds after 5 warm-up rounds.
 */
public class MoffatBench {
    public static void main(String[] args) {
        int w = 2000;
        int h = 400;
        MaskedImage e = MaskedImage.allocate(w, h);
        Random rnd = new Random(5);
        float sky = 400;
        for (int k = 0; k < w * h; k++) {
            e.image().array()[k] = (float) (rnd.nextGaussian() * Math.sqrt(sky));
            e.variance().array()[k] = sky;
        }
        int n = 200;
        double[][] stars = new double[n][];
        for (int s = 0; s < n; s++) {
            double x = 20 + (s % 100) * 19.5 + rnd.nextDouble();
            double y = 60 + (s / 100) * 200 + rnd.nextDouble();
            double flux = 3000 * Math.pow(10, rnd.nextDouble());
            double sigma = 4.0 / 2.3548;
            double e1 = 0.05;
            for (int j = (int) y - 15; j <= (int) y + 15; j++) {
                for (int i = (int) x - 15; i <= (int) x + 15; i++) {
                    double dx = i - x;
                    double dy = j - y;
                    double r2 = ((1 - e1) * dx * dx + (1 + e1) * dy * dy) / (sigma * sigma);
                    e.image().array()[j * w + i] += (float) (flux / (2 * Math.PI * sigma * sigma) * Math.exp(-0.5 * r2));
                }
            }
            stars[s] = new double[] {x, y};
        }
        double[] times = new double[10];
        double fwhm = 0;
        double e1 = 0;
        int fitted = 0;
        for (int round = -5; round < 10; round++) {
            long t0 = System.nanoTime();
            fwhm = 0;
            e1 = 0;
            fitted = 0;
            for (double[] s : stars) {
                MoffatFit f = MoffatFitter.fit(e, s[0], s[1], 12, 4.5);
                if (f != null && f.converged()) {
                    fwhm += f.fwhm();
                    e1 += f.e1();
                    fitted++;
                }
            }
            long t1 = System.nanoTime();
            if (round >= 0) {
                times[round] = (t1 - t0) / 1e9;
            }
        }
        Arrays.sort(times);
        System.out.printf("RESULT MoffatFitter.fit, %d of %d stars converged: mean FWHM %.5f px, mean e1 %+.5f;"
                + " per round of %d fits best %.3f s, median %.3f s (%.2f ms per fit)%n", fitted, n, fwhm / fitted,
                e1 / fitted, n, times[0], times[5], 1e3 * times[5] / n);
    }
}
