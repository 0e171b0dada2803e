package org.lovoccs.calibration;

import java.util.Map;

import org.lovoccs.imaging.cp.BrighterFatterKernel;
import org.lovoccs.imaging.cp.CombineConfig;

/**
 * A combine quantum's config (cp_pipe's CalibCombineTask fields, as dump-config shows them) turned into what the worker
 * runs; a field asking for what is not implemented fails the quantum, naming it.
 */
final class CombineConfigs {

    record Settings(String calibrationType, CombineConfig combine) {
    }

    /** The products the calibration service makes (cp_pipe's calibrationType values). */
    static final java.util.List<String> TYPES = java.util.List.of("bias", "flat", "sky", "fringe");

    static Settings from(String label, Map<String, String> config) {
        CombineConfig combine = CombineConfig.defaults();
        String type = null;
        for (Map.Entry<String, String> e : config.entrySet()) {
            String key = e.getKey();
            String v = e.getValue().trim();
            if (key.startsWith("connections.")) {
                continue;
            }
            switch (key) {
                case "calibrationType" -> {
                    if (!TYPES.contains(v)) {
                        throw new UnsupportedConfigException(label + ":calibrationType=" + v + " is not made by the"
                                + " calibration service; it makes " + TYPES);
                    }
                    type = v;
                }
                case "combine" -> {
                    if (!v.equals("MEANCLIP")) {
                        throw new UnsupportedConfigException(label + ":combine=" + v + " is not implemented; the"
                                + " worker combines with MEANCLIP (sigma-clipped mean)");
                    }
                }
                case "exposureScaling" -> {
                    // bias: Unity; flat: MeanStats, each flat scaled to unit level (by its median); sky, fringe:
                    // MeanStats, each exposure divided by its sky level (the median of its background)
                    if (!v.equals("Unity") && !v.equals("MeanStats")) {
                        throw new UnsupportedConfigException(label + ":exposureScaling=" + v + " is not implemented;"
                                + " use Unity (bias) or MeanStats (flat, sky, fringe)");
                    }
                }
                case "clip" -> combine = combine.withClipSigma(Double.parseDouble(v));
                case "nIter" -> combine = combine.withMaxIterations(Integer.parseInt(v));
                default -> throw new UnsupportedConfigException(label + " has no config field '" + key + "' (see"
                        + " ./lovoccs pipetask build -p pipelines/cpBias.yaml --show dump-config)");
            }
        }
        return new Settings(type, combine);
    }

    /**
     * A cpBfkSolve quantum's config (cp_pipe's BrighterFatterKernelSolveConfig fields this worker knows) as the
     * measurement's config; amplifiers 1024 columns wide, DECam's.
     */
    static BrighterFatterKernel.Config bfkConfig(String label, Map<String, String> config) {
        BrighterFatterKernel.Config c = BrighterFatterKernel.Config.defaults();
        for (Map.Entry<String, String> e : config.entrySet()) {
            String key = e.getKey();
            String v = e.getValue().trim();
            if (key.startsWith("connections.")) {
                continue;
            }
            try {
                switch (key) {
                    case "level" -> {
                        if (!v.equals("DETECTOR")) {
                            throw new UnsupportedConfigException(label + ":level=" + v + " is not implemented; the"
                                    + " worker measures one kernel per detector (level: DETECTOR)");
                        }
                    }
                    case "forceZeroSum" -> {
                        if (!v.equalsIgnoreCase("true")) {
                            throw new UnsupportedConfigException(label + ":forceZeroSum=" + v + " is not implemented;"
                                    + " the worker always replaces X(0, 0) by minus the sum of the other lags (true)");
                        }
                    }
                    case "kernelRadius" -> c = c.withRadius(Integer.parseInt(v));
                    case "clipSigma" -> c = new BrighterFatterKernel.Config(c.radius(), Double.parseDouble(v),
                            c.ampColumns(), c.rejectedPlanes(), c.isr());
                    default -> throw new UnsupportedConfigException(label + " has no config field '" + key + "' (see"
                            + " ./lovoccs pipetask build -p pipelines/cpBfk.yaml --show dump-config)");
                }
            } catch (NumberFormatException bad) {
                throw new UnsupportedConfigException(label + ":" + key + "=" + v + " is not a number");
            } catch (UnsupportedConfigException refused) {
                throw refused;
            } catch (IllegalArgumentException invalid) {
                // the measurement's own range checks (radius 1-20, clipSigma > 0)
                throw new UnsupportedConfigException(label + ":" + key + "=" + v + ": " + invalid.getMessage());
            }
        }
        return c;
    }

    /** A quantum's config asks for what the worker cannot do: retrying cannot help. */
    static final class UnsupportedConfigException extends IllegalArgumentException {
        UnsupportedConfigException(String message) {
            super(message);
        }
    }

    private CombineConfigs() {
    }
}
