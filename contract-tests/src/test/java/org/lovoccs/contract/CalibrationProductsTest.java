package org.lovoccs.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovoccs.events.S3Uri;
import org.lovoccs.imaging.cp.BrighterFatterKernel;
import org.lovoccs.imaging.cp.BrighterFatterKernelFormatter;

/**
 * Master calibrations through the real services (issue 6): a test-scale campaign in r and z lands its zeros and dome
 * flats with its science raws. The registry routes each raw by its observation type: zeros to cpBias, flats to cpFlat,
 * science to step1, cpSky and cpFringe (cpFringe's subset takes z only). When the cluster's raws are declared
 * complete, the ISR of the flats (reading the master bias) and of the science exposures for sky and fringe frames
 * (reading the master bias and flat) and the gathers are planned: one master bias per detector, one master flat and
 * one sky frame per detector and filter, one fringe frame per detector in z, each combine run by the calibration
 * service from what the isr service made; and one brighter-fatter kernel per detector (cpBfkSolve) from all the
 * detector's flats, the two r flats and the two z flats each making a pair. Each product is certified into {@code DECam/calib/<cluster>} for a time
 * range, and the butler finds it for an exposure inside that range and not for one outside it.
 */
class CalibrationProductsTest {

    @TempDir
    Path dir;

