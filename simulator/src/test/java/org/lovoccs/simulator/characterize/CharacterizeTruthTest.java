package org.lovoccs.simulator.characterize;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.Mask;
import org.lovoccs.imaging.MaskedImage;
import org.lovoccs.imaging.characterize.AdaptiveMoments;
import org.lovoccs.imaging.characterize.CharacterizeConfig;
import org.lovoccs.imaging.characterize.CharacterizeResult;
import org.lovoccs.imaging.characterize.Characterizer;
import org.lovoccs.imaging.characterize.PsfModel;
import org.lovoccs.imaging.characterize.Source;
import org.lovoccs.simulator.DecamCamera;
import org.lovoccs.simulator.DecamCcd;
import org.lovoccs.simulator.PsfProfile;
import org.lovoccs.simulator.random.PoissonSampler;
import org.lovoccs.simulator.sky.PointSourceRenderer;
import org.lovoccs.simulator.sky.Psf;
import org.lovoccs.simulator.sky.PsfField;

/**
 * characterizeImage against the simulator's truth on one full 2048 x 4096 DECam CCD at the edge of the focal plane
 * (where the PSF varies most): stars drawn with the exposure's true, varying, elliptical Moffat PSF field
 * ({@link PsfField}, beta 3.5, 1.0" seeing, 5% FWHM growth and optical ellipticity 0.025 at 200 mm, atmospheric
 * ellipticity (0.02, -0.01)), exactly as the sky renderer draws them (pixel-integrated), on 1,000 e- of sky, with
 * Poisson and 7 e- read noise. No instrument, so ISR is not involved.
 *
 * <p>Truth for the PSF is the true PSF at the same point drawn noise-free, centred on a pixel, and measured with the
 * same estimators as the model ({@link PsfModel#kernelFwhm}, {@link PsfModel#kernelMoments}), so the comparison is of
 * the models, not of the estimators: both include the pixel response. SCIENCE.md's goals: FWHM within 1%,
 * |de| &lt; 0.003, completeness &ge; 99% for point sources at S/N &gt; 10, spurious &lt; 0.5%.
 */
class CharacterizeTruthTest {

    static final long SEED = 20261125L;
    static final double SKY = 1000.0;
    static final double READ_NOISE = 7.0;
    static final int STARS = 1500;

    record TrueStar(double x, double y, double flux, double snr) {
    }

    static DecamCcd ccd;
    static PsfField field;
    static List<TrueStar> truth;
    static CharacterizeResult result;
    static double noise;

