package org.lovoccs.imaging.cp;

import java.util.stream.IntStream;

import nom.tam.fits.Header;
import org.lovoccs.imaging.MaskedImage;
import org.lovoccs.imaging.fits.FitsHeaders;
import org.lovoccs.imaging.isr.IsrConfig;
import org.lovoccs.imaging.isr.IsrTask;
import org.lovoccs.imaging.isr.PostIsrCcd;
import org.lovoccs.imaging.raw.RawCcd;

/**
 * Master flat of one band (cp_pipe's cpFlat): each dome flat goes through {@link IsrTask} (overscan, gain, assembly,
 * saturation) and {@link CalibrationSteps#subtractBias}; it is divided by its own median over the CCD (pixels with
 * none of {@link Config#normalisationRejected()} set, so saturated or masked pixels do not bias it); the normalised
 * flats are combined by {@link ClippedCombiner}; and the result is divided by its own median, so the master flat has
 * median 1 over the CCD. The variance is that of the clipped mean, divided by the final median squared.
 *
 * <p>Each flat's photon noise is 1/sqrt(level) per pixel (0.71% at DECam's 20,000 e- dome flats), so N flats give
 * about 0.71% / sqrt(N).
 */
public final class MasterFlat {

    /**
     * @param isr                   the ISR of each flat
     * @param combine               the stack's combine
     * @param normalisationRejected mask planes left out of the medians
     */
    public record Config(IsrConfig isr, CombineConfig combine, int normalisationRejected) {

        public Config {
            if (isr == null || combine == null) {
                throw new IllegalArgumentException("isr and combine configs are required");
            }
        }

        /** IsrConfig.defaults() without variance, CombineConfig.defaults(), medians without BAD/SAT/CR/NO_DATA. */
        public static Config defaults() {
            return new Config(IsrConfig.defaults().withVariance(false), CombineConfig.defaults(),
                    CombineConfig.DEFAULT_REJECTED);
        }
    }

    private MasterFlat() {
    }

    /**
     * Builds the master flat of one CCD and band from its dome flats, consumed once in order.
     *
     * @param bias the CCD's master bias ({@link MasterBias})
     * @throws IllegalArgumentException if there are no flats, or they mix bands (FILTER), CCDs or are not flats
     */
    public static CalibProduct build(Iterable<RawCcd> flats, CalibProduct bias, Config config) {
        Inputs inputs = new Inputs(CalibType.FLAT, "dome flat", "flat", "domeflat", "sky flat");
        GroupedStack stack = new GroupedStack(config.combine());
        StringBuilder levels = new StringBuilder();
        for (RawCcd raw : flats) {
            inputs.accept(raw);
            MaskedImage e = IsrTask.run(raw, config.isr()).exposure();
            CalibrationSteps.subtractBias(e, bias);
            add(stack, e, levels, inputs.count(), config);
        }
        return finish(inputs, stack, levels, config);
    }

    /**
     * The master flat from flats already through ISR with the master bias subtracted (cp_pipe's cpFlatProc, made by
     * the isr service), consumed once in order: the same scaling, combine and normalisation as {@link #build}.
     */
    public static CalibProduct fromProcessed(Iterable<PostIsrCcd> flats, Config config) {
        Inputs inputs = new Inputs(CalibType.FLAT, "dome flat", "flat", "domeflat", "sky flat");
        GroupedStack stack = new GroupedStack(config.combine());
        StringBuilder levels = new StringBuilder();
        for (PostIsrCcd flat : flats) {
            inputs.accept(flat.metadata());
            add(stack, flat.image(), levels, inputs.count(), config);
        }
        return finish(inputs, stack, levels, config);
    }

    /** Scales one flat by its median into the stack. */
    private static void add(GroupedStack stack, MaskedImage e, StringBuilder levels, int n, Config config) {
        double median = PixelStats.median(e, config.normalisationRejected());
        if (!(median > 0)) {
            throw new IllegalArgumentException("flat " + n + " has median " + median + " e-");
        }
        levels.append(levels.length() == 0 ? "" : ",").append(Math.round(median));
        stack.add(RowSource.packed(e), median);
    }

    private static CalibProduct finish(Inputs inputs, GroupedStack stack, StringBuilder levels, Config config) {
        if (inputs.count() == 0) {
            throw new IllegalArgumentException("no flats to combine");
        }
        Combined c = stack.finish();
        MaskedImage mi = c.image();
        double norm = PixelStats.median(mi, config.normalisationRejected());
        scale(mi, 1.0 / norm);
        Header h = inputs.metadata(config.combine(), c, stack.groups());
        FitsHeaders.add(h, "CPNORM", "MEDIAN", "each flat and the result divided by their median");
        FitsHeaders.add(h, "CPRENORM", norm, "median of the combined normalised flats");
        String all = levels.toString();
        for (int i = 0; i < all.length(); i += 56) {
            FitsHeaders.history(h, "flat medians [e-]: " + all.substring(i, Math.min(all.length(), i + 56)));
        }
        return new CalibProduct(CalibType.FLAT, inputs.band(), mi, c.count(), h);
    }

    /** image *= f, variance *= f^2. */
    static void scale(MaskedImage mi, double f) {
        int w = mi.width();
        IntStream.range(0, mi.height()).parallel().forEach(y -> {
            float[] a = mi.image().array();
            float[] v = mi.variance().array();
            int ib = mi.image().index(0, y);
            int vb = mi.variance().index(0, y);
            for (int x = 0; x < w; x++) {
                a[ib + x] = (float) (a[ib + x] * f);
                v[vb + x] = (float) (v[vb + x] * f * f);
            }
        });
    }
}
