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

/**
 * Master calibrations through the real services (issue 6): a test-scale campaign lands its zeros and dome flats with
 * its science raws. The registry routes each raw by its observation type: zeros to cpBias, flats to cpFlat, science to
 * step1. When the cluster's raws are declared complete, the gathers are planned: one master bias per detector, one
 * master flat per detector and filter, each run by the calibration service from what the isr service made; the flats'
 * ISR waits for the bias it subtracts. Each product is certified into {@code DECam/calib/<cluster>} for a time range,
 * and the butler finds it for an exposure inside that range and not for one outside it.
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
                "--bands", "g,r", "--galaxy-density", "10", "--land", "--land-calibs", "--out", dir.toString());
        assertEquals(0, sim.code(), sim.out());
        // 2 zeros, 2 flats in each of g and r, 2 science exposures; 2 CCDs each
        TestServers.waitFor("the landed raws' first quanta of " + cluster, Duration.ofSeconds(240), () -> {
            JsonNode st = TestServers.status(cluster);
            return st != null && count(st, "cpBiasIsr", "done") == 4 && count(st, "cpFlatIsr", "unready") == 8;
        });
        JsonNode before = TestServers.status(cluster);
        assertEquals(0, count(before, "cpBiasCombine", "done") + count(before, "cpBiasCombine", "pending"),
                "no master bias before the raws are complete: " + before.toPrettyString());

        TestServers.Cli complete = TestServers.lovoccs("cluster", "complete", cluster);
        assertEquals(0, complete.code(), complete.out());
        TestServers.waitFor("the master bias and flats of " + cluster, Duration.ofSeconds(300), () -> {
            JsonNode st = TestServers.status(cluster);
            return st != null && count(st, "cpBiasCombine", "done") == 2 && count(st, "cpFlatCombine", "done") == 4;
        });
        JsonNode st = TestServers.status(cluster);
        for (String task : List.of("cpBiasIsr", "cpBiasCombine", "cpFlatIsr", "cpFlatCombine", "isr")) {
            assertEquals(0, count(st, task, "failed") + count(st, task, "depFail"), task + ": " + st.toPrettyString());
        }
        assertEquals(8, count(st, "cpFlatIsr", "done"), "every flat's ISR ran once its bias existed");

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
        for (String type : List.of("bias", "flat")) {
            var found = TestServers.post("/butler/query-datasets", Map.of("datasetType", type,
                    "collections", List.of(collection), "validAt", inside.toString()));
            assertEquals(200, found.status(), String.valueOf(found.body()));
            assertEquals(type.equals("bias") ? 2 : 4, found.body().size(), type + " valid at " + inside + ": "
                    + found.body());
            var outside = TestServers.post("/butler/query-datasets", Map.of("datasetType", type,
                    "collections", List.of(collection), "validAt", inside.plus(Duration.ofDays(60)).toString()));
            assertEquals(0, outside.body().size(), type + " must not be found 60 days later: " + outside.body());
        }
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
