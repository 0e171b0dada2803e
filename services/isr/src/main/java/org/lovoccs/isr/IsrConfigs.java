package org.lovoccs.isr;

import org.lovoccs.imaging.isr.CosmicRayFinder;
import org.lovoccs.imaging.isr.FullIsr;
import org.lovoccs.imaging.isr.FullIsrConfig;
import org.lovoccs.imaging.isr.IsrConfig;
import org.lovoccs.imaging.isr.OverscanStatistic;

import java.util.List;
import java.util.Map;

/**
 * Turns a quantum's config (ip_isr's IsrTask fields, as the pipeline's dump-config shows them, and LoVoCCS's
 * {@code doCosmicRay}) into the ISR the worker runs. A correction the worker does not implement must be off: a quantum
 * asking for one fails with a message naming it, rather than running without it.
 */
final class IsrConfigs {
    /** Corrections the worker does not apply (DECam's LoVoCCS processing does not use them). */
    static final List<String> NOT_IMPLEMENTED = List.of("doDark", "doApplyGains", "doStrayLight", "doVignette",
            "doSetBadRegions");

    /** Fields that only tune a correction above, or name connections: no effect on what the worker does. */
    private static boolean inert(String key) {
        return key.startsWith("connections.") || key.equals("overscan.order");
    }

    /**
     * What the worker runs: with {@code full} null, the ISR proper and then the master bias and flat when asked for
     * (the calibration products' ISR, lean in memory); otherwise the complete science ISR ({@link FullIsr}).
     */
    record WorkerConfig(IsrConfig isr, boolean doBias, boolean doFlat, FullIsrConfig full, int fringeMinExposures) {
    }

    /** {@code v} as a number >= 0, or a message naming the field and what it means. */
    private static double nonNegative(String key, String v, String meaning) {
        double d = Double.parseDouble(v);
        if (!(d >= 0)) {
            throw new UnsupportedConfigException("isr:" + key + " must be >= 0 (" + meaning + "), got " + v);
        }
        return d;
    }

