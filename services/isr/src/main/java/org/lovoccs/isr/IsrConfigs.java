package org.lovoccs.isr;

import org.lovoccs.imaging.isr.IsrConfig;
import org.lovoccs.imaging.isr.OverscanStatistic;

import java.util.Arrays;
import java.util.Map;

/** Applies a quantum's config overrides ({@code doOverscan=False} ...) to the ISR defaults. */
final class IsrConfigs {
    static IsrConfig from(Map<String, String> overrides) {
        IsrConfig d = IsrConfig.defaults();
        boolean doOverscan = d.doOverscan(), doAssemble = d.doAssemble(), doVariance = d.doVariance(),
                doSaturation = d.doSaturation();
        OverscanStatistic statistic = d.overscanStatistic();
        int skip = d.overscanSkipColumns();
        double clip = d.overscanClipSigma();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String v = e.getValue().trim();
            switch (e.getKey()) {
                case "doOverscan" -> doOverscan = bool(e.getKey(), v);
                case "doAssemble" -> doAssemble = bool(e.getKey(), v);
                case "doVariance" -> doVariance = bool(e.getKey(), v);
                case "doSaturation" -> doSaturation = bool(e.getKey(), v);
                case "overscanStatistic" -> statistic = OverscanStatistic.valueOf(v);
                case "overscanSkipColumns" -> skip = Integer.parseInt(v);
                case "overscanClipSigma" -> clip = Double.parseDouble(v);
                default -> throw new IllegalArgumentException("isr has no config field '" + e.getKey()
                        + "'; fields: doOverscan, doAssemble, doVariance, doSaturation, overscanStatistic "
                        + Arrays.toString(OverscanStatistic.values()) + ", overscanSkipColumns, overscanClipSigma");
            }
        }
        return new IsrConfig(doOverscan, statistic, skip, clip, doAssemble, doVariance, doSaturation);
    }

    private static boolean bool(String key, String v) {
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("isr:" + key + " must be True or False, got '" + v + "'");
    }

    private IsrConfigs() {
    }
}
