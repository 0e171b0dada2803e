package org.lovoccs.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.lovoccs.events.S3Uri;
import org.lovoccs.imaging.isr.PostIsrCcd;
import org.lovoccs.imaging.isr.PostIsrCcdFormatter;
import org.lovoccs.objectstore.Checksums;
import org.lovoccs.objectstore.ObjectStore;
import org.lovoccs.simulator.CtioSite;
import org.lovoccs.simulator.ExposureSpec;
import org.lovoccs.simulator.RawExposureSimulator;

/**
 * Datasets held in their job's memory ({@code lovoccs.orchestrator.held-in-job}, by default postISRCCD and icExp) over
 * the real services, with the prompt pipeline (isr and characterizeImage in one job): the postISRCCD goes from the isr
 * quantum to the characterizeImage quantum of its job in memory and is never written to the object store, while the
 * registry holds it as registered and not stored; the icExp, which no quantum of that job reads, is written. When the
 * characterizeImage quantum of such a job fails, the worker writes the postISRCCD after all, with the checksum the
 * registry then records, so that a retry can read it. (A cluster that keeps them, {@code orchestrator:heldInJob=none}:
 * EndToEndTest reads its postISRCCDs and icExps back.)
 */
class HeldInJobTest {
    private static final RawExposureSimulator SIM = new RawExposureSimulator();

    @Test
    void byDefaultThePostIsrCcdIsHandedOnInMemoryAndNeverWritten() throws Exception {
        String cluster = land("HLD", Map.of(), 7101);
        waitForTasks(cluster, "isr and characterizeImage done", s -> done(s, "isr") == 1
                && done(s, "characterizeImage") == 1);
        JsonNode post = only(cluster, "postISRCCD");
        assertFalse(post.path("stored").asBoolean(true), "registered as not stored: " + post);
        S3Uri uri = S3Uri.parse(post.path("uri").asText());
        ObjectStore store = TestServers.store();
        assertTrue(store.stat(uri.bucket(), uri.key()).isEmpty(), "no object at the held postISRCCD's URI " + uri);
        assertTrue(post.path("checksum").isNull() || post.path("checksum").isMissingNode(), "never stored, no"
                + " checksum: " + post);
        // what characterizeImage wrote is stored as usual (no later quantum of this job reads the icExp), and it read
        // the postISRCCD from its job's memory
        for (String type : List.of("icExp", "icSrc", "icExpBackground")) {
            JsonNode d = only(cluster, type);
            assertTrue(d.path("stored").isMissingNode(), type + " stored: " + d);
            S3Uri u = S3Uri.parse(d.path("uri").asText());
            assertEquals(d.path("checksum").asText(), Checksums.sha256(store.get(u.bucket(), u.key())), type);
        }
        assertEquals(1, metric(cluster, "characterizeImage", "inputsFromMemory"), "postISRCCD read from memory");
        // the butler says why it cannot read it back, and how to keep such datasets
        TestServers.Answer verify = TestServers.get("/butler/verify?id=" + post.path("id").asText());
        assertEquals(404, verify.status(), String.valueOf(verify.body()));
        String message = verify.body().toString();
        assertTrue(message.contains("never stored") && message.contains("orchestrator:heldInJob=none"), message);
        JsonNode rows = TestServers.post("/butler/query-datasets", Map.of("datasetType", "postISRCCD",
                "collections", List.of(post.path("run").asText()))).body();
        assertEquals(1, rows.size(), rows.toString());
        assertFalse(rows.get(0).path("stored").asBoolean(true), "query-datasets says it is not stored: " + rows);
    }

    /**
     * The held postISRCCD is handed to characterizeImage as an object, never encoded: what characterizeImage makes of
     * it is, to the bit, what it makes of the same CCD's postISRCCD written and read back as a file (a cluster with
     * {@code orchestrator:heldInJob=none}, same simulated raw).
     */
    @Test
    void aPostIsrCcdHandedOnAsAnObjectCharacterizesAsItsFileDoes() throws Exception {
        String held = land("HOA", Map.of(), 7103);
        String written = land("HOB", Map.of("orchestrator:heldInJob", "none"), 7103);
        for (String c : List.of(held, written)) {
            waitForTasks(c, "isr and characterizeImage done", s -> done(s, "isr") == 1
                    && done(s, "characterizeImage") == 1);
        }
        assertFalse(only(held, "postISRCCD").path("stored").asBoolean(true), "held in " + held);
        assertTrue(only(written, "postISRCCD").path("stored").isMissingNode(), "written in " + written);
        String isrLog = quantumLog(held, "isr");
        assertTrue(isrLog.contains("as an object for the quanta after this one: not encoded, not written"), isrLog);
        ObjectStore store = TestServers.store();
        PostIsrCcd[] icExp = new PostIsrCcd[2];
        String[] clusters = {held, written};
        for (int i = 0; i < 2; i++) {
            assertEquals(1, metric(clusters[i], "characterizeImage", "inputsFromMemory"), clusters[i]);
            S3Uri u = S3Uri.parse(only(clusters[i], "icExp").path("uri").asText());
            icExp[i] = PostIsrCcdFormatter.read(store.get(u.bucket(), u.key()));
        }
        assertArrayEquals(icExp[1].image().image().array(), icExp[0].image().image().array(), "icExp IMAGE");
        assertArrayEquals(icExp[1].image().mask().array(), icExp[0].image().mask().array(), "icExp MASK");
        assertArrayEquals(icExp[1].image().variance().array(), icExp[0].image().variance().array(),
                "icExp VARIANCE");
        assertEquals(characterizeMetrics(written), characterizeMetrics(held), "sources, PSF and background");
    }

