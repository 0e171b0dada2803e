package org.lovoccs.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.lovoccs.events.DataId;
import org.lovoccs.events.DatasetIds;
import org.lovoccs.events.DatasetReady;
import org.lovoccs.events.DatasetRef;
import org.lovoccs.events.DatasetType;
import org.lovoccs.events.EventCodec;
import org.lovoccs.events.StorageLocation;
import org.lovoccs.events.Topics;
import org.lovoccs.objectstore.Checksums;
import org.lovoccs.simulator.CtioSite;
import org.lovoccs.simulator.ExposureSpec;
import org.lovoccs.simulator.RawExposureSimulator;

/**
 * Retries and dep_fail over the real services: a raw announced ready whose file is not in the store yet makes its isr
 * quantum fail; the registry retries it with backoff (attempts 1, 2, 3) and then marks it failed with the error, and
 * the characterizeImage quantum planned downstream of it (waiting, unready) becomes dep_fail naming it; once the file
 * is there, {@code ./lovoccs pipetask retry} sends the isr quantum again, the dependant waits for its input again and
 * runs when the postISRCCD is ready: the graph finishes with both done.
 */
class RetryTest {

    @Test
    void failedQuantumIsRetriedWithBackoffThenRerunByHand() throws Exception {
        TestServers.requireRunning();
        String cluster = "RTY" + Long.toString(System.currentTimeMillis(), 36).toUpperCase();
        long exposure = System.currentTimeMillis() / 1000 % 20_000_000 * 10 + 400_000_000L;
        ExposureSpec spec = new ExposureSpec(cluster, (int) exposure, "r",
                CtioSite.nextTransit(10.4583, Instant.parse("2022-10-01T00:00:00Z")), 90, 10.4583, -9.3031, 1.0,
                1500, 400, 4242);
        byte[] file = new RawExposureSimulator().toBytes(spec, List.of(35));
        long offset = 2880;
        long length = file.length - offset;
        String key = "retry-test/" + cluster + "/c4d_" + exposure + "_ori.fits";
        String uri = "s3://" + TestServers.REPO + "/" + key;
        DataId dataId = DataId.of(Map.of("instrument", "DECam", "exposure", exposure, "detector", 35));
        DatasetRef raw = new DatasetRef(DatasetIds.deterministic(DatasetType.RAW, "DECam/raw/all", dataId), "raw",
                "DECam/raw/all", dataId, new StorageLocation(uri, offset, length,
                Checksums.sha256(file, (int) offset, (int) length)));
        // announce it through the registry's own outbox, as ingestion's raw.ingested would end
        String payload = EventCodec.encode(Topics.DATASET_READY, new DatasetReady(cluster, raw, "retry-test",
                Instant.now()));
        try (Connection db = TestServers.db(); PreparedStatement ps = db.prepareStatement(
                "INSERT INTO outbox (topic, msg_key, payload) VALUES (?, ?, ?)")) {
            ps.setString(1, Topics.DATASET_READY);
            ps.setString(2, raw.id().toString());
            ps.setString(3, payload);
            ps.executeUpdate();
        }
        Map<String, Object[]> q = new java.util.HashMap<>();
        TestServers.waitFor("the isr quantum to fail after its retries", Duration.ofSeconds(90), () -> {
            try {
                q.putAll(quanta(cluster));
            } catch (Exception e) {
                return false;
            }
            return q.containsKey("isr") && "failed".equals(q.get("isr")[0]);
        });
        assertEquals(3, q.get("isr")[1], "three attempts before giving up");
        assertTrue(String.valueOf(q.get("isr")[2]).contains(key) || String.valueOf(q.get("isr")[2]).toLowerCase()
                .contains("not"), "the error says what was missing: " + q.get("isr")[2]);
        // the dependant was planned ahead of its input, and the failure reached it
        assertTrue(q.containsKey("characterizeImage"), "characterizeImage planned downstream of isr: " + q.keySet());
        assertEquals("dep_fail", q.get("characterizeImage")[0]);
        assertTrue(String.valueOf(q.get("characterizeImage")[2]).contains("upstream quantum isr"),
                "the dep_fail names its cause: " + q.get("characterizeImage")[2]);
        JsonNode status = TestServers.status(cluster);
        JsonNode isr = task(status, "isr");
        assertEquals(1, isr.path("failed").asLong(), status.toPrettyString());
        assertEquals(1, isr.path("failures").size());
        assertEquals(1, task(status, "characterizeImage").path("depFail").asLong(), status.toPrettyString());
        TestServers.Cli shown = TestServers.lovoccs("status", cluster);
        assertTrue(shown.out().contains("0 exec_done, 1 failed, 1 dep_fail"), shown.out());

        // the file arrives; the user re-runs what failed
        TestServers.store().put(TestServers.REPO, key, file, "application/fits", Map.of());
        TestServers.Cli retry = TestServers.lovoccs("pipetask", "retry", cluster);
        assertEquals(0, retry.code(), retry.out());
        assertTrue(retry.out().contains("1 quanta of " + cluster + " sent again"), retry.out());
        assertTrue(retry.out().contains("1 dep_fail quanta downstream wait for their inputs again"), retry.out());
        TestServers.waitFor("the re-run isr quantum and then its dependant to finish", Duration.ofSeconds(120), () -> {
            JsonNode s = TestServers.status(cluster);
            return s != null && task(s, "characterizeImage").path("done").asLong() == 1;
        });
        JsonNode done = TestServers.status(cluster);
        assertEquals(1, task(done, "isr").path("done").asLong(), done.toPrettyString());
        assertEquals(0, task(done, "isr").path("failed").asLong());
        assertEquals(0, task(done, "characterizeImage").path("depFail").asLong());
        Map<String, Object[]> after = quanta(cluster);
        assertEquals(4, after.get("isr")[1], "the hand re-run is a fourth attempt");
        assertEquals("done", after.get("isr")[0]);
        assertEquals("done", after.get("characterizeImage")[0]);
        assertEquals(1, after.get("characterizeImage")[1], "the dependant ran once, when its input was ready");
        // nothing left to retry
        TestServers.Cli again = TestServers.lovoccs("pipetask", "retry", cluster, "--task", "nosuch");
        assertEquals(1, again.code(), again.out());
        assertTrue(again.out().contains("its tasks are [characterizeImage, isr]"), again.out());
    }

    /** Per task label: state, attempt, error message of the cluster's quanta. */
    static Map<String, Object[]> quanta(String cluster) throws Exception {
        Map<String, Object[]> out = new java.util.HashMap<>();
        try (Connection db = TestServers.db(); PreparedStatement ps = db.prepareStatement(
                "SELECT task_label, state, attempt, error_message FROM quantum WHERE cluster = ?")) {
            ps.setString(1, cluster);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new Object[]{rs.getString(2), rs.getInt(3), rs.getString(4)});
                }
            }
        }
        return out;
    }

    static JsonNode task(JsonNode status, String label) {
        for (JsonNode t : status.path("tasks")) {
            if (label.equals(t.path("task").asText())) {
                return t;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
}
