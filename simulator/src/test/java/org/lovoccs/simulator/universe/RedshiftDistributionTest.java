package org.lovoccs.simulator.universe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.lovoccs.simulator.random.RandomStreams;

class RedshiftDistributionTest {

    /** Median and mean of z^2 exp(-(z/z0)^1.5) on [0, zMax] by direct numerical integration (Simpson). */
    private static double[] analytic(double z0, double zMax) {
        int n = 200_000;
        double h = zMax / n;
        double[] cum = new double[n + 1];
        double norm = 0;
        double first = 0;
        for (int i = 1; i <= n; i++) {
            double a = (i - 1) * h;
            double b = i * h;
            double m = 0.5 * (a + b);
            double w = h / 6 * (f(a, z0) + 4 * f(m, z0) + f(b, z0));
            norm += w;
            first += h / 6 * (a * f(a, z0) + 4 * m * f(m, z0) + b * f(b, z0));
            cum[i] = norm;
        }
        int k = 0;
        while (cum[k] < 0.5 * norm) {
            k++;
        }
        double median = (k - 1 + (0.5 * norm - cum[k - 1]) / (cum[k] - cum[k - 1])) * h;
        return new double[] {median, first / norm};
    }

    private static double f(double z, double z0) {
        return z * z * Math.exp(-Math.pow(z / z0, 1.5));
    }

    @Test
    void sampleMedianAndMeanMatchAnalytic() {
        for (double zMax : new double[] {4.0, 1.2}) {
            RedshiftDistribution d = new RedshiftDistribution(0.5, zMax);
            double[] expect = analytic(0.5, zMax);
            assertEquals(expect[0], d.median(), 1e-5, "quantile(0.5)");
            int n = 200_000;
            double[] z = new double[n];
            SplittableRandom rng = RandomStreams.stream(42, 7);
            double sum = 0;
            double sum2 = 0;
            for (int i = 0; i < n; i++) {
                z[i] = d.quantile(rng.nextDouble());
                assertTrue(z[i] >= 0 && z[i] <= zMax);
                sum += z[i];
                sum2 += z[i] * z[i];
            }
            double mean = sum / n;
            double sd = Math.sqrt(sum2 / n - mean * mean);
            assertEquals(expect[1], mean, 4 * sd / Math.sqrt(n), "mean, zMax=" + zMax);
            Arrays.sort(z);
            double med = z[n / 2];
            // standard error of the median: 1 / (2 n(med) sqrt(n))
            double seMed = 1 / (2 * d.density(expect[0]) * Math.sqrt(n));
            assertEquals(expect[0], med, 4 * seMed, "median, zMax=" + zMax);
        }
        // the untruncated mean is z0 Γ(8/3) = 1.504575 z0
        assertEquals(1.504575 * 0.5, analytic(0.5, 8.0)[1], 1e-5);
    }

    @Test
    void medianRisesWithMagnitude() {
        assertEquals(0.35, RedshiftDistribution.forRMagnitude(20).median(), 1e-6);
        assertEquals(0.75, RedshiftDistribution.forRMagnitude(24).median(), 1e-6);
        assertTrue(RedshiftDistribution.forRMagnitude(25).median() > RedshiftDistribution.forRMagnitude(22).median());
        double c = RedshiftDistribution.forRMagnitude(22).cdf(0.55);
        assertEquals(0.5, c, 1e-9);
    }
}
