package org.lovoccs.isr;

import org.lovoccs.imaging.astrometry.AstrometryConfig;
import org.lovoccs.imaging.calibrate.CalibrateConfig;

import java.util.Map;

/**
 * Turns a calibrate quantum's config (pipe_tasks' CalibrateTask fields, as dump-config shows them) into what the
 * worker runs; what it cannot do is refused by name.
 */
final class CalibrateConfigs {

    /** The calibration and the astrometric catalogue's magnitude field. */
    record Worker(CalibrateConfig calibrate, String astromMagField) {
    }

    static Worker from(Map<String, String> config) {
        CalibrateConfig c = CalibrateConfig.defaults();
        String magField = "phot_g_mean";
        for (Map.Entry<String, String> e : config.entrySet()) {
            String key = e.getKey();
            String v = e.getValue().trim();
            if (key.startsWith("connections.") || key.equals("photoCal.photoCatName")
                    || key.equals("doWriteMatchesDenormalized") && !IsrConfigs.bool(key, v)) {
                continue;
            }
            switch (key) {
                case "doAstrometry", "requireAstrometry", "doPhotoCal", "requirePhotoCal" -> {
                    if (!IsrConfigs.bool(key, v)) {
                        throw new IsrConfigs.UnsupportedConfigException("calibrate:" + key + "=False is not"
                                + " implemented: the worker always fits the WCS and the zero point, and fails the"
                                + " quantum when it cannot");
                    }
                }
                case "doDeblend" -> IsrConfigs.bool(key, v); // peaks are split in characterizeImage's detection
                case "doWriteMatches" -> {
                    if (IsrConfigs.bool(key, v)) {
                        throw new IsrConfigs.UnsupportedConfigException("calibrate:doWriteMatches=True (srcMatch) is"
                                + " not implemented; set calibrate:doWriteMatches=False");
                    }
                }
                case "photoCal.applyColorTerms" -> {
                    if (IsrConfigs.bool(key, v)) {
                        throw new IsrConfigs.UnsupportedConfigException("calibrate:photoCal.applyColorTerms=True:"
                                + " colour terms are not implemented; set it False");
                    }
                }
                case "detection.thresholdValue" -> Double.parseDouble(v); // icSrc's detections are calibrated
                case "astrometry.matcher.maxOffsetPix" -> c = new CalibrateConfig(
                        c.astrometry().withMaxOffsetArcsec(Integer.parseInt(v) * 0.263), c.apCorr(), c.photoCal(),
                        c.ignoredPlanes());
                case "astrometry.matcher.minMatchedPairs" -> c = new CalibrateConfig(
                        c.astrometry().withMinVotes(minMatchedPairs(v)), c.apCorr(), c.photoCal(), c.ignoredPlanes());
                case "astromRefObjLoader.anyFilterMapsToThis" -> magField = v;
                default -> throw new IsrConfigs.UnsupportedConfigException("calibrate has no config field '" + key
                        + "' (see ./lovoccs pipetask build -p pipelines/DRP-LoVoCCS.yaml#calibrate --show"
                        + " dump-config)");
            }
        }
        return new Worker(c, magField);
    }

    private static int minMatchedPairs(String v) {
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 3) {
            throw new IsrConfigs.UnsupportedConfigException("calibrate:astrometry.matcher.minMatchedPairs=" + v
                    + " must be an integer of at least 3 (default " + AstrometryConfig.DEFAULT_MIN_VOTES + "): fewer"
                    + " agreeing pairs cannot tell a pointing offset from chance");
        }
        return n;
    }

    private CalibrateConfigs() {
    }
}
