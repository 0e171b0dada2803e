package org.lovoccs.imaging.characterize;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import nom.tam.fits.Header;
import nom.tam.util.FitsOutputStream;
import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.MaskedImage;
import org.lovoccs.imaging.fits.FitsHeaders;
import org.lovoccs.imaging.fits.FitsImageIO;

/**
 * Throughput of detection + measurement on a 2048 x 4096 float image (bench/characterize/run.sh runs it beside
 * SExtractor on the same file). Arguments: output FITS path for SExtractor, repetitions. Prints one line per stage
 * with the best time of the repetitions and Mpix/s.
 */
public final class CharacterizeBench {

    private CharacterizeBench() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "bench-image.fits");
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        SyntheticField field = new SyntheticField(42L, 2048, 4096, 3000, 1.7, 0.2, 0.03, 0.0, 1000);
        MaskedImage mi = field.image;
        writeFits(mi.image(), out);
        double mpix = 2048.0 * 4096 / 1e6;
        double bestDetMeas = Double.POSITIVE_INFINITY;
        double bestFull = Double.POSITIVE_INFINITY;
        int sources = 0;
        for (int r = 0; r < reps + 1; r++) {
            long t0 = System.nanoTime();
            // detection + measurement as SExtractor does it: background, subtraction, filter, threshold, measure
            BackgroundModel bg = BackgroundEstimator.estimate(mi.image(), mi.mask(), BackgroundConfig.defaults());
            ImageF sub = mi.image().copy();
            bg.subtractFrom(sub);
            MaskedImage exp = new MaskedImage(sub, new org.lovoccs.imaging.Mask(mi.width(), mi.height()),
                    mi.variance());
            ImageF rms = bg.renderRms();
            SourceDetector.Result det = SourceDetector.detect(exp, rms, DetectionConfig.defaults(), 1.8);
            SourceCatalog cat = SourceMeasurer.measure(exp, det.footprints(), MeasurementConfig.defaults(), 1.8,
                    true);
            long t1 = System.nanoTime();
            CharacterizeResult full = Characterizer.run(mi, CharacterizeConfig.defaults());
            long t2 = System.nanoTime();
            sources = cat.size();
            if (r > 0) { // the first round warms the JIT
                bestDetMeas = Math.min(bestDetMeas, (t1 - t0) / 1e9);
                bestFull = Math.min(bestFull, (t2 - t1) / 1e9);
            }
            System.out.printf("round %d: detection+measurement %.3f s (%d sources), Characterizer.run %.3f s"
                    + " (%d sources, %d PSF stars)%n", r, (t1 - t0) / 1e9, cat.size(), (t2 - t1) / 1e9,
                    full.sources().size(), full.psfStars().size());
        }
        System.out.printf("RESULT java detection+measurement best %.3f s = %.1f Mpix/s (%d sources)%n", bestDetMeas,
                mpix / bestDetMeas, sources);
        System.out.printf("RESULT java Characterizer.run (2 PSF rounds) best %.3f s = %.1f Mpix/s%n", bestFull,
                mpix / bestFull);
    }

    private static void writeFits(ImageF image, Path path) throws IOException {
        try (OutputStream os = Files.newOutputStream(path); FitsOutputStream out = new FitsOutputStream(os)) {
            Header h = new Header();
            FitsHeaders.add(h, "SIMPLE", true, "conforms to FITS standard");
            FitsHeaders.add(h, "BITPIX", -32, "array data type");
            FitsHeaders.add(h, "NAXIS", 2, "image");
            FitsHeaders.add(h, "NAXIS1", image.width(), "columns");
            FitsHeaders.add(h, "NAXIS2", image.height(), "rows");
            FitsImageIO.writeFloatHdu(out, h, image);
        }
    }
}