    @BeforeAll
    static void characterizeOneCcd() {
        DecamCamera camera = DecamCamera.standard();
        ccd = camera.ccds().stream()
                .max(Comparator.comparingDouble(c -> Math.hypot(c.centerXMm(), c.centerYMm()))).orElseThrow();
        field = new PsfField(PsfProfile.DEFAULT, 1.0, 0.05, 0.02, -0.01, 0.025, 200.0,
                DecamCamera.PIXEL_SCALE_ARCSEC);
        int w = DecamCamera.CCD_WIDTH;
        int h = DecamCamera.CCD_HEIGHT;
        SplittableRandom rng = new SplittableRandom(SEED);
        ImageF expected = new ImageF(w, h);
        expected.fill((float) SKY);
        truth = new ArrayList<>();
        noise = Math.sqrt(SKY + READ_NOISE * READ_NOISE);
        // dN/dm ~ 10^(0.25 m) from r = 16.5 to 24, 90 s at zero point 26.9 (1 e-/s)
        double lo = Math.pow(10, 0.25 * 16.5);
        double hi = Math.pow(10, 0.25 * 24.0);
        for (int i = 0; i < STARS; i++) {
            double x = rng.nextDouble() * w - 0.5;
            double y = rng.nextDouble() * h - 0.5;
            double mag = Math.log10(lo + rng.nextDouble() * (hi - lo)) / 0.25;
            double flux = 90.0 * Math.pow(10, -0.4 * (mag - 26.9));
            Psf psf = field.at(ccd, x, y);
            PointSourceRenderer.add(expected, psf, x, y, flux);
            // optimal (PSF-weighted) S/N on the sky-limited noise: F / (noise sqrt(n_eff)), n_eff = 1 / sum p^2
            truth.add(new TrueStar(x, y, flux, flux / (noise * Math.sqrt(effectiveArea(psf)))));
        }
        ImageF image = new ImageF(w, h);
        ImageF variance = new ImageF(w, h);
        PoissonSampler poisson = new PoissonSampler();
        SplittableRandom noiseRng = new SplittableRandom(SEED + 1);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double e = expected.get(x, y);
                image.set(x, y, (float) (poisson.sample(noiseRng, e) + READ_NOISE * noiseRng.nextGaussian()));
                variance.set(x, y, (float) (e + READ_NOISE * READ_NOISE));
            }
        }
        long t0 = System.nanoTime();
        result = Characterizer.run(new MaskedImage(image, new Mask(w, h), variance), CharacterizeConfig.defaults());
        System.out.printf("characterized %s (%dx%d): %d sources, %d PSF stars, in %.1f s%n", ccd.name(), w, h,
                result.sources().size(), result.psfStars().size(), (System.nanoTime() - t0) / 1e9);
    }

    static double effectiveArea(Psf psf) {
        ImageF stamp = new ImageF(61, 61);
        PointSourceRenderer.add(stamp, psf, 30, 30, 1.0);
        double s2 = 0;
        for (float v : stamp.array()) {
            s2 += (double) v * v;
        }
        return 1.0 / s2;
    }

    /** The true PSF at (x, y), drawn noise-free and pixel-integrated on a kernel-sized stamp centred on a pixel. */
    static ImageF truePsfImage(double x, double y, int size) {
        ImageF stamp = new ImageF(size, size);
        PointSourceRenderer.add(stamp, field.at(ccd, x, y), size / 2, size / 2, 1.0);
        return stamp;
    }

    @Test
    void psfModelMatchesTruthFwhmToOnePercentAndEllipticityTo0p003() {
        PsfModel psf = result.psf();
        int w = DecamCamera.CCD_WIDTH;
        int h = DecamCamera.CCD_HEIGHT;
        double[][] points = {{w / 2.0, h / 2.0}, {200, 200}, {w - 200, 200}, {200, h - 200}, {w - 200, h - 200},
                {w / 2.0, 300}, {w / 2.0, h - 300}};
        double worstFwhm = 0;
        double worstE = 0;
        StringBuilder table = new StringBuilder();
        for (double[] p : points) {
            ImageF trueImage = truePsfImage(p[0], p[1], psf.size());
            double trueFwhm = PsfModel.kernelFwhm(trueImage);
            AdaptiveMoments.Result tm = PsfModel.kernelMoments(trueImage);
            double fwhm = psf.fwhmAt(p[0], p[1]);
            double[] e = psf.ellipticityAt(p[0], p[1]);
            double dF = fwhm / trueFwhm - 1;
            double dE = Math.hypot(e[0] - tm.e1(), e[1] - tm.e2());
            worstFwhm = Math.max(worstFwhm, Math.abs(dF));
            worstE = Math.max(worstE, dE);
            double[] fp = org.lovoccs.simulator.optics.ExposureAstrometry.focalPlaneMm(ccd, p[0], p[1]);
            table.append(String.format("  (%5.0f, %5.0f): FWHM %.4f vs true %.4f (Moffat %.4f) px, dFWHM %+.3f%%;"
                            + " e (%+.4f, %+.4f) vs true (%+.4f, %+.4f), |de| %.4f%n", p[0], p[1], fwhm, trueFwhm,
                    field.fwhmPixels(fp[0], fp[1]), 100 * dF, e[0], e[1], tm.e1(), tm.e2(), dE));
        }
        System.out.printf("PSF model vs truth on %s, %d stars:%n%s  worst |dFWHM| = %.3f%%, worst |de| = %.4f%n",
                ccd.name(), psf.starCount(), table, 100 * worstFwhm, worstE);
        assertTrue(worstFwhm < 0.01, "FWHM off by " + 100 * worstFwhm + "%:\n" + table);
        assertTrue(worstE < 0.003, "ellipticity off by " + worstE + ":\n" + table);
    }

    @Test
    void pointSourcesAboveSnr10AreAtLeast99PercentCompleteAndSpuriousBelowHalfAPercent() {
        List<Source> sources = result.sources().sources();
        int bright = 0;
        int found = 0;
        StringBuilder missed = new StringBuilder();
        for (TrueStar t : truth) {
            if (t.snr() <= 10 || t.x() < 0 || t.y() < 0 || t.x() > DecamCamera.CCD_WIDTH - 1
                    || t.y() > DecamCamera.CCD_HEIGHT - 1) {
                continue;
            }
            bright++;
            double best = nearest(sources, t.x(), t.y());
            if (best < 2.0) {
                found++;
            } else if (Boolean.getBoolean("debugMissed")) {
                for (TrueStar o : truth) {
                    if (Math.hypot(o.x() - t.x(), o.y() - t.y()) < 15) {
                        System.out.printf("   truth (%.1f, %.1f) S/N %.1f%n", o.x(), o.y(), o.snr());
                    }
                }
                for (Source o : sources) {
                    if (Math.hypot(o.x() - t.x(), o.y() - t.y()) < 15) {
                        System.out.printf("   source (%.1f, %.1f) S/N %.1f flags %d parent %d%n", o.x(), o.y(),
                                o.snr(), o.flags(), o.parentId());
                    }
                }
                System.out.println("  --");
            }
            if (best >= 2.0 && missed.length() < 2000) {
                missed.append(String.format(" (%.1f, %.1f) S/N %.1f d=%.1f;", t.x(), t.y(), t.snr(), best));
            }
        }
        int spurious = 0;
        for (Source s : sources) {
            double best = Double.POSITIVE_INFINITY;
            for (TrueStar t : truth) {
                best = Math.min(best, Math.hypot(s.x() - t.x(), s.y() - t.y()));
            }
            if (best > 3.0) {
                spurious++;
            }
        }
        double completeness = found / (double) bright;
        double spuriousFraction = spurious / (double) sources.size();
        System.out.printf("completeness at S/N > 10: %d of %d = %.2f%%; spurious %d of %d = %.2f%%; missed:%s%n",
                found, bright, 100 * completeness, spurious, sources.size(), 100 * spuriousFraction, missed);
        assertTrue(completeness >= 0.99, "completeness " + completeness + "; missed:" + missed);
        assertTrue(spuriousFraction < 0.005, "spurious fraction " + spuriousFraction);
    }

    @Test
    void backgroundResidualIsSmallAgainstTheNoise() {
        ImageF bg = result.background().renderLevel();
        double sum = 0;
        double sum2 = 0;
        int n = 0;
        for (float v : bg.array()) {
            double d = v - SKY;
            sum += d;
            sum2 += d * d;
            n++;
        }
        double mean = sum / n / noise;
        double rms = Math.sqrt(sum2 / n) / noise;
        double globalRms = result.background().globalRms();
        System.out.printf("background - true sky: mean %+.4f sigma, rms %.4f sigma; background rms %.2f e- vs true"
                + " %.2f e-%n", mean, rms, globalRms, noise);
        assertTrue(Math.abs(mean) < 0.02, "background mean residual " + mean + " sigma");
        assertTrue(rms < 0.05, "background rms residual " + rms + " sigma");
    }

    private static double nearest(List<Source> sources, double x, double y) {
        double best = Double.POSITIVE_INFINITY;
        for (Source s : sources) {
            best = Math.min(best, Math.hypot(s.x() - x, s.y() - y));
        }
        return best;
    }
}
