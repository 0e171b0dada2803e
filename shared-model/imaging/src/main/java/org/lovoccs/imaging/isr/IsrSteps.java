package org.lovoccs.imaging.isr;

import java.util.List;

/**
 * The names of the ISR steps as recorded in a postISRCCD's {@code ISRSTEPS} (comma-separated, in the order applied),
 * shared by the ISR that writes them and the tasks that read them (characterizeImage's hint of what the ISR left
 * undone).
 */
public final class IsrSteps {
    public static final String OVERSCAN = "overscan";
    public static final String GAIN = "gain";
    public static final String ASSEMBLE = "assemble";
    public static final String VARIANCE = "variance";
    public static final String SATURATION = "saturation";
    public static final String BIAS = "bias";
    public static final String CROSSTALK = "crosstalk";
    public static final String LINEARIZE = "linearize";
    public static final String DEFECTS = "defects";
    public static final String BLEED = "bleed";
    public static final String BRIGHTER_FATTER = "brighterFatter";
    public static final String FLAT = "flat";
    public static final String FRINGE = "fringe";
    public static final String COSMIC_RAY = "cosmicRay";
    public static final String INTERPOLATE = "interpolate";

    /** The corrections a science CCD needs in every filter (fringe is for z only). */
    public static final List<String> SCIENCE = List.of(BIAS, CROSSTALK, LINEARIZE, DEFECTS, BRIGHTER_FATTER, FLAT,
            COSMIC_RAY, INTERPOLATE);

    private IsrSteps() {
    }
}