    @Test
    void zerosAndFlatsBecomeCertifiedMasterCalibrations() throws Exception {
        TestServers.requireRunning();
        String cluster = "CALIB" + Long.toString(System.currentTimeMillis(), 36).toUpperCase();
        int firstExpnum = (int) (System.currentTimeMillis() / 1000 % 20_000_000) * 10 + 200_000_000;
        TestServers.Cli sim = TestServers.lovoccs("simulate", "--scale", "test", "--cluster", cluster,
                "--first-expnum", String.valueOf(firstExpnum), "--seed", "41", "--zeros", "2", "--flats", "2",
                "--bands", "r,z", "--galaxy-density", "10", "--land", "--land-calibs", "--out", dir.toString());
        assertEquals(0, sim.code(), sim.out());
        // 2 zeros, 2 flats in each of r and z, one science exposure in each; 2 CCDs each
        TestServers.waitFor("the landed raws of " + cluster + " and their first quanta", Duration.ofSeconds(240), () -> {
            JsonNode st = TestServers.status(cluster);
            return st != null && count(st, "cpBiasIsr", "done") == 4 && count(st, "isr", "done") == 4
                    && raws(cluster) == 16;
        });
        JsonNode before = TestServers.status(cluster);
        for (String task : List.of("cpBiasCombine", "cpFlatIsr", "cpFlatCombine", "cpSkyIsr", "cpSkyCombine",
                "cpFringeIsr", "cpFringeCombine", "cpBfkSolve")) {
            assertEquals(0, total(before, task), task + " reads a master calibration or combines: nothing before the"
                    + " raws are complete: " + before.toPrettyString());
        }

        TestServers.Cli complete = TestServers.lovoccs("cluster", "complete", cluster);
        assertEquals(0, complete.code(), complete.out());
        TestServers.waitFor("the master bias, flats, sky and fringe frames and brighter-fatter kernels of " + cluster,
                Duration.ofSeconds(420),
                () -> {
                    JsonNode st = TestServers.status(cluster);
                    return st != null && count(st, "cpBiasCombine", "done") == 2
                            && count(st, "cpFlatCombine", "done") == 4 && count(st, "cpSkyCombine", "done") == 4
                            && count(st, "cpFringeCombine", "done") == 2 && count(st, "cpBfkSolve", "done") == 2;
                });
        JsonNode st = TestServers.status(cluster);
        for (String task : List.of("cpBiasIsr", "cpBiasCombine", "cpFlatIsr", "cpFlatCombine", "cpSkyIsr",
                "cpSkyCombine", "cpFringeIsr", "cpFringeCombine", "cpBfkSolve", "isr")) {
            assertEquals(0, count(st, task, "failed") + count(st, task, "depFail"), task + ": " + st.toPrettyString());
        }
        assertEquals(8, count(st, "cpFlatIsr", "done"), "every flat's ISR ran once its bias existed");
        assertEquals(4, total(st, "cpSkyIsr"), "every science CCD through ISR for the sky frames");
        assertEquals(2, total(st, "cpFringeIsr"), "only the z exposure's CCDs through ISR for the fringe frames");
        assertEquals(4, count(st, "cpSkyIsr", "done"));
        assertEquals(2, count(st, "cpFringeIsr", "done"));
        assertEquals(2, total(st, "cpBfkSolve"), "one brighter-fatter kernel per detector, all filters together");

        // certified for a time range, found by the exposure's date
        String collection = "DECam/calib/" + cluster;
        JsonNode coll = TestServers.getJson("/butler/collections?glob=" + TestServers.enc(collection));
        assertEquals("CALIBRATION", coll.get(0).path("type").asText(), coll.toString());
        Instant inside;
        try (var db = TestServers.db(); var ps = db.prepareStatement("SELECT timespan_begin FROM exposure"
                + " WHERE observation_type = 'object' AND id >= ? ORDER BY id LIMIT 1")) {
            ps.setLong(1, firstExpnum);
            try (var rs = ps.executeQuery()) {
                assertTrue(rs.next(), "the science exposure's record");
                inside = rs.getTimestamp(1).toInstant();
            }
        }
        Map<String, Integer> expected = Map.of("bias", 2, "flat", 4, "sky", 4, "fringe", 2, "bfk", 2);
        for (String type : List.of("bias", "flat", "sky", "fringe", "bfk")) {
            var found = TestServers.post("/butler/query-datasets", Map.of("datasetType", type,
                    "collections", List.of(collection), "validAt", inside.toString()));
            assertEquals(200, found.status(), String.valueOf(found.body()));
            assertEquals(expected.get(type), found.body().size(), type + " valid at " + inside + ": "
                    + found.body());
            for (JsonNode d : found.body()) {
                if (type.equals("fringe")) {
                    assertTrue(d.toString().contains("\"z DECam"), "a fringe frame is of z: " + d);
                }
                if (type.equals("bfk")) {
                    assertEquals(List.of("detector", "instrument"), fieldNames(d.path("dataId")),
                            "a kernel is per detector, of every filter: " + d);
                    // the file as written: its KERNEL HDU read back, one pair from each band's two flats
                    S3Uri uri = S3Uri.parse(d.path("uri").asText());
                    BrighterFatterKernel k = BrighterFatterKernelFormatter.read(
                            TestServers.store().get(uri.bucket(), uri.key()));
                    assertEquals(2, k.pairs(), "one r pair and one z pair: " + d);
                    assertEquals((2 * k.radius() + 1) * (2 * k.radius() + 1), k.kernel().length);
                    assertTrue(k.kernel(0, 0) > 0 && Double.isFinite(k.kernel(0, 0)),
                            "the kernel's centre is positive (charge is pushed away from a bright pixel): "
                                    + k.kernel(0, 0));
                }
            }
            var outside = TestServers.post("/butler/query-datasets", Map.of("datasetType", type,
                    "collections", List.of(collection), "validAt", inside.plus(Duration.ofDays(60)).toString()));
            assertEquals(0, outside.body().size(), type + " must not be found 60 days later: " + outside.body());
        }
    }