    static WorkerConfig from(Map<String, String> config) {
        boolean doBias = false;
        boolean doFlat = false;
        boolean doFringe = false, doCrosstalk = false, doLinearize = false, doBrighterFatter = false,
                doDefect = false, doSatInterp = false, doInterpolate = false, doCosmicRay = false;
        int bfIterations = FullIsrConfig.BF_MAX_ITERATIONS;
        double bfThreshold = FullIsrConfig.BF_THRESHOLD;
        double bfTolerance = FullIsrConfig.BF_KERNEL_TOLERANCE;
        double bfPixelTolerance = FullIsrConfig.BF_PIXEL_TOLERANCE;
        int fringeMin = 3;
        IsrConfig c = IsrConfig.defaults();
        boolean doOverscan = c.doOverscan(), doAssemble = c.doAssemble(), doVariance = c.doVariance(),
                doSaturation = c.doSaturation();
        OverscanStatistic statistic = c.overscanStatistic();
        int skip = c.overscanSkipColumns();
        double clip = c.overscanClipSigma();
        for (Map.Entry<String, String> e : config.entrySet()) {
            String key = e.getKey();
            String v = e.getValue().trim();
            if (NOT_IMPLEMENTED.contains(key)) {
                if (bool(key, v)) {
                    throw new UnsupportedConfigException("isr:" + key + "=True is not implemented by the isr worker"
                            + " yet; run with isr:" + key + "=False (pipelines/LoVoCCS-orchestrator.yaml does)");
                }
                continue;
            }
            if (inert(key)) {
                continue;
            }
            switch (key) {
                case "doBias" -> doBias = bool(key, v);
                case "doFlat" -> doFlat = bool(key, v);
                case "doFringe" -> doFringe = bool(key, v);
                case "doCrosstalk" -> doCrosstalk = bool(key, v);
                case "doLinearize" -> doLinearize = bool(key, v);
                case "doBrighterFatter" -> doBrighterFatter = bool(key, v);
                case "doDefect" -> doDefect = bool(key, v);
                case "doSaturationInterpolation" -> doSatInterp = bool(key, v);
                case "doInterpolate" -> doInterpolate = bool(key, v);
                case "doCosmicRay" -> doCosmicRay = bool(key, v);
                case "fringe.minExposures" -> fringeMin = Integer.parseInt(v);
                case "brighterFatterMaxIter" -> {
                    bfIterations = Integer.parseInt(v);
                    if (bfIterations < 1) {
                        throw new UnsupportedConfigException("isr:brighterFatterMaxIter must be >= 1, got " + v);
                    }
                }
                case "brighterFatterThreshold" -> bfThreshold = nonNegative(key, v, "e-, the sum over pixels of an"
                        + " iteration's change under which the iterations stop; 0 runs brighterFatterMaxIter of them");
                case "brighterFatterPixelTolerance" -> bfPixelTolerance = nonNegative(key, v, "e-, the most a change"
                        + " left out of an iteration's convolution may move a pixel's correction; 0 convolves the"
                        + " whole CCD every iteration");
                case "brighterFatterKernelTolerance" -> {
                    bfTolerance = Double.parseDouble(v);
                    if (!(bfTolerance >= 0 && bfTolerance < 1)) {
                        throw new UnsupportedConfigException("isr:brighterFatterKernelTolerance must be in [0, 1)"
                                + " (the fraction of the kernel's power its dropped separable terms may hold; 0"
                                + " keeps them all), got " + v);
                    }
                }
                case "doOverscan" -> doOverscan = bool(key, v);
                case "doAssembleCcd" -> doAssemble = bool(key, v);
                case "doVariance" -> doVariance = bool(key, v);
                case "doSaturation" -> doSaturation = bool(key, v);
                case "overscan.fitType" -> statistic = switch (v) {
                    case "MEDIAN_PER_ROW" -> OverscanStatistic.MEDIAN;
                    case "MEANCLIP_PER_ROW" -> OverscanStatistic.MEAN_CLIPPED;
                    default -> throw new UnsupportedConfigException("isr:overscan.fitType=" + v + " is not"
                            + " implemented by the isr worker; use MEDIAN_PER_ROW or MEANCLIP_PER_ROW");
                };
                case "overscan.leadingColumnsToSkip" -> skip = Integer.parseInt(v);
                case "overscan.numSigmaClip" -> clip = Double.parseDouble(v);
                case "overscan.trailingColumnsToSkip", "growSaturationFootprintSize" -> {
                    if (Integer.parseInt(v) != 0) {
                        throw new UnsupportedConfigException("isr:" + key + "=" + v + " is not implemented by the isr"
                                + " worker yet; set it to 0");
                    }
                }
                case "saturatedMaskName" -> {
                    if (!v.equals("SAT")) {
                        throw new UnsupportedConfigException("isr:saturatedMaskName must be SAT, got " + v);
                    }
                }
                case "doWrite" -> {
                    if (!bool(key, v)) {
                        throw new UnsupportedConfigException("isr:doWrite=False leaves the quantum without output;"
                                + " the orchestrator plans postISRCCD");
                    }
                }
                default -> throw new UnsupportedConfigException("isr has no config field '" + key + "' (see"
                        + " ./lovoccs pipetask build -p pipelines/DRP-LoVoCCS.yaml#isr --show dump-config)");
            }
        }
        if ((doBias || doFlat) && !doAssemble) {
            throw new UnsupportedConfigException("isr:doBias/doFlat need doAssembleCcd=True (the master calibrations"
                    + " are assembled CCDs)");
        }
        IsrConfig isr = new IsrConfig(doOverscan, statistic, skip, clip, doAssemble, doVariance, doSaturation);
        boolean full = doFringe || doCrosstalk || doLinearize || doBrighterFatter || doDefect || doSatInterp
                || doInterpolate || doCosmicRay;
        if (!full) {
            return new WorkerConfig(isr, doBias, doFlat, null, fringeMin);
        }
        if (!doAssemble || !doOverscan || !doVariance) {
            throw new UnsupportedConfigException("the science ISR (crosstalk, linearity, brighter-fatter, defects,"
                    + " fringe, cosmic rays, interpolation) needs doOverscan, doAssembleCcd and doVariance True");
        }
        if (doSatInterp != doInterpolate) {
            throw new UnsupportedConfigException("isr:doSaturationInterpolation=" + py(doSatInterp)
                    + " and doInterpolate=" + py(doInterpolate) + ": the isr worker interpolates BAD, SAT and CR"
                    + " pixels in one pass; set both to the same value");
        }
        return new WorkerConfig(isr, doBias, doFlat, new FullIsrConfig(isr, doBias, doCrosstalk, doLinearize,
                doDefect, doSaturation, 0.95, doBrighterFatter, bfIterations, bfThreshold, bfTolerance,
                bfPixelTolerance, doFlat, doFringe, doCosmicRay, CosmicRayFinder.Config.defaults(), doInterpolate), fringeMin);
    }

    private static String py(boolean b) {
        return b ? "True" : "False";
    }

    static boolean bool(String key, String v) {
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw new UnsupportedConfigException(key + " must be True or False, got '" + v + "'");
    }

    /** A quantum's config asks for what the worker cannot do: retrying cannot help. */
    static final class UnsupportedConfigException extends IllegalArgumentException {
        UnsupportedConfigException(String message) {
            super(message);
        }
    }

    private IsrConfigs() {
    }
}
