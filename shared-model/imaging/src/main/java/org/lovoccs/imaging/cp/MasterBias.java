package org.lovoccs.imaging.cp;

import nom.tam.fits.Header;
import org.lovoccs.imaging.MaskedImage;
import org.lovoccs.imaging.fits.FitsHeaders;
import org.lovoccs.imaging.isr.IsrConfig;
import org.lovoccs.imaging.isr.IsrTask;
import org.lovoccs.imaging.isr.PostIsrCcd;
import org.lovoccs.imaging.raw.RawCcd;

/**
 * Master bias (cp_pipe's cpBias): each zero goes through {@link IsrTask} with {@link Config#isr()} (by default
 * overscan, gain, assembly, saturation: electrons, assembled CCD), and the stack is combined with
 * {@link ClippedCombiner} (no scaling). The product is what is left after overscan subtraction, the 2-D bias
 * structure, in electrons on IsrTask's assembled grid, with the variance of the clipped mean.
 *
 * <p>Its noise is about RN / sqrt(N) per pixel (plus the overscan's per-row noise, RN / sqrt(N x overscan columns)):
 * with DECam's 6 e- read noise, 150 zeros for 0.5 e-.
 */
public final class MasterBias {

    /**
     * @param isr     the ISR of each zero (must not subtract a bias: IsrTask has no bias step)
     * @param combine the stack's combine
     */
    public record Config(IsrConfig isr, CombineConfig combine) {

        public Config {
            if (isr == null || combine == null) {
                throw new IllegalArgumentException("isr and combine configs are required");
            }
        }

        /** IsrConfig.defaults() without variance (the combine's variance is empirical), CombineConfig.defaults(). */
        public static Config defaults() {
            return new Config(IsrConfig.defaults().withVariance(false), CombineConfig.defaults());
        }
    }

    private MasterBias() {
    }

    /**
     * Builds the master bias of one CCD. The zeros are consumed once, in order, and need not be retained by the
     * caller: at most {@link CombineConfig#maxFramesInMemory()} processed zeros (40 MB each) are held at a time.
     *
     * @throws IllegalArgumentException if there are no zeros, or one is not a zero (OBSTYPE) or of another CCD (DETPOS)
     */
    public static CalibProduct build(Iterable<RawCcd> zeros, Config config) {
        Inputs inputs = new Inputs(CalibType.BIAS, "zero", "bias");
        GroupedStack stack = new GroupedStack(config.combine());
        for (RawCcd raw : zeros) {
            inputs.accept(raw);
            stack.add(RowSource.packed(IsrTask.run(raw, config.isr()).exposure()), 1.0);
        }
        return finish(inputs, stack, config.combine());
    }

    /**
     * The master bias from zeros already through overscan-only ISR (cp_pipe's cpBiasProc, made by the isr service),
     * consumed once in order: the same combine as {@link #build}.
     */
    public static CalibProduct fromProcessed(Iterable<PostIsrCcd> zeros, CombineConfig combine) {
        Inputs inputs = new Inputs(CalibType.BIAS, "zero", "bias");
        GroupedStack stack = new GroupedStack(combine);
        for (PostIsrCcd zero : zeros) {
            inputs.accept(zero.metadata());
            stack.add(RowSource.packed(zero.image()), 1.0);
        }
        return finish(inputs, stack, combine);
    }

    private static CalibProduct finish(Inputs inputs, GroupedStack stack, CombineConfig combine) {
        if (inputs.count() == 0) {
            throw new IllegalArgumentException("no zeros to combine");
        }
        Combined c = stack.finish();
        Header h = inputs.metadata(combine, c, stack.groups());
        FitsHeaders.history(h, "master bias: overscan-subtracted, gain-corrected zeros, clipped mean");
        return new CalibProduct(CalibType.BIAS, null, c.image(), c.count(), h);
    }
}