    /**
     * One dome flat per band gives no flat pair: each detector's cpBfkSolve fails for good on its first attempt with
     * the measurement's reason and what to do, shown in the status API, and the master bias and flat are still made.
     */
    @Test
    void oneFlatPerBandFailsTheKernelForGoodSayingWhy() throws Exception {
        TestServers.requireRunning();
        String cluster = "NOBFK" + Long.toString(System.currentTimeMillis(), 36).toUpperCase();
        int firstExpnum = (int) (System.currentTimeMillis() / 1000 % 20_000_000) * 10 + 200_000_000;
        TestServers.Cli sim = TestServers.lovoccs("simulate", "--scale", "test", "--cluster", cluster,
                "--first-expnum", String.valueOf(firstExpnum), "--seed", "43", "--zeros", "1", "--flats", "1",
                "--bands", "r", "--galaxy-density", "10", "--land", "--land-calibs", "--out", dir.toString());
        assertEquals(0, sim.code(), sim.out());
        // 1 zero, 1 r flat, 1 r science exposure; 2 CCDs each
        TestServers.waitFor("the landed raws of " + cluster, Duration.ofSeconds(240), () -> {
            JsonNode st = TestServers.status(cluster);
            return st != null && count(st, "cpBiasIsr", "done") == 2 && count(st, "isr", "done") == 2
                    && raws(cluster) == 6;
        });
        TestServers.Cli complete = TestServers.lovoccs("cluster", "complete", cluster);
        assertEquals(0, complete.code(), complete.out());
        TestServers.waitFor("the master flats and the failed kernels of " + cluster, Duration.ofSeconds(300), () -> {
            JsonNode st = TestServers.status(cluster);
            return st != null && count(st, "cpFlatCombine", "done") == 2 && count(st, "cpBfkSolve", "failed") == 2;
        });
        JsonNode st = TestServers.status(cluster);
        assertEquals(2, count(st, "cpBiasCombine", "done"), st.toPrettyString());
        JsonNode failures = null;
        for (JsonNode t : st.path("tasks")) {
            if (t.path("task").asText().equals("cpBfkSolve")) {
                failures = t.path("failures");
            }
        }
        assertTrue(failures != null && failures.size() == 2, st.toPrettyString());
        for (JsonNode f : failures) {
            assertEquals("CalibrationInputException", f.path("errorType").asText(), f.toString());
            String message = f.path("errorMessage").asText();
            assertTrue(message.contains("1 flat(s) gave no pair"), "the measurement's reason: " + message);
            assertTrue(message.contains("--flats 2"), "what to do: " + message);
        }
        try (var db = TestServers.db(); var ps = db.prepareStatement("SELECT max(attempt), count(*) FROM quantum"
                + " WHERE cluster = ? AND task_label = 'cpBfkSolve' AND state = 'failed' AND retry_at IS NULL")) {
            ps.setString(1, cluster);
            try (var rs = ps.executeQuery()) {
                rs.next();
                assertEquals(1, rs.getInt(1), "not retried: the same flats would be read again");
                assertEquals(2, rs.getInt(2));
            }
        }
    }

    /** The keys of a data ID, as an object or as the JSON text query-datasets gives. */
    private static List<String> fieldNames(JsonNode o) throws java.io.IOException {
        if (o.isTextual()) {
            o = new com.fasterxml.jackson.databind.ObjectMapper().readTree(o.asText());
        }
        List<String> names = new java.util.ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        java.util.Collections.sort(names);
        return names;
    }

    /** The cluster's raw datasets in the registry (ingested). */
    private static long raws(String cluster) {
        try (var db = TestServers.db(); var ps = db.prepareStatement("SELECT count(*) FROM dataset WHERE cluster = ?"
                + " AND dataset_type = 'raw'")) {
            ps.setString(1, cluster);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot count the raws of " + cluster + ": " + e.getMessage(), e);
        }
    }

    /** A task's quanta in every state. */
    static long total(JsonNode status, String task) {
        long n = 0;
        for (String state : List.of("unready", "pending", "running", "done", "failed", "depFail")) {
            n += count(status, task, state);
        }
        return n;
    }

    static long count(JsonNode status, String task, String state) {
        for (JsonNode t : status.path("tasks")) {
            if (task.equals(t.path("task").asText())) {
                return t.path(state).asLong();
            }
        }
        return 0;
    }
}
