package org.lovoccs.imaging.characterize;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.Mask;
import org.lovoccs.imaging.MaskedImage;

/** Our detection with SExtractor's configuration (default.sex, default.conv) against its catalogue image.cat. */
class SepDetectionTest {

    @Test
    void findsMoreThan95PercentOfSextractorsObjectsWithinOnePixel() throws Exception {
        Path dir = SepData.folder();
        assumeTrue(dir != null, "../shared/data/sep is not present on this machine");
        ImageF image = SepData.readImage(dir.resolve("image.fits"));
        List<SepData.SexObject> theirs = SepData.readCatalog(dir.resolve("image.cat"));
        BackgroundModel bg = BackgroundEstimator.estimate(image, null, new BackgroundConfig(64, 3, 0, 0.5));
        ImageF sub = image.copy();
        bg.subtractFrom(sub);
        ImageF rms = bg.renderRms();
        ImageF variance = new ImageF(image.width(), image.height());
        for (int i = 0; i < variance.array().length; i++) {
            variance.array()[i] = rms.array()[i] * rms.array()[i];
        }
        MaskedImage mi = new MaskedImage(sub, new Mask(image.width(), image.height()), variance);
        SmoothingKernel conv = SmoothingKernel.parseSextractor(Files.readString(dir.resolve("default.conv")));
        DetectionConfig det = DetectionConfig.sextractor(1.5, 5, conv);
        SourceDetector.Result found = SourceDetector.detect(mi, rms, det, 1.0);
        SourceCatalog ours = SourceMeasurer.measure(mi, found.footprints(), MeasurementConfig.defaults()
                .withApertureRadius(5.0), 1.0, false);
        int matched = 0;
        StringBuilder missed = new StringBuilder();
        for (SepData.SexObject o : theirs) {
            double best = Double.POSITIVE_INFINITY;
            for (Source s : ours.sources()) {
                best = Math.min(best, Math.hypot(s.x() - o.x(), s.y() - o.y()));
            }
            if (best <= 1.0) {
                matched++;
            } else {
                missed.append(String.format(" #%d (%.1f, %.1f) d=%.2f flags=%d;", o.number(), o.x(), o.y(), best,
                        o.flags()));
            }
        }
        double fraction = matched / (double) theirs.size();
        System.out.printf("SEP detection: %d of SExtractor's %d objects matched within 1 px (%.1f%%); we found %d;"
                + " missed:%s%n", matched, theirs.size(), 100 * fraction, ours.size(), missed);
        assertTrue(fraction > 0.95, "matched " + matched + " of " + theirs.size() + "; missed:" + missed);
    }
}
