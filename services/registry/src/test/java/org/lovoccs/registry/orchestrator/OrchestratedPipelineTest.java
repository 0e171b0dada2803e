package org.lovoccs.registry.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovoccs.events.DataId;
import org.lovoccs.events.Dimension;
import org.lovoccs.pipeline.PipelineException;

/** The orchestrator's reading of a pipeline file: the bundled one, and the pipelines it must refuse. */
class OrchestratedPipelineTest {

    @Test
    void theBundledPipelineRunsIsrThenCharacterizeImageInStep1() {
        OrchestratedPipeline p = OrchestratedPipeline.load("LoVoCCS-orchestrator.yaml");
        assertEquals(List.of("isr", "characterizeImage", "cpBiasIsr", "cpBiasCombine", "cpFlatIsr", "cpFlatCombine"),
                p.tasks().stream().map(OrchestratedPipeline.Task::label).toList());
        OrchestratedPipeline.Task isr = p.task("isr");
        assertEquals("isr", isr.service());
        assertEquals("step1", isr.step());
        assertEquals("lsst.ip.isr.IsrTask", isr.taskClass());
        assertEquals(List.of("raw"), isr.inputs().stream().map(i -> i.type().name()).toList());
        // the effective config travels with every quantum, as dump-config shows it
        assertEquals("False", isr.config().get("doBias"));
        assertEquals("MEANCLIP_PER_ROW", isr.config().get("overscan.fitType"));
        assertEquals("True", isr.config().get("doOverscan"));
        assertEquals(List.of("isr", "cpBiasIsr", "cpFlatIsr"), p.consumers("raw").stream()
                .map(OrchestratedPipeline.Task::label).toList(), "the registry routes each raw to one of them");
        assertEquals("isr", p.producer("postISRCCD").label());
        assertEquals(List.of("characterizeImage"), p.consumers("postISRCCD").stream()
                .map(OrchestratedPipeline.Task::label).toList());
        assertNull(p.producer("raw"), "raws come from outside the pipeline");
        assertEquals(List.of("icExp", "icExpBackground", "icSrc"), p.task("characterizeImage").outputs().stream()
                .map(o -> o.type().name()).toList());
        assertEquals(List.of("step1", "cpBias", "cpFlat"), p.steps());
    }

    @Test
    void calibrationsAreGatheredAndAFlatsIsrReadsItsBias() {
        OrchestratedPipeline p = OrchestratedPipeline.load("LoVoCCS-orchestrator.yaml");
        OrchestratedPipeline.Task bias = p.task("cpBiasCombine");
        assertTrue(bias.gather(), "a master bias combines many exposures");
        assertEquals("calibration", bias.service());
        assertEquals(List.of(Dimension.INSTRUMENT, Dimension.DETECTOR), bias.quantumDimensions());
        OrchestratedPipeline.Task flatIsr = p.task("cpFlatIsr");
        assertTrue(flatIsr.inputs().stream().anyMatch(i -> i.prerequisite() && i.type().name().equals("bias")),
                "the flat's ISR reads the bias the pipeline makes: " + flatIsr.inputs());
        assertEquals("True", flatIsr.config().get("doBias"));
        assertEquals(List.of("cpFlatIsr"), p.consumers("bias").stream().map(OrchestratedPipeline.Task::label).toList());
        assertTrue(p.task("cpFlatCombine").gather());
        assertEquals("cpFlat", p.task("cpFlatCombine").step());
    }

    @Test
    void aVisitIsItsExposure() {
        DataId raw = DataId.of(Map.of("instrument", "DECam", "exposure", 288976L, "detector", 35L));
        DataId q = OrchestratedPipeline.load("LoVoCCS-orchestrator.yaml").task("characterizeImage").quantumDataId(raw);
        assertEquals(288976L, q.getLong(Dimension.VISIT));
        assertEquals(35L, q.getLong(Dimension.DETECTOR));
        assertNull(q.get(Dimension.EXPOSURE));
    }

    @Test
    void refusesAnEnabledPrerequisiteNamingTheSwitch(@TempDir Path dir) throws Exception {
        Path file = pipeline(dir, """
                imports:
                  - location: %s
                    include: [isr]
                subsets:
                  step1: [isr]
                """);
        PipelineException e = assertThrows(PipelineException.class, () -> OrchestratedPipeline.load(file.toString()));
        assertTrue(e.getMessage().contains("prerequisite input bias (bias) is enabled by doBias=True")
                && e.getMessage().contains("no task of the pipeline writes it")
                && e.getMessage().contains("set isr:doBias=False"), e.getMessage());
    }

    @Test
    void refusesATaskWithoutWorkerAndASkymapTask(@TempDir Path dir) throws Exception {
        Path noWorker = pipeline(dir, """
                imports:
                  - location: %s
                    include: [writePreSourceTable]
                subsets:
                  step1: [writePreSourceTable]
                """);
        PipelineException e = assertThrows(PipelineException.class, () -> OrchestratedPipeline.load(noWorker.toString()));
        assertTrue(e.getMessage().contains("has no worker service"), e.getMessage());
        Path noStep = pipeline(dir, """
                imports:
                  - location: %s
                    include: [characterizeImage]
                """);
        PipelineException s = assertThrows(PipelineException.class, () -> OrchestratedPipeline.load(noStep.toString()));
        assertTrue(s.getMessage().contains("is in no subset"), s.getMessage());
    }

    /** A pipeline file next to a copy of the bundled DRP-LoVoCCS.yaml ({@code %s} in the text is its name). */
    private static Path pipeline(Path dir, String text) throws Exception {
        Path drp = dir.resolve("DRP-LoVoCCS.yaml");
        if (!Files.exists(drp)) {
            try (var in = OrchestratedPipeline.class.getResourceAsStream("/pipelines/DRP-LoVoCCS.yaml")) {
                Files.copy(in, drp);
            }
        }
        Path f = Files.createTempFile(dir, "orchestrator", ".yaml");
        Files.writeString(f, text.formatted("DRP-LoVoCCS.yaml"));
        return f;
    }
}
