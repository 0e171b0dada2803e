package org.lovoccs.simulator.characterize;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.Mask;
import org.lovoccs.imaging.MaskedImage;
import org.lovoccs.imaging.characterize.AdaptiveMoments;
import org.lovoccs.imaging.characterize.CharacterizeConfig;
import org.lovoccs.imaging.characterize.CharacterizeResult;
import org.lovoccs.imaging.characterize.Characterizer;
import org.lovoccs.imaging.characterize.PsfFitter;
import org.lovoccs.imaging.characterize.PsfModel;
import org.lovoccs.imaging.characterize.Source;
import org.lovoccs.imaging.isr.IsrConfig;
import org.lovoccs.imaging.isr.IsrTask;
import org.lovoccs.simulator.CcdTruth;
import org.lovoccs.simulator.CtioSite;
import org.lovoccs.simulator.ExposureSpec;
import org.lovoccs.simulator.PsfProfile;
import org.lovoccs.simulator.RawExposureSimulator;
import org.lovoccs.simulator.SimulatedCcd;
import org.lovoccs.simulator.sky.PointSourceRenderer;
import org.lovoccs.simulator.sky.Psf;

/**
 * The PSF model on a CCD of the legacy simulator path, as EndToEndTest characterizes it: {@code simulateCcd(spec, 1)}
 * of the end-to-end spec (constant round Moffat beta 3.5, 1.0" seeing, 2,000 e- sky, 400 stars per CCD, so about 30
 * PSF stars), raw through ISR ({@link IsrConfig#defaults()}: MEAN_CLIPPED overscan, assembly, variance, SAT) and
 * {@link Characterizer}. Truth is the PSF drawn pixel-integrated (8x8 subsampling), centred on a pixel, measured with
 * the same estimators, as in EndToEndTest. Goal (SCIENCE.md issue 7): FWHM within 1%, |de| &lt; 0.003.
 *
 * <p>Before the fix the model was 1.8% narrow at the CCD centre for seed 7000 and wandered from -1.8% to +0.8% over
 * the CCD: a degree-2 polynomial fitted to ~30 stars, a few bright ones carrying most of the weight, follows their
 * noise; and Lanczos-3 recentring sharpened every star by 0.35% on average.
 */
class LegacyCcdPsfTest {

    static final double[][] POSITIONS = {{1024, 2048}, {300, 600}, {1750, 3500}, {200, 200}, {1848, 3896}};

    static ImageF truePsf(Psf psf, int size) {
        ImageF stamp = new ImageF(size, size);
        int c = size / 2;
        int sub = 8;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double sum = 0;
                for (int j = 0; j < sub; j++) {
                    for (int i = 0; i < sub; i++) {
                        sum += psf.value(x - c - 0.5 + (i + 0.5) / sub, y - c - 0.5 + (j + 0.5) / sub);
                    }
                }
                stamp.set(x, y, (float) (sum / (sub * sub)));
            }
        }
        return stamp;
    }

    @ParameterizedTest
    @ValueSource(longs = {7000, 7001, 7002})
    void psfModelOfTheEndToEndCcdMeetsTheGoal(long seed) {
        ExposureSpec spec = new ExposureSpec("A85", 1001, "r",
                CtioSite.nextTransit(10.4583, Instant.parse("2022-10-01T00:00:00Z")), 90, 10.4583, -9.3031, 1.0,
                2000, 400, seed);
        SimulatedCcd ccd = new RawExposureSimulator().simulateCcd(spec, 1);
        CcdTruth truth = ccd.truth();
        MaskedImage postIsr = IsrTask.run(ccd.toRawCcd(), IsrConfig.defaults()).exposure();
        CharacterizeResult r = Characterizer.run(postIsr, CharacterizeConfig.defaults());
        PsfModel psf = r.psf();
        ImageF trueImage = truePsf(truth.psf(), psf.size());
        double trueFwhm = PsfModel.kernelFwhm(trueImage);
        AdaptiveMoments.Result tm = PsfModel.kernelMoments(trueImage);
        double worstF = 0;
        double worstE = 0;
        StringBuilder table = new StringBuilder();
        for (double[] p : POSITIONS) {
            double fwhm = psf.fwhmAt(p[0], p[1]);
            double[] e = psf.ellipticityAt(p[0], p[1]);
            double dF = fwhm / trueFwhm - 1;
            double dE = Math.hypot(e[0] - tm.e1(), e[1] - tm.e2());
            worstF = Math.max(worstF, Math.abs(dF));
            worstE = Math.max(worstE, dE);
            table.append(String.format("  (%4.0f, %4.0f): FWHM %.4f vs true %.4f px, dFWHM %+.3f%%; e (%+.4f, %+.4f),"
                    + " |de| %.4f%n", p[0], p[1], fwhm, trueFwhm, 100 * dF, e[0], e[1], dE));
        }
        System.out.printf("legacy CCD, seed %d: %d PSF stars, degree %d%n%s", seed, psf.starCount(),
                psf.spatialOrder(), table);
        assertTrue(worstF < 0.01, "seed " + seed + ": FWHM off by " + 100 * worstF + "%:\n" + table);
        assertTrue(worstE < 0.003, "seed " + seed + ": ellipticity off by " + worstE + ":\n" + table);
    }

    /**
     * Noise-free stars at random sub-pixel positions, each fitted alone: the recentred kernel keeps the FWHM of the
     * star drawn centred on a pixel (Lanczos-3 recentring took 0.35% off on average, 0.3% rms with the sub-pixel phase).
     */
    @Test
    void recentringDoesNotSharpenAWellSampledStar() {
        Psf psf = PsfProfile.DEFAULT.create(1.0 / 0.263);
        double trueFwhm = PsfModel.kernelFwhm(truePsf(psf, 25));
        SplittableRandom rng = new SplittableRandom(1);
        double worst = 0;
        double mean = 0;
        int n = 40;
        for (int k = 0; k < n; k++) {
            double x = 40 + rng.nextDouble();
            double y = 40 + rng.nextDouble();
            ImageF image = new ImageF(81, 81);
            PointSourceRenderer.add(image, psf, x, y, 1e5);
            ImageF variance = new ImageF(81, 81);
            variance.fill(2000f);
            Source s = new Source(1, 0, x, y, 1e5, 300, 3, 3, 0, 5000, 100, 0);
            PsfModel m = PsfFitter.fit(new MaskedImage(image, new Mask(81, 81), variance), List.of(s, s, s),
                    CharacterizeConfig.defaults().psf()).model();
            double dF = m.fwhmAt(0, 0) / trueFwhm - 1;
            worst = Math.max(worst, Math.abs(dF));
            mean += dF / n;
        }
        System.out.printf("recentred noise-free stars: mean dFWHM %+.3f%%, worst %.3f%%%n", 100 * mean, 100 * worst);
        assertTrue(worst < 0.002, "recentring changes the FWHM by up to " + 100 * worst + "%");
    }
}
