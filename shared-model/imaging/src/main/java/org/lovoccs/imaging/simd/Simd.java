package org.lovoccs.imaging.simd;

import java.util.Locale;

/**
 * Whether the pixel loops that have a SIMD form ({@link VectorLoops}: the detection smoothing's and the
 * brighter-fatter correction's convolution passes) use it. They do when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (the JDK's Vector API, an incubator module in JDK 17), unless the system
 * property {@code lovoccs.simd} is {@code false}. Both forms compute every output as the same products summed in the
 * same order, so the images are the same bit for bit either way; only the speed differs.
 */
public final class Simd {

    private Simd() {
    }

    /** The property that turns the SIMD loops off ({@code -Dlovoccs.simd=false}) although the module is there. */
    public static final String PROPERTY = "lovoccs.simd";

    private static final boolean MODULE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private static final boolean ON = MODULE && !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true"));

    /** True when the SIMD loops are in use in this JVM. */
    public static boolean enabled() {
        return ON;
    }

    /** True when this JVM can run the SIMD loops (the module is resolved), whether or not they are turned off. */
    public static boolean available() {
        return MODULE;
    }

    /** One line for a service's start-up log: which form the pixel loops take here, and how to change it. */
    public static String describe() {
        if (ON) {
            return String.format(Locale.ROOT, "pixel loops: SIMD, Vector API, %d-bit vectors (-D%s=false turns it off)",
                    VectorLoops.bits(), PROPERTY);
        }
        if (MODULE) {
            return "pixel loops: scalar (-D" + PROPERTY + "=false); the SIMD form gives the same bits, faster";
        }
        return "pixel loops: scalar; start the JVM with --add-modules jdk.incubator.vector for the SIMD form"
                + " (the same bits, faster)";
    }
}
