package org.lovoccs.imaging.isr;

/**
 * Which steps {@link FullIsr} applies (LSST's IsrTaskConfig names: {@code isr:doBias=False} switches one off).
 *
 * @param base                    overscan, gain, assembly and saturation ({@link IsrTask})
 * @param bleedFraction           pixels connected along their column to a saturated pixel and above this fraction
 *                                of the saturation level are saturated too (bleed trails)
 * @param brighterFatterIterations most iterations of the brighter-fatter inversion (LSST's brighterFatterMaxIter, 10)
 * @param brighterFatterThreshold the inversion stops when an iteration changed the image by less than this, summed
 *                                over pixels, e- (LSST's brighterFatterThreshold, 1000); 0 runs every iteration
 * @param brighterFatterKernelTolerance the brighter-fatter convolution keeps the kernel's separable terms (singular
 *                                values, largest first) until what is left holds less than this fraction of its
 *                                power ({@link BrighterFatterCorrection}); 1e-3 leaves ~3% of the kernel's rms
 *                                amplitude, below what a kernel measured from flat pairs is known to (a 17 x 17
 *                                kernel from one pair has all 9 terms a symmetric kernel can have, the last ones
 *                                noise). 0 keeps every term.
 * @param brighterFatterPixelTolerance after the first iteration, only the changes of the image that can move some
 *                                pixel's correction by more than this many e- are convolved, in 64-px tiles
 *                                ({@link BrighterFatterCorrection}); 0 convolves the whole CCD every iteration
 * @param cosmicRays              the cosmic-ray finder's thresholds
 */
public record FullIsrConfig(IsrConfig base, boolean doBias, boolean doCrosstalk, boolean doLinearize,
                            boolean doDefect, boolean doSaturation, double bleedFraction, boolean doBrighterFatter,
                            int brighterFatterIterations, double brighterFatterThreshold,
                            double brighterFatterKernelTolerance, double brighterFatterPixelTolerance, boolean doFlat,
                            boolean doFringe, boolean doCosmicRay, CosmicRayFinder.Config cosmicRays,
                            boolean doInterpolate) {

    public FullIsrConfig {
        if (base == null || cosmicRays == null) {
            throw new IllegalArgumentException("base ISR and cosmic-ray configurations are required");
        }
        if (!(bleedFraction > 0 && bleedFraction <= 1)) {
            throw new IllegalArgumentException("bleedFraction must be in (0, 1], got " + bleedFraction);
        }
        if (brighterFatterIterations < 1) {
            throw new IllegalArgumentException("brighterFatterIterations must be >= 1");
        }
        if (!(brighterFatterThreshold >= 0) || !(brighterFatterPixelTolerance >= 0)) {
            throw new IllegalArgumentException("brighterFatterThreshold and brighterFatterPixelTolerance must be >= 0,"
                    + " got " + brighterFatterThreshold + " and " + brighterFatterPixelTolerance);
        }
        if (!(brighterFatterKernelTolerance >= 0 && brighterFatterKernelTolerance < 1)) {
            throw new IllegalArgumentException("brighterFatterKernelTolerance must be in [0, 1), got "
                    + brighterFatterKernelTolerance);
        }
    }

    /** The default {@link #brighterFatterKernelTolerance()}. */
    public static final double BF_KERNEL_TOLERANCE = 1e-3;

    /** The default {@link #brighterFatterIterations()}, LSST's brighterFatterMaxIter. */
    public static final int BF_MAX_ITERATIONS = 10;

    /** The default {@link #brighterFatterThreshold()}, LSST's brighterFatterThreshold, e-. */
    public static final double BF_THRESHOLD = 1000;

    /** The default {@link #brighterFatterPixelTolerance()}, e-. */
    public static final double BF_PIXEL_TOLERANCE = 0.1;

    /**
     * Every step on (fringe off: it is for z only), bleed at 95% of saturation, brighter-fatter to LSST's threshold
     * and at most its iterations, the kernel's terms to {@link #BF_KERNEL_TOLERANCE}, changes convolved to
     * {@link #BF_PIXEL_TOLERANCE}.
     */
    public static FullIsrConfig defaults() {
        return new FullIsrConfig(IsrConfig.defaults(), true, true, true, true, true, 0.95, true,
                BF_MAX_ITERATIONS, BF_THRESHOLD, BF_KERNEL_TOLERANCE, BF_PIXEL_TOLERANCE, true, false, true,
                CosmicRayFinder.Config.defaults(), true);
    }

    /** Only IsrTask's steps (overscan, gain, assembly, variance, saturation): every correction switched off. */
    public static FullIsrConfig overscanOnly() {
        return new FullIsrConfig(IsrConfig.defaults(), false, false, false, false, false, 0.95, false,
                BF_MAX_ITERATIONS, BF_THRESHOLD, BF_KERNEL_TOLERANCE, BF_PIXEL_TOLERANCE, false, false, false,
                CosmicRayFinder.Config.defaults(), false);
    }

    /** The switches {@link #with} accepts, as LSST names them. */
    public static final java.util.List<String> SWITCHES = java.util.List.of("doBias", "doCrosstalk", "doLinearize",
            "doDefect", "doSaturation", "doBrighterFatter", "doFlat", "doFringe", "doCosmicRay", "doInterpolate");

    /** This configuration with the brighter-fatter kernel's terms kept to {@code tolerance}. */
    public FullIsrConfig withBrighterFatterKernelTolerance(double tolerance) {
        return new FullIsrConfig(base, doBias, doCrosstalk, doLinearize, doDefect, doSaturation, bleedFraction,
                doBrighterFatter, brighterFatterIterations, brighterFatterThreshold, tolerance,
                brighterFatterPixelTolerance, doFlat, doFringe, doCosmicRay, cosmicRays, doInterpolate);
    }

    /**
     * This configuration with the brighter-fatter inversion's iterations: at most {@code maxIterations}, stopping
     * under {@code threshold}, changes convolved to {@code pixelTolerance}.
     */
    public FullIsrConfig withBrighterFatterIterations(int maxIterations, double threshold, double pixelTolerance) {
        return new FullIsrConfig(base, doBias, doCrosstalk, doLinearize, doDefect, doSaturation, bleedFraction,
                doBrighterFatter, maxIterations, threshold, brighterFatterKernelTolerance, pixelTolerance, doFlat,
                doFringe, doCosmicRay, cosmicRays, doInterpolate);
    }

    /**
     * This configuration with one switch set.
     *
     * @throws IllegalArgumentException for a name not in {@link #SWITCHES}, listing them
     */
    public FullIsrConfig with(String field, boolean on) {
        if (!SWITCHES.contains(field)) {
            throw new IllegalArgumentException("no ISR switch named '" + field + "'; the switches are " + SWITCHES);
        }
        return new FullIsrConfig(base,
                field.equals("doBias") ? on : doBias,
                field.equals("doCrosstalk") ? on : doCrosstalk,
                field.equals("doLinearize") ? on : doLinearize,
                field.equals("doDefect") ? on : doDefect,
                field.equals("doSaturation") ? on : doSaturation,
                bleedFraction,
                field.equals("doBrighterFatter") ? on : doBrighterFatter,
                brighterFatterIterations,
                brighterFatterThreshold,
                brighterFatterKernelTolerance,
                brighterFatterPixelTolerance,
                field.equals("doFlat") ? on : doFlat,
                field.equals("doFringe") ? on : doFringe,
                field.equals("doCosmicRay") ? on : doCosmicRay,
                cosmicRays,
                field.equals("doInterpolate") ? on : doInterpolate);
    }
}
