package org.lovoccs.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * {@code ./lovoccs pipetask qgraph} over the real registry: the Tasks/Quanta table from the datasets in the input
 * collections, and the seed's two classic errors reported before anything runs: a missing prerequisite input, and
 * an output collection made from other inputs; an empty graph says why.
 */
class QuantumGraphTest {

    private static final String[] NO_CORRECTIONS = {"-c", "isr:doBias=False", "-c", "isr:doFlat=False", "-c",
        "isr:doFringe=False", "-c", "isr:doCrosstalk=False", "-c", "isr:doLinearize=False", "-c",
        "isr:doBrighterFatter=False", "-c", "isr:doDefect=False"};

    @Test
    void qgraphPlansFromTheRegistryAndFailsEarlyOnTheClassicErrors() throws Exception {
        TestServers.requireRunning();
        String p = "QG" + Long.toString(System.currentTimeMillis(), 36).toUpperCase();
        long exposure = System.currentTimeMillis() / 1000 % 20_000_000 * 10 + 500_000_000L;
        var store = TestServers.store();
        store.ensureBucket("lovoccs-external");
        List<Map<String, Object>> raws = new ArrayList<>();
        for (int det : new int[] {28, 29, 35}) {
            String key = p + "/raw_" + det + ".fits";
            store.put("lovoccs-external", key, ("raw " + det).getBytes(StandardCharsets.UTF_8), "application/fits",
                    Map.of());
            raws.add(Map.of("uri", "s3://lovoccs-external/" + key, "dataId", Map.of("instrument", "DECam",
                    "exposure", exposure, "detector", det)));
        }
        assertEquals(200, TestServers.post("/butler/ingest-files", Map.of("datasetType", "raw", "run", p + "/raw",
                "files", raws)).status());
        String pipeline = Path.of("..", "pipelines", "DRP-LoVoCCS.yaml").toAbsolutePath().normalize() + "#isr";
        String in = p + "/raw," + p + "/calib";
        String where = "instrument = 'DECam' AND exposure = " + exposure;

        // 1. nothing but raws: every prerequisite of isr is missing, and said so before anything runs
        TestServers.Cli r = lovoccs(List.of("pipetask", "qgraph", "-p", pipeline, "-i", p + "/raw", "-o", p + "/out",
                "-d", where));
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("missing prerequisite inputs") && r.out().contains("prerequisite flat (flat")
                && r.out().contains("not found for 3 of 3 quanta"), r.out());

        // 2. the curated camera in a calibration RUN, corrections off: the graph is built
        assertEquals(200, TestServers.post("/butler/dataset-types", Map.of("name", "camera", "storageClass",
                "Camera", "dimensions", List.of("instrument"), "isCalibration", true)).status());
        store.put("lovoccs-external", p + "/camera.fits", "camera".getBytes(StandardCharsets.UTF_8),
                "application/fits", Map.of());
        assertEquals(200, TestServers.post("/butler/ingest-files", Map.of("datasetType", "camera", "run",
                p + "/calib", "files", List.of(Map.of("uri", "s3://lovoccs-external/" + p + "/camera.fits",
                        "dataId", Map.of("instrument", "DECam"))))).status());
        List<String> ok = new ArrayList<>(List.of("pipetask", "qgraph", "-p", pipeline, "-i", in, "-o",
                p + "/out", "-d", where));
        ok.addAll(List.of(NO_CORRECTIONS));
        r = lovoccs(ok);
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("QuantumGraph contains 3 quanta for 1 tasks"), r.out());
        assertTrue(r.out().matches("(?s).*\\s3\\s+isr\\n.*"), r.out());

        // 3. an empty data query says why
        List<String> empty = new ArrayList<>(ok);
        empty.set(empty.indexOf(where), "exposure = 1");
        r = lovoccs(empty);
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("the quantum graph is empty"), r.out());

        // 4. an output collection made from other inputs is refused
        assertEquals(200, TestServers.post("/butler/collections", Map.of("name", p + "/out/run1", "type", "RUN"))
                .status());
        assertEquals(200, TestServers.post("/butler/collection-chain", Map.of("parent", p + "/out", "children",
                List.of(p + "/out/run1", p + "/raw"))).status());
        r = lovoccs(ok);
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("output collection " + p + "/out was made from inputs [" + p + "/raw]"), r.out());
    }

    private static TestServers.Cli lovoccs(List<String> args) throws Exception {
        return TestServers.lovoccs(args.toArray(String[]::new));
    }
}
