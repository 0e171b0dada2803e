package org.lovoccs.imaging.characterize;

import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.Mask;
import org.lovoccs.imaging.MaskPlane;
import org.lovoccs.imaging.MaskedImage;

import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PSF fluxes of Gaussian stars (sigma 1.8 px) at random sub-pixel positions, with a PSF model of the same Gaussian: the
 * flux against the injected one, the error against the scatter, the background offset, and the flag.
 */
class PsfFluxTest {

    private static final int SIZE = 25;
    private static final double SIGMA = 1.8;
    private static final double SKY = 1000;

    private static PsfModel gaussianModel() {
        float[] k = new float[SIZE * SIZE];
        int c = SIZE / 2;
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                // pixel-integrated, as the stars are (a PSF model made from stars is)
                k[y * SIZE + x] = (float) (cell(x - c) * cell(y - c));
            }
        }
        return new PsfModel(SIZE, 0, 0, 1, 0, 1, new float[][] {k}, 1);
    }

    /** Pixel-integrated Gaussian star of flux f at (x0, y0), added to img and its variance to var. */
    private static void addStar(float[] img, float[] var, int w, double x0, double y0, double f) {
        for (int y = (int) y0 - 15; y <= (int) y0 + 15; y++) {
            for (int x = (int) x0 - 15; x <= (int) x0 + 15; x++) {
                double v = f * cell(x - x0) * cell(y - y0);
                img[y * w + x] += (float) v;
                var[y * w + x] += (float) v;
            }
        }
    }

    /** The fraction of a unit Gaussian's flux in the pixel [d - 0.5, d + 0.5]. */
    private static double cell(double d) {
        return 0.5 * (erf((d + 0.5) / (SIGMA * Math.sqrt(2))) - erf((d - 0.5) / (SIGMA * Math.sqrt(2))));
    }

    private static double erf(double x) {
        // Abramowitz and Stegun 7.1.26 is 1e-7; the integral by Simpson's rule to ~1e-11 instead
        int n = 400;
        double h = x / n;
        double s = 0;
        for (int i = 0; i <= n; i++) {
            double t = i * h;
            double wgt = i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2;
            s += wgt * Math.exp(-t * t);
        }
        return 2 / Math.sqrt(Math.PI) * s * h / 3;
    }

    @Test
    void fluxesOfStarsAtAnySubPixelPositionAndTheirErrors() {
        int w = 1200;
        int h = 1200;
        Random rnd = new Random(3);
        PsfModel psf = gaussianModel();
        double[][] bright = new double[100][];
        double[][] faint = new double[300][];
        float[] img = new float[w * h];
        float[] var = new float[w * h];
        java.util.Arrays.fill(var, (float) SKY);
        int k = 0;
        for (int j = 0; j < 20; j++) {
            for (int i = 0; i < 20; i++, k++) {
                double x = 30 + 57 * i + rnd.nextDouble();
                double y = 30 + 57 * j + rnd.nextDouble();
                double f = k < 100 ? 1e6 : 4000;
                addStar(img, var, w, x, y, f);
                if (k < 100) {
                    bright[k] = new double[] {x, y, f};
                } else {
                    faint[k - 100] = new double[] {x, y, f};
                }
            }
        }
        // the bright stars without noise: the model's accuracy; then noise for the faint ones
        MaskedImage clean = new MaskedImage(new ImageF(w, h, img.clone()), new Mask(w, h), new ImageF(w, h, var));
        double worst = 0;
        for (double[] s : bright) {
            PsfFlux.Result r = PsfFlux.measure(clean, psf, s[0], s[1], 0);
            assertFalse(r.flagged());
            worst = Math.max(worst, Math.abs(r.flux() / s[2] - 1));
        }
        float[] noisy = img.clone();
        for (int p = 0; p < noisy.length; p++) {
            noisy[p] += (float) (rnd.nextGaussian() * Math.sqrt(var[p]));
        }
        MaskedImage e = new MaskedImage(new ImageF(w, h, noisy), new Mask(w, h), new ImageF(w, h, var));
        double sumPull = 0;
        double sumPull2 = 0;
        double meanErr = 0;
        for (double[] s : faint) {
            PsfFlux.Result r = PsfFlux.measure(e, psf, s[0], s[1], 0);
            double pull = (r.flux() - s[2]) / r.fluxErr();
            sumPull += pull;
            sumPull2 += pull * pull;
            meanErr += r.fluxErr() / faint.length;
        }
        double mean = sumPull / faint.length;
        double sd = Math.sqrt(sumPull2 / faint.length - mean * mean);
        // the aperture flux in 12 px on the same sky: sqrt(pi 144 x 1000 + f)
        double apErr = Math.sqrt(Math.PI * 144 * SKY + 4000);
        System.out.printf(Locale.ROOT, "PSF flux: noise-free stars within %.2e of their flux (worst); 300 stars of"
                        + " 4000 e- on a 1000 e- sky: pull mean %+.3f sd %.3f, error %.0f e- (a 12-px aperture's:"
                        + " %.0f e-)%n", worst, mean, sd, meanErr, apErr);
        // the model, centred on a pixel, shifted by Lanczos-3 to the star's centre: its interpolation error only, a
        // few 1e-3 at half-pixel shifts (2.4e-3 here); its mean over positions is the aperture correction's
        assertTrue(worst < 0.005, "noise-free PSF flux off by " + worst);
        assertTrue(Math.abs(mean) < 3 / Math.sqrt(faint.length) + 0.1, "pull mean " + mean);
        assertTrue(sd > 0.9 && sd < 1.1, "pull sd " + sd);
        assertTrue(meanErr < 0.5 * apErr, "the PSF flux should be far less noisy than a 12-px aperture's on sky");
    }

    @Test
    void backgroundOffsetAndFlags() {
        int w = 200;
        int h = 200;
        float[] img = new float[w * h];
        float[] var = new float[w * h];
        java.util.Arrays.fill(var, (float) SKY);
        addStar(img, var, w, 100.3, 99.6, 5e4);
        addStar(img, var, w, 16.0, 100.0, 5e4);
        PsfModel psf = gaussianModel();
        MaskedImage e = new MaskedImage(new ImageF(w, h, img.clone()), new Mask(w, h), new ImageF(w, h, var));
        PsfFlux.Result plain = PsfFlux.measure(e, psf, 100.3, 99.6, 0);
        float[] offset = img.clone();
        for (int p = 0; p < offset.length; p++) {
            offset[p] += 7;
        }
        MaskedImage eo = new MaskedImage(new ImageF(w, h, offset), new Mask(w, h), new ImageF(w, h, var));
        PsfFlux.Result withOffset = PsfFlux.measure(eo, psf, 100.3, 99.6, 7);
        assertEquals(plain.flux(), withOffset.flux(), 1e-6 * plain.flux(), "the offset is removed");
        PsfFlux.Result ignored = PsfFlux.measure(eo, psf, 100.3, 99.6, 0);
        assertTrue(ignored.flux() > plain.flux() + 100, "an unremoved offset of 7 e- adds ~7 x 4 pi sigma^2: "
                + (ignored.flux() - plain.flux()));
        // at x = 16 the 25-px stamp is on the CCD; at x = 3 its 9 columns off the edge hold under 1% of sum P^2 (the
        // flux stays unbiased, the fit leaves them out of both sums): not flagged; at x = 1, 12%: flagged
        assertFalse(PsfFlux.measure(e, psf, 16.0, 100.0, 0).flagged());
        assertFalse(PsfFlux.measure(e, psf, 3.0, 100.0, 0).flagged());
        assertTrue(PsfFlux.measure(e, psf, 1.0, 100.0, 0).flagged());
        // its core masked BAD: flagged, and the flux of the rest still fits the model
        int[] mask = new int[w * h];
        for (int y = 98; y <= 101; y++) {
            for (int x = 99; x <= 102; x++) {
                mask[y * w + x] = MaskPlane.BAD.bitmask();
            }
        }
        MaskedImage em = new MaskedImage(new ImageF(w, h, img.clone()), new Mask(w, h, mask), new ImageF(w, h, var));
        PsfFlux.Result masked = PsfFlux.measure(em, psf, 100.3, 99.6, 0);
        assertTrue(masked.flagged());
        assertEquals(plain.flux(), masked.flux(), 0.02 * plain.flux());
        assertTrue(PsfFlux.measure(e, psf, Double.NaN, 5, 0).flagged());
    }

    @Test
    void sparseFieldsTakeTheStandardCorrectionTimesTheApertureToPsfRatio() {
        // four PSF stars, too few for the correction's own fit (5): the standard aperture's correction (1.02 here)
        // times the median ratio of the 12-px flux to the PSF flux; with two, no correction and no total PSF flux
        int w = 400;
        int h = 400;
        float[] img = new float[w * h];
        float[] var = new float[w * h];
        java.util.Arrays.fill(var, (float) SKY);
        double[][] at = {{80.2, 90.7}, {300.5, 120.1}, {150.9, 310.4}, {320.3, 300.8}};
        for (double[] p : at) {
            addStar(img, var, w, p[0], p[1], 2e5);
        }
        MaskedImage e = new MaskedImage(new ImageF(w, h, img), new Mask(w, h), new ImageF(w, h, var));
        PsfModel psf = gaussianModel();
        java.util.List<Source> sources = new java.util.ArrayList<>();
        double[] ratio = new double[at.length];
        for (int i = 0; i < at.length; i++) {
            double[] ap = SourceMeasurer.aperture(e, at[i][0], at[i][1], 12);
            sources.add(new Source(i + 1, 0, at[i][0], at[i][1], ap[0], ap[1], 3.24, 3.24, 0, 1e4, 200,
                    SourceFlag.PSF_USED.bitmask()));
            ratio[i] = ap[0] / PsfFlux.measure(e, psf, at[i][0], at[i][1], 0).flux();
        }
        java.util.Arrays.sort(ratio);
        ApertureCorrection standard = new ApertureCorrection(0, new double[] {1.02}, w, h, 12, 30, 4, 0);
        PsfFlux.Catalogue c = PsfFlux.measureAll(e, sources, psf, 0, standard, ApertureCorrection.Config.defaults());
        assertTrue(c.apCorr() != null, c.apCorrNote());
        assertFalse(c.apCorrNote().isEmpty());
        assertEquals(1.02 * 0.5 * (ratio[1] + ratio[2]), c.apCorr().at(10, 10), 1e-12);
        assertEquals(c.results().get(0).flux() * c.apCorr().at(80.2, 90.7), c.totalFlux(0, sources.get(0)), 1e-9);
        PsfFlux.Catalogue two = PsfFlux.measureAll(e, sources.subList(0, 2), psf, 0, standard,
                ApertureCorrection.Config.defaults());
        assertTrue(two.apCorr() == null && two.apCorrNote().contains("only 2 PSF stars"), two.apCorrNote());
        assertTrue(Double.isNaN(two.totalFlux(0, sources.get(0))));
    }
}
