package org.lovoccs.simulator.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class PoissonSamplerTest {

    @Test
    void meanAndVarianceMatchOverTheRangeOfMeans() {
        SplittableRandom rng = RandomStreams.stream(7, 1);
        PoissonSampler p = new PoissonSampler();
        int n = 400_000;
        for (double mean : new double[] {0.3, 3.0, 9.99, 10.0, 47.5, 1000.0, 2.5e5}) {
            double s = 0;
            double s2 = 0;
            for (int i = 0; i < n; i++) {
                double k = p.sample(rng, mean);
                s += k;
                s2 += k * k;
            }
            double m = s / n;
            double v = s2 / n - m * m;
            assertEquals(mean, m, 5 * Math.sqrt(mean / n), "mean at " + mean);
            assertEquals(mean, v, 6 * mean * Math.sqrt(2.0 / n) + 1e-9, "variance at " + mean);
        }
    }

    @Test
    void probabilitiesOfSmallCountsAreExact() {
        SplittableRandom rng = RandomStreams.stream(8, 1);
        PoissonSampler p = new PoissonSampler();
        for (double mean : new double[] {4.0, 12.0}) {
            int n = 500_000;
            int[] hist = new int[60];
            for (int i = 0; i < n; i++) {
                hist[(int) Math.min(59, p.sample(rng, mean))]++;
            }
            double chi2 = 0;
            int dof = 0;
            for (int k = 0; k < 40; k++) {
                double expected = n * Math.exp(-mean + k * Math.log(mean) - PoissonSampler.logFactorial(k));
                if (expected > 20) {
                    chi2 += (hist[k] - expected) * (hist[k] - expected) / expected;
                    dof++;
                }
            }
            assertEquals(dof, chi2, 5 * Math.sqrt(2.0 * dof), "chi2 of the histogram at mean " + mean);
        }
    }

    @Test
    void logGammaMatchesFactorials() {
        double lf = 0;
        for (int k = 1; k < 200; k++) {
            lf += Math.log(k);
            assertEquals(lf, PoissonSampler.logGamma(k + 1.0), 1e-9 * Math.max(1, lf));
        }
        assertEquals(PoissonSampler.logGamma(200001.0), PoissonSampler.logFactorial(200000), 1e-6);
    }

    @Test
    void streamsAreReproducibleAndIndependent() {
        assertEquals(RandomStreams.stream(1, 2, 3).nextLong(), RandomStreams.stream(1, 2, 3).nextLong());
        assertNotEquals(RandomStreams.stream(1, 2, 3).nextLong(), RandomStreams.stream(1, 3, 2).nextLong());
        assertNotEquals(RandomStreams.stream(1, 2).nextLong(), RandomStreams.stream(2, 2).nextLong());
    }
}
