package org.lovoccs.registry.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class QuantumClustersTest {
    static final String DEFAULT = "processCcd:isr,characterizeImage,calibrate,checkVisit";

    @Test
    void theDefaultClusterIsTheCcdChainOfEachPipeline() {
        assertEquals(Map.of("isr", List.of("isr", "characterizeImage", "calibrate", "checkVisit")),
                QuantumClusters.parse(DEFAULT, OrchestratedPipeline.load("LoVoCCS-orchestrator.yaml")));
        // the prompt pipeline has no calibrate or checkVisit: its cluster is isr + characterizeImage
        assertEquals(Map.of("isr", List.of("isr", "characterizeImage")),
                QuantumClusters.parse(DEFAULT, OrchestratedPipeline.load("LoVoCCS-prompt.yaml")));
    }

    @Test
    void emptyMeansOneQuantumPerJobAndAClusterOfOneTaskIsNone() {
        OrchestratedPipeline p = OrchestratedPipeline.load("LoVoCCS-orchestrator.yaml");
        assertTrue(QuantumClusters.parse("", p).isEmpty());
        assertTrue(QuantumClusters.parse("solo:isr,nosuchTask", p).isEmpty());
    }

    @Test
    void aClusterAcrossServicesOrWithoutTasksIsRefusedWithTheReason() {
        OrchestratedPipeline p = OrchestratedPipeline.load("LoVoCCS-orchestrator.yaml");
        IllegalArgumentException across = assertThrows(IllegalArgumentException.class,
                () -> QuantumClusters.parse("mixed:cpBiasCombine,isr", p));
        assertTrue(across.getMessage().contains("one worker"), across.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> QuantumClusters.parse("isr,characterizeImage", p));
        assertTrue(shape.getMessage().contains("NAME:LABEL,LABEL"), shape.getMessage());
    }
}
