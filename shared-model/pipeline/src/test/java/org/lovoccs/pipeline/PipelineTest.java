package org.lovoccs.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class PipelineTest {
    static final Path DRP = Path.of("../../pipelines/DRP-LoVoCCS.yaml");

    @TempDir
    Path tmp;

    static Pipeline drp(String selection) {
        return Pipeline.load(DRP.toString() + (selection == null ? "" : "#" + selection));
    }

    @Test
    void shippedPipelineLoadsAndEveryReferenceSubsetResolves() {
        Pipeline all = drp(null);
        assertEquals("lsst.obs.decam.DarkEnergyCamera", all.instrument());
        assertEquals(all.tasks().size(), all.taskOrder().size());
        assertEquals(java.util.Map.of(), all.missingProducers());
        for (String s : List.of("step0", "step1", "step2a", "step2b", "step2c", "step2d", "step3", "step3a", "step3b",
                "step3c", "step3d", "export", "photometry", "shear", "lensing", "redseq", "metadetect", "science")) {
            Pipeline p = drp(s);
            assertFalse(p.tasks().isEmpty(), s);
            assertEquals(all.subsets().get(s).labels().size(), p.tasks().size(), s);
            assertTrue(p.missingProducers().isEmpty(), s + ": " + p.missingProducers());
        }
        // every label of the reference table is there
        for (String l : List.of("isrForCrosstalkSources", "isr", "characterizeImage", "calibrate", "writePreSourceTable",
                "transformPreSourceTable", "consolidatePreSourceTable", "consolidateVisitSummary",
                "isolatedStarAssociation", "jointcal", "finalizeCharacterization", "updateVisitSummary",
                "writeRecalibratedSourceTable", "transformSourceTable", "consolidateSourceTable", "makeWarp",
                "assembleCoadd", "detection", "mergeDetections", "deblend", "measure", "mergeMeasurements",
                "forcedPhotCoadd", "writeObjectTable", "transformObjectTable", "consolidateObjectTable", "skyCorr")) {
            assertTrue(all.tasks().containsKey(l), l);
        }
        assertEquals(List.of("isr", "characterizeImage", "calibrate", "writePreSourceTable", "transformPreSourceTable"),
                drp("step1").taskOrder());
        assertEquals(List.of("isr", "calibrate"), drp("calibrate,isr").taskOrder());
    }

    @Test
    void roundTripsThroughWriteAndLoad() {
        for (String sel : new String[]{null, "step1", "step2a,jointcal"}) {
            Pipeline p = drp(sel);
            if (p.tasks().containsKey("calibrate")) {
                p.override("calibrate:doWriteMatches=False").override("calibrate:photoCal.photoCatName=True");
            } else {
                p.override("jointcal:astrometryVisitOrder=4").override("isolatedStarAssociation:matchRadius=2");
            }
            Path f = tmp.resolve("p" + (sel == null ? "" : sel.replace(',', '_')) + ".yaml");
            p.write(f);
            Pipeline back = Pipeline.load(f.toString());
            assertEquals(p, back, sel);
            assertEquals(p.dumpConfig(), back.dumpConfig());
        }
    }

    @Test
    void aSubsetsWhereIsReadWrittenAndKeptThroughImports() throws Exception {
        Pipeline fringe = Pipeline.load("../../pipelines/cpFringe.yaml");
        assertEquals("band = 'z'", fringe.subsets().get("cpFringe").where());
        assertEquals("cpFringeProc", fringe.effectiveConfig("cpFringeCombine").get("connections.inputExpHandles"));
        Path f = tmp.resolve("fringe.yaml");
        fringe.write(f);
        Pipeline back = Pipeline.load(f.toString());
        assertEquals(fringe, back);
        assertEquals("band = 'z'", back.subsets().get("cpFringe").where());
        Pipeline orchestrator = Pipeline.load("../../pipelines/LoVoCCS-orchestrator.yaml");
        assertEquals("band = 'z'", orchestrator.subsets().get("cpFringe").where(), "kept through the import");
        assertEquals(null, orchestrator.subsets().get("cpSky").where(), "a sky frame in every band");
        Path typo = Files.writeString(tmp.resolve("typo.yaml"), """
                tasks:
                  isr: lsst.ip.isr.IsrTask
                subsets:
                  s:
                    subset: [isr]
                    wher: band = 'z'
                """);
        PipelineException e = assertThrows(PipelineException.class, () -> Pipeline.load(typo.toString()));
        assertTrue(e.getMessage().contains("unknown key 'wher'") && e.getMessage().contains("where"), e.getMessage());
    }

    @Test
    void dashCChangesExactlyOneDumpConfigLine() {
        List<String> before = drp("step1").dumpConfig().lines().toList();
        List<String> after = drp("step1").override("isr:doBias=False").dumpConfig().lines().toList();
        assertEquals(before.size(), after.size());
        List<String> changed = new ArrayList<>();
        for (int i = 0; i < before.size(); i++) {
            if (!before.get(i).equals(after.get(i))) {
                changed.add(before.get(i) + " -> " + after.get(i));
            }
        }
        assertEquals(List.of("config.doBias = True -> config.doBias = False"), changed);
        Pipeline p = drp("step1").override("isr", "overscan.fitType", "\"MEDIAN\"").override("isr:overscan.order=3")
                .override("isr:overscan.numSigmaClip=2.5");
        assertTrue(p.dumpConfig().contains("config.overscan.fitType = \"MEDIAN\"\nconfig.overscan.order = 3\n"
                + "config.overscan.numSigmaClip = 2.5\n"));
        // doBias=False drops the bias prerequisite, as IsrTaskConnections does
        assertTrue(p.override("isr:doBias=false").connections("isr").stream().noneMatch(c -> c.datasetType().equals("bias")));
        PipelineException e = assertThrows(PipelineException.class, () -> drp("step1").override("isr:doBias=maybe"));
        assertTrue(e.getMessage().contains("expected a bool"), e.getMessage());
        e = assertThrows(PipelineException.class, () -> drp("step1").override("isr:overscan.order=1.5"));
        assertTrue(e.getMessage().contains("expected an int"), e.getMessage());
    }

    @Test
    void configFileAppliesAndBadLineErrorsWithItsNumber() throws Exception {
        Path good = Files.writeString(tmp.resolve("isr.py"), """
                # skip the bias
                config.doBias = False

                config.overscan.fitType = "MEDIAN"   # trailing comment
                """);
        String dump = drp("step1").applyConfigFile("isr:" + good).dumpConfig();
        assertTrue(dump.contains("config.doBias = False\n"));
        assertTrue(dump.contains("config.overscan.fitType = \"MEDIAN\"\n"));
        Path bad = Files.writeString(tmp.resolve("bad.py"), "config.doBias = False\n\nimport os\n");
        PipelineException e = assertThrows(PipelineException.class, () -> drp("step1").applyConfigFile("isr:" + bad));
        assertTrue(e.getMessage().contains("bad.py:3"), e.getMessage());
        Path badType = Files.writeString(tmp.resolve("type.py"), "# x\nconfig.doBias = 3\n");
        e = assertThrows(PipelineException.class, () -> drp("step1").applyConfigFile("isr:" + badType));
        assertTrue(e.getMessage().contains("type.py:2") && e.getMessage().contains("expected a bool"), e.getMessage());
    }

    @Test
    void unknownNamesListTheValidOnes() {
        PipelineException e = assertThrows(PipelineException.class, () -> drp("stpe1"));
        assertTrue(e.getMessage().contains("did you mean 'step1'") && e.getMessage().contains("step2a")
                && e.getMessage().contains("characterizeImage"), e.getMessage());
        e = assertThrows(PipelineException.class, () -> drp("step1").override("isrr:doBias=False"));
        assertTrue(e.getMessage().contains("did you mean 'isr'") && e.getMessage().contains("calibrate"), e.getMessage());
        e = assertThrows(PipelineException.class, () -> drp("step1").override("isr:doBais=False"));
        assertTrue(e.getMessage().contains("did you mean 'doBias'") && e.getMessage().contains("doOverscan"),
                e.getMessage());
    }

    @Test
    void dotHasOneNodePerTaskAndDatasetTypeAndTheEdges() {
        Pipeline p = drp("step1");
        String dot = p.toDot();
        Set<String> types = new HashSet<>();
        for (String l : p.tasks().keySet()) {
            assertEquals(1, count(dot, "\"task:" + l + "\" [shape=box"), l);
            p.connections(l).forEach(c -> types.add(c.datasetType()));
        }
        for (String t : types) {
            assertEquals(1, count(dot, "\"ds:" + t + "\" [shape=ellipse"), t);
        }
        assertEquals(p.tasks().size(), count(dot, "shape=box"));
        assertEquals(types.size(), count(dot, "shape=ellipse"));
        assertTrue(dot.contains("\"ds:raw\" -> \"task:isr\";"));
        assertTrue(dot.contains("\"task:isr\" -> \"ds:postISRCCD\";"));
        assertTrue(dot.contains("\"ds:postISRCCD\" -> \"task:characterizeImage\";"));
        assertTrue(dot.contains("\"ds:bias\" -> \"task:isr\" [style=dashed];"));
        assertTrue(dot.contains("\"task:calibrate\" -> \"ds:calexp\";"));
    }

    @Test
    void missingProducerIsReportedAndCycleRefused() throws Exception {
        Path f = Files.writeString(tmp.resolve("gap.yaml"), """
                instrument: lsst.obs.decam.DarkEnergyCamera
                tasks:
                  isr: lsst.ip.isr.IsrTask
                  calibrate: CalibrateTask
                """);
        Pipeline p = Pipeline.load(f.toString());
        assertEquals(List.of("icExp", "icExpBackground", "icSrc"), new ArrayList<>(p.missingProducers().keySet()));
        assertEquals(List.of("calibrate"), p.missingProducers().get("icSrc"));
        // a selection knows what the left-out tasks produce
        assertTrue(drp("step2a").missingProducers().isEmpty());
        // jointcal on the default sourceTable_visit (produced downstream of it in step2d) closes a loop
        PipelineException e = assertThrows(PipelineException.class,
                () -> drp("step2").override("jointcal:connections.inputSourceTableVisit=sourceTable_visit").taskOrder());
        assertTrue(e.getMessage().contains("cycle") && e.getMessage().contains("jointcal"), e.getMessage());
        Path cyc = Files.writeString(tmp.resolve("cycle.yaml"), """
                tasks:
                  isr:
                    class: lsst.ip.isr.IsrTask
                    config:
                      connections.ccdExposure: icExp
                  characterizeImage: lsst.pipe.tasks.characterizeImage.CharacterizeImageTask
                """);
        e = assertThrows(PipelineException.class, () -> Pipeline.load(cyc.toString()));
        assertTrue(e.getMessage().contains("isr -(postISRCCD)-> characterizeImage")
                && e.getMessage().contains("characterizeImage -(icExp)-> isr"), e.getMessage());
    }

    @Test
    void importsParametersAndTypeErrors() throws Exception {
        Files.createDirectories(tmp.resolve("sub"));
        Files.writeString(tmp.resolve("sub/base.yaml"), """
                description: base
                instrument: lsst.obs.decam.DarkEnergyCamera
                parameters:
                  refcat: ps1_pv3_3pi_20170110
                tasks:
                  isr: lsst.ip.isr.IsrTask
                  characterizeImage: lsst.pipe.tasks.characterizeImage.CharacterizeImageTask
                  calibrate:
                    class: lsst.pipe.tasks.calibrate.CalibrateTask
                    config:
                      connections.photoRefCat: parameters.refcat
                subsets:
                  step1: [isr, characterizeImage, calibrate]
                """);
        Path top = Files.writeString(tmp.resolve("top.yaml"), """
                description: top
                imports:
                  - location: sub/base.yaml
                    exclude: [characterizeImage]
                parameters:
                  refcat: sdss_dr16
                tasks:
                  isr:
                    config:
                      doBias: false
                """);
        Pipeline p = Pipeline.load(top.toString());
        assertEquals(List.of("isr", "calibrate"), new ArrayList<>(p.tasks().keySet()));
        assertTrue(p.subsets().isEmpty());
        assertEquals(false, p.effectiveConfig("isr").get("doBias"));
        assertTrue(p.connections("calibrate").stream().anyMatch(c -> c.datasetType().equals("sdss_dr16")));
        Path typo = Files.writeString(tmp.resolve("typo.yaml"), """
                tasks:
                  isr:
                    class: lsst.ip.isr.IsrTask
                    config:
                      doBias: 3
                """);
        PipelineException e = assertThrows(PipelineException.class, () -> Pipeline.load(typo.toString()));
        assertTrue(e.getMessage().contains("config.doBias: expected a bool, got int 3"), e.getMessage());
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
