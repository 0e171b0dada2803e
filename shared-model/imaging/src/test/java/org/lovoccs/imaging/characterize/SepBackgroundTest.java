package org.lovoccs.imaging.characterize;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.ImageF;

/** Our background against SExtractor's BACKGROUND and BACKGROUND_RMS check images, same configuration. */
class SepBackgroundTest {

    @Test
    void backgroundAndRmsMatchSextractorToOnePercentOfTheNoise() throws Exception {
        Path dir = SepData.folder();
        assumeTrue(dir != null, "../shared/data/sep is not present on this machine");
        ImageF image = SepData.readImage(dir.resolve("image.fits"));
        ImageF back = SepData.readImage(dir.resolve("back.fits"));
        ImageF rms = SepData.readImage(dir.resolve("rms.fits"));
        // default.sex: BACK_SIZE 64, BACK_FILTERSIZE 3, no mask
        BackgroundModel model = BackgroundEstimator.estimate(image, null, new BackgroundConfig(64, 3, 0, 0.5));
        ImageF ours = model.renderLevel();
        ImageF oursRms = model.renderRms();
        double sumD2 = 0;
        double sumR2 = 0;
        double maxD = 0;
        double sumRms = 0;
        int n = image.width() * image.height();
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                double d = ours.get(x, y) - back.get(x, y);
                double r = oursRms.get(x, y) - rms.get(x, y);
                sumD2 += d * d;
                sumR2 += r * r;
                maxD = Math.max(maxD, Math.abs(d) / rms.get(x, y));
                sumRms += rms.get(x, y);
            }
        }
        double noise = sumRms / n;
        double rmsDiff = Math.sqrt(sumD2 / n) / noise;
        double rmsRmsDiff = Math.sqrt(sumR2 / n) / noise;
        System.out.printf("SEP background: rms(ours - back.fits) = %.5f sigma (max %.5f), rms(ours - rms.fits) ="
                + " %.5f sigma%n", rmsDiff, maxD, rmsRmsDiff);
        assertTrue(rmsDiff < 0.01, "background differs from SExtractor's by " + rmsDiff + " sigma rms");
        assertTrue(rmsRmsDiff < 0.01, "background rms differs from SExtractor's by " + rmsRmsDiff + " sigma rms");
    }
}
