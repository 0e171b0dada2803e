package org.lovoccs.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** A combine quantum's config, as cpBias.yaml and cpFlat.yaml give it, turned into the combine the worker runs. */
class CombineConfigsTest {

    static Map<String, String> cpBiasCombine() {
        return new HashMap<>(Map.of("calibrationType", "bias", "exposureScaling", "Unity", "combine", "MEANCLIP",
                "clip", "3.0", "nIter", "3", "connections.inputExpHandles", "cpBiasProc",
                "connections.outputData", "bias"));
    }

    @Test
    void thePipelinesFieldsSetTheClippedMean() {
        Map<String, String> c = cpBiasCombine();
        c.put("clip", "2.5");
        c.put("nIter", "5");
        CombineConfigs.Settings s = CombineConfigs.from("cpBiasCombine", c);
        assertEquals("bias", s.calibrationType());
        assertEquals(2.5, s.combine().clipSigma());
        assertEquals(5, s.combine().maxIterations());
    }

    @Test
    void skyAndFringeCombinesAreReadAsCpSkyAndCpFringeGiveThem() {
        for (String type : new String[]{"sky", "fringe"}) {
            Map<String, String> c = new HashMap<>(Map.of("calibrationType", type, "exposureScaling", "MeanStats",
                    "combine", "MEANCLIP", "clip", "3.0", "nIter", "3",
                    "connections.inputExpHandles", type.equals("sky") ? "cpSkyProc" : "cpFringeProc",
                    "connections.outputData", type));
            assertEquals(type, CombineConfigs.from("cp" + type + "Combine", c).calibrationType());
        }
    }

    @Test
    void whatTheWorkerCannotDoFailsTheQuantumNamingTheField() {
        Map<String, String> median = cpBiasCombine();
        median.put("combine", "MEDIAN");
        assertTrue(assertThrows(CombineConfigs.UnsupportedConfigException.class,
                () -> CombineConfigs.from("cpBiasCombine", median)).getMessage()
                .contains("cpBiasCombine:combine=MEDIAN is not implemented"));
        Map<String, String> scaling = cpBiasCombine();
        scaling.put("exposureScaling", "ExposureTime");
        assertTrue(assertThrows(CombineConfigs.UnsupportedConfigException.class,
                () -> CombineConfigs.from("cpBiasCombine", scaling)).getMessage().contains("use Unity (bias)"));
        Map<String, String> dark = cpBiasCombine();
        dark.put("calibrationType", "dark");
        String m = assertThrows(CombineConfigs.UnsupportedConfigException.class,
                () -> CombineConfigs.from("cpBiasCombine", dark)).getMessage();
        assertTrue(m.contains("calibrationType=dark") && m.contains("[bias, flat, sky, fringe]"), m);
        Map<String, String> typo = cpBiasCombine();
        typo.put("cilp", "3");
        assertTrue(assertThrows(CombineConfigs.UnsupportedConfigException.class,
                () -> CombineConfigs.from("cpBiasCombine", typo)).getMessage().contains("no config field 'cilp'"));
    }

    /** cpBfkSolve's effective config as cpBfk.yaml and the task's defaults give it. */
    static Map<String, String> cpBfkSolve() {
        return new HashMap<>(Map.of("level", "DETECTOR", "forceZeroSum", "True", "kernelRadius", "8",
                "clipSigma", "5.0", "connections.inputExpHandles", "cpFlatProc", "connections.outputBFK", "bfk"));
    }

    @Test
    void bfkSolveFieldsSetTheMeasurement() {
        Map<String, String> c = cpBfkSolve();
        c.put("kernelRadius", "5");
        c.put("clipSigma", "4.0");
        var config = CombineConfigs.bfkConfig("cpBfkSolve", c);
        assertEquals(5, config.radius());
        assertEquals(4.0, config.clipSigma());
        assertEquals(1024, config.ampColumns(), "DECam's amplifier width");
        assertEquals(8, CombineConfigs.bfkConfig("cpBfkSolve", cpBfkSolve()).radius());
    }

    @Test
    void bfkSolveRefusesWhatItDoesNotDoNamingTheField() {
        Map<String, String> amp = cpBfkSolve();
        amp.put("level", "AMP");
        assertTrue(assertThrows(CombineConfigs.UnsupportedConfigException.class,
                () -> CombineConfigs.bfkConfig("cpBfkSolve", amp)).getMessage().contains("cpBfkSolve:level=AMP"));
        Map<String, String> noZeroSum = cpBfkSolve();
        noZeroSum.put("forceZeroSum", "False");
        assertTrue(assertThrows(CombineConfigs.UnsupportedConfigException.class,
                () -> CombineConfigs.bfkConfig("cpBfkSolve", noZeroSum)).getMessage().contains("forceZeroSum"));
        Map<String, String> wide = cpBfkSolve();
        wide.put("kernelRadius", "40");
        assertTrue(assertThrows(CombineConfigs.UnsupportedConfigException.class,
                () -> CombineConfigs.bfkConfig("cpBfkSolve", wide)).getMessage().contains("outside 1-20"));
        Map<String, String> typo = cpBfkSolve();
        typo.put("kernelRadiuss", "8");
        assertTrue(assertThrows(CombineConfigs.UnsupportedConfigException.class,
                () -> CombineConfigs.bfkConfig("cpBfkSolve", typo)).getMessage()
                .contains("no config field 'kernelRadiuss'"));
    }
}
