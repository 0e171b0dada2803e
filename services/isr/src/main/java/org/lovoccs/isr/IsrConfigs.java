package org.lovoccs.isr;

import org.lovoccs.imaging.isr.IsrConfig;
import org.lovoccs.imaging.isr.OverscanStatistic;

import java.util.List;
import java.util.Map;

/**
 * Turns a quantum's config (ip_isr's IsrTask fields, as the pipeline's dump-config shows them) into the ISR the worker
 * runs. A correction the worker does not implement yet must be off: a quantum asking for one fails with a message
 * naming it, rather than running without it.
 */
final class IsrConfigs {
    /** Corrections the worker does not apply yet (calibrations are issue 6, their use issue 7). */
    static final List<String> NOT_IMPLEMENTED = List.of("doDark", "doFringe", "doCrosstalk",
            "doLinearize", "doBrighterFatter", "doDefect", "doSaturationInterpolation", "doInterpolate", "doApplyGains",
            "doStrayLight", "doVignette", "doSetBadRegions");

    /** Fields that only tune a correction above, or name connections: no effect on what the worker does. */
    private static boolean inert(String key) {
        return key.startsWith("connections.") || key.startsWith("brighterFatter") || key.equals("overscan.order");
    }

    /** What the worker runs: the ISR proper, then the master bias and flat when asked for. */
    record WorkerConfig(IsrConfig isr, boolean doBias, boolean doFlat) {
    }

    static WorkerConfig from(Map<String, String> config) {
        boolean doBias = false;
        boolean doFlat = false;
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
        return new WorkerConfig(new IsrConfig(doOverscan, statistic, skip, clip, doAssemble, doVariance, doSaturation),
                doBias, doFlat);
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