    /** characterizeImage's figures (not its timings). */
    private static Map<String, Double> characterizeMetrics(String cluster) throws Exception {
        JsonNode metrics;
        try (Connection db = TestServers.db(); PreparedStatement ps = db.prepareStatement("SELECT metrics::text FROM"
                + " quantum WHERE cluster = ? AND task_label = 'characterizeImage'")) {
            ps.setString(1, cluster);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), cluster);
                metrics = new com.fasterxml.jackson.databind.ObjectMapper().readTree(rs.getString(1));
            }
        }
        Map<String, Double> out = new java.util.TreeMap<>();
        for (String name : List.of("sources", "psfStars", "backgroundRms", "backgroundLevel", "psfE1AtCentre",
                "psfE2AtCentre", "psfFwhmPixelsAtCentre")) {
            assertTrue(metrics.has(name), name + " in " + metrics);
            out.put(name, metrics.get(name).asDouble());
        }
        return out;
    }

    private static String quantumLog(String cluster, String task) throws Exception {
        try (Connection db = TestServers.db(); PreparedStatement ps = db.prepareStatement("SELECT log_uri FROM"
                + " quantum WHERE cluster = ? AND task_label = ?")) {
            ps.setString(1, cluster);
            ps.setString(2, task);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), task + " of " + cluster);
                S3Uri u = S3Uri.parse(rs.getString(1));
                return new String(TestServers.store().get(u.bucket(), u.key()), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
    }

    @Test
    void aFailedFollowerMakesItsWorkerWriteWhatTheJobHeld() throws Exception {
        // characterizeImage refuses aperture corrections (not implemented): the quantum fails after isr held its output
        String cluster = land("HLF", Map.of("orchestrator:heldInJob", "postISRCCD",
                "characterizeImage:doApCorr", "True"), 7102);
        waitForTasks(cluster, "isr done and characterizeImage failed", s -> done(s, "isr") == 1
                && s.path("tasks").findValues("failed").stream().mapToLong(JsonNode::asLong).sum() == 1);
        try (Connection db = TestServers.db(); PreparedStatement ps = db.prepareStatement("SELECT state,"
                + " error_type, error_message FROM quantum WHERE cluster = ? AND task_label = 'characterizeImage'")) {
            ps.setString(1, cluster);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("failed", rs.getString(1));
                assertEquals("UnsupportedConfigException", rs.getString(2), rs.getString(3));
            }
        }
        JsonNode post = only(cluster, "postISRCCD");
        assertTrue(post.path("stored").isMissingNode(), "stored once the job's follower failed: " + post);
        S3Uri uri = S3Uri.parse(post.path("uri").asText());
        byte[] bytes = TestServers.store().get(uri.bucket(), uri.key());
        assertEquals(post.path("checksum").asText(), Checksums.sha256(bytes), "the bytes written match the registry");
        TestServers.Answer verify = TestServers.get("/butler/verify?id=" + post.path("id").asText());
        assertEquals(200, verify.status(), String.valueOf(verify.body()));
    }

    /**
     * A quantum due again whose input was held in a job that ended without writing it (here: the characterizeImage
     * of a finished job made due again, as the registry does for a quantum whose worker it takes for lost): the
     * registry runs the isr quantum again, with the characterizeImage in its job, instead of sending a quantum that
     * cannot read its input.
     */
    @Test
    void aQuantumDueAgainWhoseHeldInputIsGoneGoesOutInItsProducersJobAgain() throws Exception {
        String cluster = land("HLR", Map.of(), 7103);
        waitForTasks(cluster, "isr and characterizeImage done", s -> done(s, "isr") == 1
                && done(s, "characterizeImage") == 1);
        assertFalse(only(cluster, "postISRCCD").path("stored").asBoolean(true));
        Instant lost = Instant.now();
        try (Connection db = TestServers.db(); PreparedStatement ps = db.prepareStatement("UPDATE quantum SET"
                + " state = 'pending', retry_at = now(), error_type = 'WorkerLost', error_message = 'test: lost'"
                + " WHERE cluster = ? AND task_label = 'characterizeImage'")) {
            ps.setString(1, cluster);
            assertEquals(1, ps.executeUpdate());
        }
        TestServers.waitFor("characterizeImage of " + cluster + " done again", Duration.ofSeconds(120), () -> {
            try {
                return "done".equals(row(cluster, "characterizeImage")[0]);
            } catch (Exception e) {
                return false;
            }
        });
        Object[] isr = row(cluster, "isr");
        Object[] characterize = row(cluster, "characterizeImage");
        assertEquals("done", isr[0]);
        assertEquals(2, isr[1], "isr ran again, attempt 2");
        assertTrue(((java.sql.Timestamp) characterize[2]).toInstant().isAfter(lost), "characterizeImage ran again");
        assertEquals(null, characterize[3], "its WorkerLost error cleared");
        assertEquals(1, metric(cluster, "characterizeImage", "inputsFromMemory"), "it read the postISRCCD in the job");
        assertFalse(only(cluster, "postISRCCD").path("stored").asBoolean(true), "held again, not written");
    }

    /** A quantum's state, attempt, finished_at and error_type. */
    private static Object[] row(String cluster, String task) throws Exception {
        try (Connection db = TestServers.db(); PreparedStatement ps = db.prepareStatement("SELECT state, attempt,"
                + " finished_at, error_type FROM quantum WHERE cluster = ? AND task_label = ?")) {
            ps.setString(1, cluster);
            ps.setString(2, task);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), task + " of " + cluster);
                return new Object[] {rs.getString(1), rs.getInt(2), rs.getTimestamp(3), rs.getString(4)};
            }
        }
    }

    /** Creates the cluster with {@code config} and lands one r exposure of CCD 1 for it; the cluster's name. */
    /** The last second an exposure number was made from. */
    private static final AtomicLong EXPOSURE_SECOND = new AtomicLong();

    private static String land(String prefix, Map<String, String> config, int seed) throws Exception {
        String cluster = prefix + Long.toString(System.currentTimeMillis(), 36).toUpperCase();
        TestServers.Answer created = TestServers.post("/cluster-admin/clusters", Map.of("name", cluster, "ra", 10.4583,
                "dec", -9.3031, "config", config));
        assertEquals(200, created.status(), String.valueOf(created.body()));
        // an exposure number of its own for every raw landed, even two in the same second (the registry records an
        // exposure once: a second cluster's raw with the same number would be "already known" and never processed)
        long second = EXPOSURE_SECOND.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis() / 1000));
        int exposure = (int) (second % 20_000_000) * 10 + 300_000_000 + seed % 10;
        ExposureSpec spec = new ExposureSpec(cluster, exposure, "r",
                CtioSite.nextTransit(10.4583, Instant.parse("2022-10-01T00:00:00Z")), 90, 10.4583, -9.3031, 1.0,
                2000, 400, seed);
        TestServers.store().put(TestServers.LANDING, cluster + "/c4d_" + exposure + "_ori.fits",
                SIM.toBytes(spec, List.of(1)), "application/fits", Map.of());
        return cluster;
    }

    private static void waitForTasks(String cluster, String what, java.util.function.Predicate<JsonNode> condition)
            throws InterruptedException {
        TestServers.waitFor(what + " for " + cluster, Duration.ofSeconds(180), () -> {
            JsonNode s = TestServers.status(cluster);
            return s != null && condition.test(s);
        });
    }

    private static long done(JsonNode status, String task) {
        for (JsonNode t : status.path("tasks")) {
            if (task.equals(t.path("task").asText()) || task.equals(t.path("label").asText())) {
                return t.path("done").asLong();
            }
        }
        return 0;
    }

    private static JsonNode only(String cluster, String type) throws Exception {
        JsonNode list = TestServers.getJson("/clusters/" + cluster + "/datasets?datasetType=" + type);
        assertEquals(1, list.size(), type + " of " + cluster + ": " + list);
        return list.get(0);
    }

    private static int metric(String cluster, String task, String name) throws Exception {
        try (Connection db = TestServers.db(); PreparedStatement ps = db.prepareStatement("SELECT"
                + " coalesce((metrics->>?)::numeric::int, -1) FROM quantum WHERE cluster = ? AND task_label = ?")) {
            ps.setString(1, name);
            ps.setString(2, cluster);
            ps.setString(3, task);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), task + " of " + cluster);
                return rs.getInt(1);
            }
        }
    }
}
