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
 * Retries over the real services: a raw announced ready whose file is not in the store yet makes its isr quantum
 * fail; the registry retries it with backoff (attempts 1, 2, 3) and then marks it failed with the error; once the
 * file is there, {@code ./lovoccs pipetask retry} (the REST call behind it) sends it again and it is done.
 */
class RetryTest {

    @Test
    void failedQuantumIsRetriedWithBackoffThenRerunByHand() throws Exception {
        TestServers.requireRunning();
        String cluster = "RTY" + Long.toString(System.currentTimeMillis(), 36).toUpperCase();
        long exposure = System.currentTimeMillis() / 1000 % 20_000_000 * 10 + 400_000_000L;
        ExposureSpec spec = new ExposureSpec(cluster, (int) exposure, "r",
                CtioSite.nextTransit(10.4583, Instant.parse("2022-10-01T00:00:00Z")), 90, 10.4583, -9.3031, 1.0,
                1500, 30, 4242);
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
        Object[] q = new Object[3];
        TestServers.waitFor("the isr quantum to fail after its retries", Duration.ofSeconds(90), () -> {
            try (Connection db = TestServers.db(); PreparedStatement ps = db.prepareStatement(
                    "SELECT state, attempt, error_message FROM quantum WHERE cluster = ?")) {
                ps.setString(1, cluster);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        q[0] = rs.getString(1);
                        q[1] = rs.getInt(2);
                        q[2] = rs.getString(3);
                    }
                }
            } catch (Exception e) {
                return false;
            }
            return "failed".equals(q[0]);
        });
        assertEquals(3, q[1], "three attempts before giving up");
        assertTrue(String.valueOf(q[2]).contains(key) || String.valueOf(q[2]).toLowerCase().contains("not"),
                "the error says what was missing: " + q[2]);
        JsonNode status = TestServers.status(cluster);
        JsonNode isr = status.path("tasks").get(0);
        assertEquals(1, isr.path("failed").asLong(), status.toPrettyString());
        assertEquals(1, isr.path("failures").size());

        // the file arrives; the user re-runs what failed
        TestServers.store().put(TestServers.REPO, key, file, "application/fits", Map.of());
        TestServers.Cli retry = TestServers.lovoccs("pipetask", "retry", cluster);
        assertEquals(0, retry.code(), retry.out());
        assertTrue(retry.out().contains("1 quanta of " + cluster + " sent again"), retry.out());
        TestServers.waitFor("the re-run quantum to finish", Duration.ofSeconds(90), () -> {
            JsonNode s = TestServers.status(cluster);
            return s != null && s.path("tasks").get(0).path("done").asLong() == 1;
        });
        JsonNode done = TestServers.status(cluster).path("tasks").get(0);
        assertEquals(0, done.path("failed").asLong());
        try (Connection db = TestServers.db(); PreparedStatement ps = db.prepareStatement(
                "SELECT attempt, state FROM quantum WHERE cluster = ?")) {
            ps.setString(1, cluster);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(4, rs.getInt(1), "the hand re-run is a fourth attempt");
                assertEquals("done", rs.getString(2));
            }
        }
        // nothing left to retry
        TestServers.Cli again = TestServers.lovoccs("pipetask", "retry", cluster, "--task", "nosuch");
        assertEquals(1, again.code(), again.out());
        assertTrue(again.out().contains("its tasks are [isr]"), again.out());
    }
}
