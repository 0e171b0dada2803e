package org.lovoccs.imaging.isr;

import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.Mask;
import org.lovoccs.imaging.MaskPlane;
import org.lovoccs.imaging.MaskedImage;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cosmic-ray tracks at every angle across the cores of Gaussian stars (sigma 1.8 px, as DECam's 1" seeing) and on
 * blank sky, interpolated by {@link Interpolation#acrossShortestGap} and, for comparison, along rows only: the stars'
 * fluxes in a 8-px aperture against the same image without the tracks, and the interpolated sky against its truth
 * with the variance the interpolation reports.
 */
class InterpolationTest {

    private static final int W = 432;
    private static final int H = 432;
    private static final double SKY = 1000;
    private static final double SIGMA = 1.8;
    private static final double FLUX = 2e5;
    private static final int STARS = 36;
    private static final int CR = MaskPlane.CR.bitmask();

    /** Star i of 36 on a 6 x 6 grid, 72 px apart, with sub-pixel offsets. */
    private static double[] star(int i) {
        return new double[] {36 + 72 * (i % 6) + 0.37 * (i % 3), 36 + 72 * (i / 6) + 0.29 * (i % 4)};
    }

    private record Field(float[] noiseless, float[] reference, MaskedImage withTracks, int trackPixels) {
    }

    /**
     * The sky and stars with Poisson-like noise; then a 17-px track of 2,500 e- per pixel through each star's centre at
     * angle i x 5 deg (0 to 175 deg), and another through blank sky 30 px to its right, masked CR.
     */
    private static Field field(long seed) {
        Random rnd = new Random(seed);
        float[] noiseless = new float[W * H];
        Arrays.fill(noiseless, (float) SKY);
        for (int i = 0; i < STARS; i++) {
            double[] c = star(i);
            for (int y = (int) c[1] - 15; y <= (int) c[1] + 15; y++) {
                for (int x = (int) c[0] - 15; x <= (int) c[0] + 15; x++) {
                    double dx = x - c[0];
                    double dy = y - c[1];
                    noiseless[y * W + x] += (float) (FLUX / (2 * Math.PI * SIGMA * SIGMA)
                            * Math.exp(-(dx * dx + dy * dy) / (2 * SIGMA * SIGMA)));
                }
            }
        }
        float[] ref = new float[W * H];
        float[] var = new float[W * H];
        for (int k = 0; k < W * H; k++) {
            var[k] = noiseless[k];
            ref[k] = (float) (noiseless[k] + rnd.nextGaussian() * Math.sqrt(noiseless[k]));
        }
        float[] img = ref.clone();
        int[] mask = new int[W * H];
        int hit = 0;
        for (int i = 0; i < STARS; i++) {
            double[] c = star(i);
            double a = Math.toRadians(5 * i);
            for (double[] centre : new double[][] {c, {c[0] + 30, c[1]}}) {
                for (double t = -8; t <= 8; t += 0.1) {
                    int x = (int) Math.round(centre[0] + t * Math.cos(a));
                    int y = (int) Math.round(centre[1] + t * Math.sin(a));
                    int k = y * W + x;
                    if ((mask[k] & CR) == 0) {
                        mask[k] |= CR;
                        img[k] += 2500;
                        hit++;
                    }
                }
            }
        }
        MaskedImage e = new MaskedImage(new ImageF(W, H, img), new Mask(W, H, mask), new ImageF(W, H, var));
        return new Field(noiseless, ref, e, hit);
    }

    private static MaskedImage copy(MaskedImage e) {
        return new MaskedImage(e.image().copy(), new Mask(W, H, e.mask().array().clone()), e.variance().copy());
    }

    /** (interpolated - reference) summed within 8 px of each star, over its flux. */
    private static double[] fluxErrors(MaskedImage e, float[] reference) {
        double[] err = new double[STARS];
        float[] a = e.image().array();
        for (int i = 0; i < STARS; i++) {
            double[] c = star(i);
            double s = 0;
            for (int y = (int) c[1] - 9; y <= (int) c[1] + 9; y++) {
                for (int x = (int) c[0] - 9; x <= (int) c[0] + 9; x++) {
                    if (Math.hypot(x - c[0], y - c[1]) <= 8) {
                        s += a[y * W + x] - reference[y * W + x];
                    }
                }
            }
            err[i] = s / FLUX;
        }
        return err;
    }

    private static double maxAbs(double[] v) {
        return Arrays.stream(v).map(Math::abs).max().orElseThrow();
    }

    private static double medianAbs(double[] v) {
        double[] a = Arrays.stream(v).map(Math::abs).sorted().toArray();
        return 0.5 * (a[(a.length - 1) / 2] + a[a.length / 2]);
    }

    @Test
    void tracksAtEveryAngleAcrossStarsKeepTheirFluxAndRowsAloneDoNot() {
        Field f = field(7);
        MaskedImage rows = copy(f.withTracks());
        Interpolation.alongRows(rows, CR);
        MaskedImage shortest = copy(f.withTracks());
        int n = Interpolation.acrossShortestGap(shortest, CR, CR);
        n += Interpolation.alongRowsExceptInterpolated(shortest, CR);
        assertEquals(f.trackPixels(), n, "every CR pixel interpolated once");

        double[] eRows = fluxErrors(rows, f.reference());
        double[] eShortest = fluxErrors(shortest, f.reference());
        System.out.printf(Locale.ROOT, "flux error of 36 stars crossed by a track, 8-px aperture: across the shortest"
                        + " gap median |%.4f| worst |%.4f|; along rows median |%.4f| worst |%.4f|%n",
                medianAbs(eShortest), maxAbs(eShortest), medianAbs(eRows), maxAbs(eRows));
        // a straight line across a 1.8-px-sigma core from the means of two pixels each side under-fills each pixel
        // on the core's line by ~29% of its value; along a track that lies in the row it bridges the whole core
        assertTrue(maxAbs(eRows) > 0.10, "rows alone should fail on tracks along the rows: worst " + maxAbs(eRows));
        // the parabola across a 1-px gap in a row or column under-fills the core's line by ~4% of its values (~1% of
        // the flux), across a diagonal, whose samples are sqrt(2) farther apart, by ~12% (~2-3%)
        assertTrue(maxAbs(eShortest) < 0.04, "worst flux error " + maxAbs(eShortest));
        assertTrue(medianAbs(eShortest) < 0.02, "median flux error " + medianAbs(eShortest));
        assertTrue(maxAbs(eShortest) < maxAbs(eRows) / 4 && medianAbs(eShortest) < medianAbs(eRows) / 3,
                "no better than rows alone");
        for (int k = 0; k < W * H; k++) {
            int m = f.withTracks().mask().array()[k];
            if ((m & CR) == 0) {
                assertEquals(f.withTracks().image().array()[k], shortest.image().array()[k], "pixel " + k);
                assertEquals(0, shortest.mask().array()[k] & MaskPlane.INTRP.bitmask(), "INTRP on pixel " + k);
            } else {
                assertTrue((shortest.mask().array()[k] & MaskPlane.INTRP.bitmask()) != 0, "no INTRP on pixel " + k);
            }
        }
    }

    @Test
    void interpolatedSkyIsUnbiasedAndItsVarianceIsTheOneReported() {
        double sumChi2 = 0;
        double sumResid = 0;
        int n = 0;
        for (long seed = 11; seed < 15; seed++) {
            Field f = field(seed);
            MaskedImage e = copy(f.withTracks());
            Interpolation.acrossShortestGap(e, CR, CR);
            int[] mask = e.mask().array();
            for (int k = 0; k < W * H; k++) {
                // the blank-sky tracks: the stars' light is under 1 e- beyond 10 px of their centres
                double[] c = star(nearestStar(k));
                if ((mask[k] & CR) == 0 || Math.hypot(k % W - c[0], k / W - c[1]) < 12) {
                    continue;
                }
                double r = e.image().array()[k] - f.noiseless()[k];
                sumResid += r;
                sumChi2 += r * r / e.variance().array()[k];
                n++;
            }
        }
        double mean = sumResid / n;
        double chi2 = sumChi2 / n;
        System.out.printf(Locale.ROOT, "%d interpolated blank-sky pixels: mean residual %.3f e- (pixel noise %.1f),"
                + " chi^2 against the reported variance %.3f%n", n, mean, Math.sqrt(SKY), chi2);
        assertTrue(n > 1500, "too few blank-sky track pixels: " + n);
        // the interpolants have unit-sum weights: no bias beyond 3 sigma of the mean (each value's sigma ~ the pixel's)
        assertTrue(Math.abs(mean) < 3 * Math.sqrt(SKY / n) * 1.2, "mean residual " + mean);
        assertTrue(chi2 > 0.85 && chi2 < 1.15, "chi^2 per pixel against the reported variance " + chi2);
    }

    private static int nearestStar(int k) {
        int best = 0;
        double d = Double.POSITIVE_INFINITY;
        for (int i = 0; i < STARS; i++) {
            double[] c = star(i);
            double di = Math.hypot(k % W - c[0], k / W - c[1]);
            if (di < d) {
                d = di;
                best = i;
            }
        }
        return best;
    }

    @Test
    void parabolaAndLineWeights() {
        double[] out = new double[2];
        // symmetric: 2/3 on the nearest pixels, -1/6 on the next; a quadratic is reproduced exactly
        double[] lo = {2, 1, 1 - 2 + 3, 1, 2, 4 - 4 + 3, 1};   // f(t) = t^2 + 2t + 3 at t = -1, -2
        double[] hi = {2, 1, 1 + 2 + 3, 1, 2, 4 + 4 + 3, 1};
        Interpolation.parabolaAtZero(lo, hi, out);
        assertEquals(3.0, out[0], 1e-12);
        assertEquals(2 * (4.0 / 9) + 2 * (1.0 / 36), out[1], 1e-12);
        // asymmetric gap (nearest good pixels at -1 and +2): still exact on a quadratic
        double[] lo2 = {2, 1, 1 - 2 + 3, 1, 2, 4 - 4 + 3, 1};
        double[] hi2 = {2, 2, 4 + 4 + 3, 1, 3, 9 + 6 + 3, 1};
        Interpolation.parabolaAtZero(lo2, hi2, out);
        assertEquals(3.0, out[0], 1e-12);
        // the line between the means: the means of steps 1, 2 each side sit at 1.5
        double[] l = {2, 1, 10, 4, 2, 20, 4};
        double[] r = {2, 1, 30, 4, 2, 40, 4};
        Interpolation.lineAtZero(l, r, out);
        assertEquals(25.0, out[0], 1e-12);
        assertEquals(0.25 * 2 + 0.25 * 2, out[1], 1e-12);
    }

    @Test
    void pixelsWithNoGoodNeighboursAreLeftForTheRows() {
        // an image of nothing but CR pixels: no pixel has a good pixel to interpolate from, in any direction
        int w = 8;
        int h = 8;
        int[] mask = new int[w * h];
        Arrays.fill(mask, CR);
        MaskedImage e = new MaskedImage(new ImageF(w, h), new Mask(w, h, mask), new ImageF(w, h));
        assertEquals(0, Interpolation.acrossShortestGap(e, CR, CR));
        assertEquals(0, Interpolation.alongRowsExceptInterpolated(e, CR));
        for (int m : e.mask().array()) {
            assertEquals(CR, m);
        }
    }
}
