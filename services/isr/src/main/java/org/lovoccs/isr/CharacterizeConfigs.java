package org.lovoccs.isr;

import java.util.Map;

import org.lovoccs.imaging.characterize.CharacterizeConfig;
import org.lovoccs.imaging.characterize.DetectionConfig;

/**
 * Turns a quantum's config (pipe_tasks' CharacterizeImageTask fields, as dump-config shows them) into the
 * characterization the worker runs; a field asking for what is not implemented fails the quantum, naming it.
 */
final class CharacterizeConfigs {

    static CharacterizeConfig from(Map<String, String> config) {
        CharacterizeConfig d = CharacterizeConfig.defaults();
        DetectionConfig det = d.detection();
        int iterations = d.psfIterations();
        double fwhm = d.initialPsfFwhm();
        for (Map.Entry<String, String> e : config.entrySet()) {
            String key = e.getKey();
            String v = e.getValue().trim();
            if (key.startsWith("connections.")) {
                continue;
            }
            switch (key) {
                case "doMeasurePsf", "useSimplePsf" -> require(key, v, true,
                        "the worker always measures the PSF, starting from a simple Gaussian");
                case "doApCorr" -> require(key, v, false, "aperture corrections are not implemented yet (issue 7)");
                case "doWriteExposure" -> IsrConfigs.bool(key, v); // the planned outputs say what is written
                case "doDeblend" -> det = new DetectionConfig(det.thresholdValue(), det.thresholdType(), det.minArea(),
                        det.kernel(), det.nSigmaToGrow(), IsrConfigs.bool(key, v), det.peakContrast());
                case "psfIterations" -> iterations = Integer.parseInt(v);
                case "installSimplePsf.fwhm" -> fwhm = Double.parseDouble(v);
                case "detection.thresholdValue" -> det = det.withThreshold(Double.parseDouble(v));
                case "detection.thresholdType" -> {
                    DetectionConfig.ThresholdType type = switch (v) {
                        case "stdev" -> DetectionConfig.ThresholdType.SMOOTHED_RMS;
                        case "pixel_stdev" -> DetectionConfig.ThresholdType.PIXEL_RMS;
                        default -> throw new IsrConfigs.UnsupportedConfigException("characterizeImage:"
                                + "detection.thresholdType=" + v + " is not implemented; use stdev or pixel_stdev");
                    };
                    det = new DetectionConfig(det.thresholdValue(), type, det.minArea(), det.kernel(),
                            det.nSigmaToGrow(), det.deblendPeaks(), det.peakContrast());
                }
                default -> throw new IsrConfigs.UnsupportedConfigException("characterizeImage has no config field '"
                        + key + "' (see ./lovoccs pipetask build -p pipelines/DRP-LoVoCCS.yaml#characterizeImage"
                        + " --show dump-config)");
            }
        }
        try {
            return new CharacterizeConfig(d.background(), det, d.measurement(), d.psf(), iterations, fwhm,
                    d.reestimateBackground());
        } catch (IllegalArgumentException e) {
            throw new IsrConfigs.UnsupportedConfigException("characterizeImage config: " + e.getMessage());
        }
    }

    private static void require(String key, String v, boolean wanted, String why) {
        if (IsrConfigs.bool(key, v) != wanted) {
            throw new IsrConfigs.UnsupportedConfigException("characterizeImage:" + key + "=" + (wanted ? "False"
                    : "True") + " is not supported: " + why + "; set it to " + (wanted ? "True" : "False"));
        }
    }

    private CharacterizeConfigs() {
    }
}
