package org.lovoccs.imaging.isr;

/**
 * Which steps {@link FullIsr} applies (LSST's IsrTaskConfig names: {@code isr:doBias=False} switches one off).
 *
 * @param base                    overscan, gain, assembly and saturation ({@link IsrTask})
 * @param bleedFraction           pixels connected along their column to a saturated pixel and above this fraction
 *                                of the saturation level are saturated too (bleed trails)
 * @param brighterFatterIterations iterations of the brighter-fatter inversion (LSST's brighterFatterMaxIter: 10, it
 *                                converges in 2-3 at DECam's strength)
 * @param brighterFatterKernelTolerance the brighter-fatter convolution keeps the kernel's separable terms (singular
 *                                values, largest first) until what is left holds less than this fraction of its
 *                                power ({@link BrighterFatterCorrection}); 1e-3 leaves ~3% of the kernel's rms
 *                                amplitude, below what a kernel measured from flat pairs is known to (a 17 x 17
 *                                kernel from one pair has all 9 terms a symmetric kernel can have, the last ones
 *                                noise). 0 keeps every term.
 * @param cosmicRays              the cosmic-ray finder's thresholds
 */
public record FullIsrConfig(IsrConfig base, boolean doBias, boolean doCrosstalk, boolean doLinearize,
                            boolean doDefect, boolean doSaturation, double bleedFraction, boolean doBrighterFatter,
                            int brighterFatterIterations, double brighterFatterKernelTolerance, boolean doFlat,
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
        if (!(brighterFatterKernelTolerance >= 0 && brighterFatterKernelTolerance < 1)) {
            throw new IllegalArgumentException("brighterFatterKernelTolerance must be in [0, 1), got "
                    + brighterFatterKernelTolerance);
        }
    }

    /** The default {@link #brighterFatterKernelTolerance()}. */
    public static final double BF_KERNEL_TOLERANCE = 1e-3;

    /**
     * Every step on (fringe off: it is for z only), bleed at 95% of saturation, 3 brighter-fatter iterations with
     * the kernel's terms to {@link #BF_KERNEL_TOLERANCE}.
     */
    public static FullIsrConfig defaults() {
        return new FullIsrConfig(IsrConfig.defaults(), true, true, true, true, true, 0.95, true, 3,
                BF_KERNEL_TOLERANCE, true, false, true, CosmicRayFinder.Config.defaults(), true);
    }

    /** Only IsrTask's steps (overscan, gain, assembly, variance, saturation): every correction switched off. */
    public static FullIsrConfig overscanOnly() {
        return new FullIsrConfig(IsrConfig.defaults(), false, false, false, false, false, 0.95, false, 3,
                BF_KERNEL_TOLERANCE, false, false, false, CosmicRayFinder.Config.defaults(), false);
    }

    /** The switches {@link #with} accepts, as LSST names them. */
    public static final java.util.List<String> SWITCHES = java.util.List.of("doBias", "doCrosstalk", "doLinearize",
            "doDefect", "doSaturation", "doBrighterFatter", "doFlat", "doFringe", "doCosmicRay", "doInterpolate");

    /** This configuration with the brighter-fatter kernel's terms kept to {@code tolerance}. */
    public FullIsrConfig withBrighterFatterKernelTolerance(double tolerance) {
        return new FullIsrConfig(base, doBias, doCrosstalk, doLinearize, doDefect, doSaturation, bleedFraction,
                doBrighterFatter, brighterFatterIterations, tolerance, doFlat, doFringe, doCosmicRay, cosmicRays,
                doInterpolate);
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
                brighterFatterKernelTolerance,
                field.equals("doFlat") ? on : doFlat,
                field.equals("doFringe") ? on : doFringe,
                field.equals("doCosmicRay") ? on : doCosmicRay,
                cosmicRays,
                field.equals("doInterpolate") ? on : doInterpolate);
    }
}
