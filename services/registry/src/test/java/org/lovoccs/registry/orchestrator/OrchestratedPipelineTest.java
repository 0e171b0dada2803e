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
    void theDefaultPipelineRunsTheCompleteIsrWithTheClustersCalibrationsAndTheCuratedOnes() {
        OrchestratedPipeline p = OrchestratedPipeline.load("LoVoCCS-orchestrator.yaml");
        OrchestratedPipeline.Task isr = p.task("isr");
        assertEquals(List.of("raw", "bias", "flat", "fringe", "crosstalk", "overscanRaw", "linearizer", "bfk",
                "defects"), isr.inputs().stream().map(i -> i.type().name()).toList(), "no camera");
        Map<String, OrchestratedPipeline.Source> sources = new java.util.LinkedHashMap<>();
        isr.inputs().forEach(i -> sources.put(i.type().name(), i.source()));
        assertEquals(Map.of("raw", OrchestratedPipeline.Source.PIPELINE, "bias", OrchestratedPipeline.Source.PIPELINE,
                "flat", OrchestratedPipeline.Source.PIPELINE, "fringe", OrchestratedPipeline.Source.PIPELINE,
                "bfk", OrchestratedPipeline.Source.PIPELINE, "crosstalk", OrchestratedPipeline.Source.CALIBRATION,
                "overscanRaw", OrchestratedPipeline.Source.CROSSTALK_SOURCES,
                "linearizer", OrchestratedPipeline.Source.CALIBRATION, "defects",
                OrchestratedPipeline.Source.CALIBRATION), sources,
                "the cluster's own master calibrations by their IDs; the curated ones looked up by date");
        assertEquals("doCrosstalk", isr.inputs().get(4).enabledBy());
        assertTrue(isr.afterGathers() && p.task("characterizeImage").afterGathers(),
                "step1 waits for the cluster's calibrations");
        assertTrue(!isr.gather(), "looked-up prerequisites do not make a gather");
        OrchestratedPipeline.Port sourcesPort = isr.inputs().get(5);
        assertEquals("crosstalkSources", sourcesPort.connection());
        assertTrue(sourcesPort.optional() && sourcesPort.multiple() && !sourcesPort.gathered(),
                "the crosstalk sources: many, optional (a failed step0 is left out), not a gather");
        assertEquals("step0", p.task("isrForCrosstalkSources").step());
        assertEquals("overscanRaw", p.task("isrForCrosstalkSources").outputs().get(0).type().name());
        assertTrue(p.notes().isEmpty(), p.notes().toString());
        for (String on : List.of("doBias", "doFlat", "doFringe", "doCrosstalk", "doLinearize", "doBrighterFatter",
                "doDefect", "doInterpolate", "doCosmicRay")) {
            assertEquals("True", isr.config().get(on), on);
        }
        assertEquals("10", isr.config().get("brighterFatterMaxIter"), "LSST's default");
        assertEquals("1000.0", isr.config().get("brighterFatterThreshold"), "LSST's default");
        OrchestratedPipeline.Task calibrate = p.task("calibrate");
        assertEquals("isr", calibrate.service());
        assertEquals("step1", calibrate.step());
        assertEquals(List.of("icExp", "icExpBackground", "icSrc", "gaia_like", "ps1_pv3_3pi_20170110"),
                calibrate.inputs().stream().map(i -> i.type().name()).toList());
        assertEquals(List.of(OrchestratedPipeline.Source.REFCAT, OrchestratedPipeline.Source.REFCAT),
                calibrate.inputs().subList(3, 5).stream().map(OrchestratedPipeline.Port::source).toList(),
                "the refcats' shards are looked up over the detector");
        assertTrue(!calibrate.gather() && calibrate.afterGathers(), "many shards per quantum is not a gather");
        assertEquals(List.of("calexp", "calexpBackground", "src"), calibrate.outputs().stream()
                .map(o -> o.type().name()).toList(), "no srcMatch (doWriteMatches=False)");
    }

    @Test
    void thePromptPipelineRunsIsrThenCharacterizeImageInStep1AsRawsLand() {
        OrchestratedPipeline p = OrchestratedPipeline.load("LoVoCCS-prompt.yaml");
        assertEquals(List.of("isr", "characterizeImage", "cpBiasIsr", "cpBiasCombine", "cpFlatIsr", "cpFlatCombine",
                        "cpSkyIsr", "cpSkyCombine", "cpFringeIsr", "cpFringeCombine", "cpBfkSolve"), p.tasks().stream().map(OrchestratedPipeline.Task::label).toList());
        OrchestratedPipeline.Task isr = p.task("isr");
        assertEquals("isr", isr.service());
        assertEquals("step1", isr.step());
        assertEquals("lsst.ip.isr.IsrTask", isr.taskClass());
        assertEquals(List.of("raw"), isr.inputs().stream().map(i -> i.type().name()).toList());
        // the effective config travels with every quantum, as dump-config shows it
        assertEquals("False", isr.config().get("doBias"));
        assertEquals("MEANCLIP_PER_ROW", isr.config().get("overscan.fitType"));
        assertEquals("True", isr.config().get("doOverscan"));
        assertEquals(List.of("isr", "cpBiasIsr", "cpFlatIsr", "cpSkyIsr", "cpFringeIsr"), p.consumers("raw").stream()
                .map(OrchestratedPipeline.Task::label).toList(), "the registry routes each raw to some of them");
        assertEquals("isr", p.producer("postISRCCD").label());
        assertEquals(List.of("characterizeImage"), p.consumers("postISRCCD").stream()
                .map(OrchestratedPipeline.Task::label).toList());
        assertNull(p.producer("raw"), "raws come from outside the pipeline");
        assertEquals(List.of("icExp", "icExpBackground", "icSrc"), p.task("characterizeImage").outputs().stream()
                .map(o -> o.type().name()).toList());
        assertEquals(List.of("step1", "cpBias", "cpFlat", "cpSky", "cpFringe", "cpBfk"), p.steps());
    }

    @Test
    void calibrationsAreGatheredAndAFlatsIsrReadsItsBias() {
        OrchestratedPipeline p = OrchestratedPipeline.load("LoVoCCS-prompt.yaml");
        OrchestratedPipeline.Task bias = p.task("cpBiasCombine");
        assertTrue(bias.gather(), "a master bias combines many exposures");
        assertEquals("calibration", bias.service());
        assertEquals(List.of(Dimension.INSTRUMENT, Dimension.DETECTOR), bias.quantumDimensions());
        OrchestratedPipeline.Task flatIsr = p.task("cpFlatIsr");
        assertTrue(flatIsr.inputs().stream().anyMatch(i -> i.prerequisite() && i.type().name().equals("bias")),
                "the flat's ISR reads the bias the pipeline makes: " + flatIsr.inputs());
        assertEquals("True", flatIsr.config().get("doBias"));
        assertEquals(List.of("cpFlatIsr", "cpSkyIsr", "cpFringeIsr"), p.consumers("bias").stream()
                .map(OrchestratedPipeline.Task::label).toList());
        assertTrue(p.task("cpFlatCombine").gather());
        assertEquals("cpFlat", p.task("cpFlatCombine").step());
    }

    @Test
    void tasksReadingMasterCalibrationsWaitForTheGathersAndFringesAreZOnly() {
        OrchestratedPipeline p = OrchestratedPipeline.load("LoVoCCS-prompt.yaml");
        assertEquals(List.of("cpFlatIsr", "cpSkyIsr", "cpFringeIsr"), p.tasks().stream()
                .filter(OrchestratedPipeline.Task::afterGathers).map(OrchestratedPipeline.Task::label).toList(),
                "the ISR of flats and of science exposures for sky and fringe frames reads a master bias or flat");
        for (String label : List.of("cpSkyIsr", "cpFringeIsr")) {
            OrchestratedPipeline.Task t = p.task(label);
            assertEquals(List.of("raw", "bias", "flat"), t.inputs().stream().map(i -> i.type().name()).toList(), label);
            assertEquals("True", t.config().get("doFlat"), label);
        }
        assertEquals("cpSkyProc", p.task("cpSkyIsr").outputs().get(0).type().name());
        assertEquals(List.of("cpSkyProc"), p.task("cpSkyCombine").inputs().stream().map(i -> i.type().name()).toList());
        assertEquals("sky", p.task("cpSkyCombine").outputs().get(0).type().name());
        assertEquals("fringe", p.task("cpFringeCombine").config().get("calibrationType"));
        assertEquals(List.of("cpFringeProc"), p.task("cpFringeCombine").inputs().stream().map(i -> i.type().name())
                .toList());
        assertTrue(p.task("cpFringeCombine").gather() && p.task("cpFringeCombine").quantumDimensions()
                .containsAll(List.of(Dimension.PHYSICAL_FILTER, Dimension.DETECTOR)), "per detector and filter");
        DataId z = DataId.of(Map.of("instrument", "DECam", "exposure", 1L, "detector", 35L, "band", "z",
                "physical_filter", "z DECam SDSS c0004 9260.0 1520.0"));
        DataId r = DataId.of(Map.of("instrument", "DECam", "exposure", 2L, "detector", 35L, "band", "r",
                "physical_filter", "r DECam SDSS c0002 6415.0 1480.0"));
        assertTrue(p.inStep("cpFringe", z));
        assertTrue(!p.inStep("cpFringe", r), "no fringe frame but in z");
        assertTrue(p.inStep("cpSky", z) && p.inStep("cpSky", r), "a sky frame in every band");
        assertTrue(!p.inStep("cpFringe", DataId.of(Map.of("instrument", "DECam", "exposure", 3L, "detector", 35L))),
                "an exposure whose band is unknown is not z");
        assertEquals("band = 'z'", p.stepQuery("cpFringe"));
    }

    @Test
    void checkVisitFollowsCalibrateAndTheSeeingPlotsAndSelectVisitGatherItsTables() {
        OrchestratedPipeline p = OrchestratedPipeline.load("LoVoCCS-orchestrator.yaml");
        OrchestratedPipeline.Task check = p.task("checkVisit");
        assertEquals("isr", check.service());
        assertEquals("check_visit", check.step());
        assertEquals(List.of(Dimension.INSTRUMENT, Dimension.VISIT, Dimension.DETECTOR), check.quantumDimensions());
        assertEquals(List.of("calexp", "src", "gaia_like"), check.inputs().stream().map(i -> i.type().name()).toList());
        assertEquals(OrchestratedPipeline.Source.REFCAT, check.inputs().get(2).source(),
                "the reference stars are the astrometric catalogue's shards over the detector");
        assertTrue(!check.gather() && check.afterGathers(), "one CCD per quantum, after calibrate");
        assertEquals("6.4", check.config().get("maxFwhm"));
        assertEquals("r:4.4", check.config().get("maxFwhmByBand"));

        OrchestratedPipeline.Task plot = p.task("plotVisitSeeing");
        assertEquals("check_visit", plot.step());
        assertTrue(plot.gather(), "a visit's CCDs");
        assertEquals(List.of(Dimension.INSTRUMENT, Dimension.VISIT), plot.quantumDimensions());
        assertEquals("Plot", plot.outputs().get(0).type().storageClass());
        assertTrue(plot.inputs().get(0).gathered(), "a CCD that failed upstream is left out of the plot");

        OrchestratedPipeline.Task select = p.task("selectVisit");
        assertEquals("select_visit", select.step());
        assertTrue(select.gather());
        assertEquals(List.of(Dimension.INSTRUMENT, Dimension.BAND), select.quantumDimensions());
        assertEquals("ccdQuality", select.inputs().get(0).type().name());
        assertEquals("checkVisit", p.producer("ccdQuality").label());
        assertEquals("cluster.ra", select.config().get("xrayPeakRa"), "the X-ray peak is the cluster record's");
        assertEquals("10", select.config().get("minGoodDetectors"));
        assertEquals("quality_detectors_{band}", select.config().get("outputCollection"));
        DataId ccd = DataId.of(Map.of("instrument", "DECam", "visit", 7L, "detector", 35L, "band", "r"));
        assertEquals(DataId.of(Map.of("instrument", "DECam", "band", "r")), select.quantumDataId(ccd));
        assertEquals(DataId.of(Map.of("instrument", "DECam", "visit", 7L)), plot.quantumDataId(ccd));
    }

    @Test
    void theBrighterFatterKernelGathersEveryFlatOfADetectorIntoACalibration() {
        OrchestratedPipeline p = OrchestratedPipeline.load("LoVoCCS-orchestrator.yaml");
        OrchestratedPipeline.Task bfk = p.task("cpBfkSolve");
        assertEquals("calibration", bfk.service());
        assertEquals("cpBfk", bfk.step());
        assertTrue(bfk.gather() && !bfk.afterGathers(), "planned with the gathers, over cpFlat's outputs");
        assertEquals(List.of(Dimension.INSTRUMENT, Dimension.DETECTOR), bfk.quantumDimensions(),
                "one kernel per detector, all filters: no physical_filter");
        assertEquals(List.of("cpFlatProc"), bfk.inputs().stream().map(i -> i.type().name()).toList());
        assertEquals("cpFlatIsr", p.producer("cpFlatProc").label());
        assertEquals("outputBFK", bfk.outputs().get(0).connection());
        assertEquals("bfk", bfk.outputs().get(0).type().name());
        assertEquals(List.of(Dimension.INSTRUMENT, Dimension.DETECTOR), bfk.outputs().get(0).type().dimensions());
        // a gather's data ID names a filter only when every input has it: a kernel of r and z flats names none
        DataId detector = DataId.of(Map.of("instrument", "DECam", "detector", 35L));
        DataId r1 = DataId.of(Map.of("instrument", "DECam", "exposure", 1L, "detector", 35L, "band", "r"));
        DataId r2 = DataId.of(Map.of("instrument", "DECam", "exposure", 2L, "detector", 35L, "band", "r"));
        DataId z3 = DataId.of(Map.of("instrument", "DECam", "exposure", 3L, "detector", 35L, "band", "z"));
        assertEquals(detector, Orchestrator.withShared(detector, List.of(r1, r2, z3)));
        assertEquals("r", Orchestrator.withShared(detector, List.of(r1, r2)).get(Dimension.BAND));
    }

    @Test
    void aStepQueryIsEvaluatedOnTheRawsDataIdOrRefused(@TempDir Path dir) throws Exception {
        Path ok = pipeline(dir, """
                imports:
                  - location: %s
                    include: [isr]
                tasks:
                  isr:
                    config:
                      doBias: false
                      doFlat: false
                      doFringe: false
                      doCrosstalk: false
                      doLinearize: false
                      doBrighterFatter: false
                      doDefect: false
                subsets:
                  step1:
                    subset: [isr]
                    where: "band IN ('i', 'z') AND NOT detector = 2"
                """);
        OrchestratedPipeline p = OrchestratedPipeline.load(ok.toString());
        assertTrue(p.inStep("step1", DataId.of(Map.of("band", "i", "detector", 35L))));
        assertTrue(!p.inStep("step1", DataId.of(Map.of("band", "i", "detector", 2L))));
        assertTrue(!p.inStep("step1", DataId.of(Map.of("band", "g", "detector", 35L))));
        Path bad = pipeline(dir, Files.readString(ok).replace("DRP-LoVoCCS.yaml", "%s")
                .replace("band IN ('i', 'z') AND NOT detector = 2", "exposure.day_obs = 20220101"));
        PipelineException e = assertThrows(PipelineException.class, () -> OrchestratedPipeline.load(bad.toString()));
        assertTrue(e.getMessage().contains("subset step1") && e.getMessage().contains("cannot be evaluated on a raw's"
                + " data ID") && e.getMessage().contains("exposure.day_obs"), e.getMessage());
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
    void aPrerequisiteNoTaskWritesIsLookedUpAsACalibration(@TempDir Path dir) throws Exception {
        Path file = pipeline(dir, """
                imports:
                  - location: %s
                    include: [isr]
                subsets:
                  step1: [isr]
                """);
        OrchestratedPipeline p = OrchestratedPipeline.load(file.toString());
        OrchestratedPipeline.Task isr = p.task("isr");
        assertTrue(isr.inputs().stream().filter(i -> !i.type().name().equals("raw"))
                .allMatch(i -> i.source() == OrchestratedPipeline.Source.CALIBRATION && i.prerequisite()),
                "a master bias certified elsewhere is found by date like a curated calibration: " + isr.inputs());
        assertTrue(!isr.afterGathers(), "nothing it reads is gathered: planned as its raw lands");
        // DRP's isr has doCrosstalk on; without step0 the inter-CCD crosstalk sources are not read, and the
        // orchestrator says so at start-up
        assertTrue(isr.inputs().stream().noneMatch(i -> i.connection().equals("crosstalkSources")), isr.inputs()
                .toString());
        assertEquals(1, p.notes().size(), p.notes().toString());
        assertTrue(p.notes().get(0).contains("inter-CCD crosstalk is not removed; add isrForCrosstalkSources"),
                p.notes().get(0));
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
