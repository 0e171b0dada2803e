package org.lovoccs.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lovoccs.contract.CalibrationProductsTest.count;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import nom.tam.fits.Header;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovoccs.events.S3Uri;
import org.lovoccs.imaging.isr.CrosstalkSource;
import org.lovoccs.imaging.isr.PostIsrCcdFormatter;

/**
 * Inter-CCD crosstalk through the services, against the default pipeline (seed steps 0 and 1): every science raw's
 * step0 (isrForCrosstalkSources) writes its overscan-corrected raw (overscanRaw), and the ISR of a CCD reads those
 * of the same exposure's CCDs that DECam's crosstalk table names as its sources. CCD 29's sources are 28 (29A <- 28A,
 * 29A <- 28B, 29B <- 28B, up to 1.2e-4) and 30 (not landed); the simulated field is widened to cover 29. A second cluster whose step0 is configured to fail
 * shows the ISR going on without a source whose step0 failed, rather than failing with it. The science of the
 * correction against the simulator's truth is InterCcdCrosstalkTruthTest's (simulator module). The reference
 * catalogues are ingested only after the calibrates were planned failed for the lack of them, and
 * {@code pipetask retry} finds them.
 */
@Tag("full-pipeline")
class CrosstalkSourcesTest {

    @TempDir
    Path dir;

    @Test
    void theIsrReadsItsNeighboursOverscanRawGoesOnWithoutAFailedOneAndARetryFindsARefcatIngestedSince()
            throws Exception {
        TestServers.requireRunning();
        String stamp = Long.toString(System.currentTimeMillis(), 36).toUpperCase();
        String good = "XTLK" + stamp;
        String broken = "XTLB" + stamp;
        int firstExpnum = (int) (System.currentTimeMillis() / 1000 % 20_000_000) * 10 + 400_000_000;
        int seed = 47;
        // the curated crosstalk, linearizer and defects of the simulated instrument (the same as ProcessCcdTest's:
        // writing them again adds nothing)
        TestServers.Cli curated = TestServers.lovoccs("butler", "write-curated-calibrations", "--collection",
                "DECam/calib/curated/seed" + seed, "--instrument-seed", String.valueOf(seed));
        assertEquals(0, curated.code(), curated.out());
        // the second cluster's step0 asks for a bias on an unassembled raw, which the isr worker refuses: every step0
        // quantum of it fails. The records are made before landing, as step0 is planned when a raw lands
        // both keep their postISRCCDs (held in the job by default), whose headers this test reads
        TestServers.Cli record = TestServers.lovoccs("cluster", "create", good, "--ra", "10.4583", "--dec",
                "-9.3031", "--bands", "r:ps1", "-c", "orchestrator:heldInJob=none");
        assertEquals(0, record.code(), record.out());
        record = TestServers.lovoccs("cluster", "create", broken, "--ra", "10.4583", "--dec", "-9.3031", "--bands",
                "r:ps1", "-c", "isrForCrosstalkSources:doBias=True", "-c", "orchestrator:heldInJob=none");
        assertEquals(0, record.code(), record.out());
        for (String cluster : List.of(good, broken)) {
            Path out = dir.resolve(cluster);
            TestServers.Cli sim = TestServers.lovoccs("simulate", "--scale", "test", "--cluster", cluster,
                    "--first-expnum", String.valueOf(firstExpnum + (cluster.equals(good) ? 0 : 100)), "--seed",
                    String.valueOf(seed), "--zeros", "2", "--flats", "2", "--bands", "r", "--visits", "1", "--ccds",
                    "28,29", "--field-radius", "0.35", "--galaxy-density", "10", "--seeing", "0.9", "--land",
                    "--land-calibs", "--out", out.toString());
            assertEquals(0, sim.code(), sim.out());
        }
        TestServers.waitFor("step0 of both clusters' science CCDs", Duration.ofSeconds(300), () -> {
            JsonNode a = TestServers.status(good);
            JsonNode b = TestServers.status(broken);
            return a != null && b != null && count(a, "isrForCrosstalkSources", "done") == 2
                    && count(b, "isrForCrosstalkSources", "failed") == 2;
        });
        for (String cluster : List.of(good, broken)) {
            TestServers.Cli complete = TestServers.lovoccs("cluster", "complete", cluster, "--wait", "120");
            assertEquals(0, complete.code(), complete.out());
        }
        TestServers.waitFor("the ISR of both clusters' science CCDs", Duration.ofSeconds(600), () -> {
            for (String cluster : List.of(good, broken)) {
                JsonNode st = TestServers.status(cluster);
                if (st == null || count(st, "isr", "done") + count(st, "isr", "failed")
                        + count(st, "isr", "depFail") < 2) {
                    return false;
                }
            }
            return true;
        });
        JsonNode a = TestServers.status(good);
        JsonNode b = TestServers.status(broken);
        assertEquals(2, count(a, "isr", "done"), a.toPrettyString());
        assertEquals(2, count(b, "isr", "done"), "a failed crosstalk source is not a dependency failure: "
                + b.toPrettyString());

        // the first cluster: 29's ISR read 28's overscanRaw of the same exposure, applied it, and lacked 30's
        Map<String, String> goodIsr = isrCrosstalk(good);
        assertEquals(Map.of("28", "0/0 []", "29", "1/1 [28]"), goodIsr, "applied/missing and the crosstalkSources"
                + " inputs, per detector");
        Header h29 = postIsrHeader(good, 29);
        assertEquals("28", h29.getStringValue("XTALKSRC"), "inter-CCD crosstalk sources applied to CCD 29");
        assertEquals("30", h29.getStringValue("XTALKMIS"), "the source named by the crosstalk but never landed");
        // the overscanRaw the ISR read: CCD 28 of the same exposure, overscan-corrected, readable as a source
        CrosstalkSource source = overscanRaw(good, 28);
        assertEquals(28, source.detector());
        assertEquals(h29.getIntValue("EXPNUM"), source.expnum(), "the science exposure's, as CCD 29's");

        // the second cluster: step0 failed for good, naming the switch; the ISR of 29 went on without 28 and said so
        try (var db = TestServers.db(); var ps = db.prepareStatement("SELECT error_message FROM quantum WHERE"
                + " cluster = ? AND task_label = 'isrForCrosstalkSources'")) {
            ps.setString(1, broken);
            try (var rs = ps.executeQuery()) {
                int n = 0;
                while (rs.next()) {
                    n++;
                    assertTrue(rs.getString(1).contains("doBias"), rs.getString(1));
                }
                assertEquals(2, n);
            }
        }
        assertEquals(Map.of("28", "0/0 []", "29", "0/2 []"), isrCrosstalk(broken), "the failed source's input"
                + " was dropped, not waited for");
        Header b29 = postIsrHeader(broken, 29);
        assertEquals("28,30", b29.getStringValue("XTALKMIS"), "sources named but missing on CCD 29");
        assertEquals("", b29.getStringValue("XTALKSRC", ""), "nothing applied");

        // the campaigns' reference catalogues were not ingested: each calibrate and check_visit was planned failed,
        // saying what to do. Ingested now, pipetask retry looks the shards up again, and both run
        try (var db = TestServers.db(); var ps = db.prepareStatement("SELECT error_type, error_message FROM quantum"
                + " WHERE cluster = ? AND task_label IN ('calibrate', 'checkVisit')")) {
            ps.setString(1, good);
            try (var rs = ps.executeQuery()) {
                int n = 0;
                while (rs.next()) {
                    n++;
                    assertEquals("MissingPrerequisite", rs.getString(1), rs.getString(2));
                    assertTrue(rs.getString(2).contains("./lovoccs butler ingest-refcat")
                            && rs.getString(2).contains("./lovoccs pipetask retry " + good), rs.getString(2));
                }
                assertEquals(4, n);
            }
        }
        for (String refcat : List.of("gaia_like", "ps1_like_r")) {
            TestServers.Cli in = TestServers.lovoccs("butler", "ingest-refcat", refcat, dir.resolve(good)
                    .resolve("refcats").resolve(refcat + ".fits").toString(), "--collection", "refcats/" + good);
            assertEquals(0, in.code(), in.out());
        }
        TestServers.Cli retry = TestServers.lovoccs("pipetask", "retry", good);
        assertEquals(0, retry.code(), retry.out());
        // the registry's own record (the status API may answer from a snapshot taken before the retry)
        TestServers.waitFor("calibrate and check_visit of " + good + " done after the retry", Duration.ofSeconds(300),
                () -> states(good).getOrDefault("done", 0) == 4 || states(good).getOrDefault("failed", 0)
                        + states(good).getOrDefault("dep_fail", 0) > 0);
        assertEquals(Map.of("done", 4), states(good), "calibrate and checkVisit after the retry");
    }

    /** The states of the cluster's calibrate and checkVisit quanta, counted. */
    private static Map<String, Integer> states(String cluster) {
        Map<String, Integer> out = new TreeMap<>();
        try (var db = TestServers.db(); var ps = db.prepareStatement("SELECT state, count(*) FROM quantum WHERE"
                + " cluster = ? AND task_label IN ('calibrate', 'checkVisit') GROUP BY state")) {
            ps.setString(1, cluster);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getInt(2));
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** Per detector of the cluster's done ISR quanta: "applied/missing [detectors of its crosstalkSources inputs]". */
    private static Map<String, String> isrCrosstalk(String cluster) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (var db = TestServers.db(); var ps = db.prepareStatement("SELECT q.data_id->>'detector',"
                + " (q.metrics->>'crosstalkSourcesApplied')::numeric::int || '/'"
                + " || (q.metrics->>'crosstalkSourcesMissing')::numeric::int, (SELECT coalesce(string_agg("
                + "e.data_id->>'detector', ',' ORDER BY e.data_id->>'detector'), '') FROM quantum_dataset e WHERE"
                + " e.quantum = q.id AND e.role = 'input' AND e.connection = 'crosstalkSources'"
                + " AND e.data_id->>'exposure' = q.data_id->>'exposure') FROM quantum q WHERE q.cluster = ?"
                + " AND q.task_label = 'isr' AND q.state = 'done'")) {
            ps.setString(1, cluster);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2) + " [" + rs.getString(3) + "]");
                }
            }
        }
        return out;
    }

    private static Header postIsrHeader(String cluster, int detector) throws Exception {
        return PostIsrCcdFormatter.read(bytes(cluster, "postISRCCD", detector)).metadata();
    }

    private static CrosstalkSource overscanRaw(String cluster, int detector) throws Exception {
        return CrosstalkSource.read(bytes(cluster, "overscanRaw", detector));
    }

    private static byte[] bytes(String cluster, String type, int detector) throws Exception {
        List<String> uris = new ArrayList<>();
        try (var db = TestServers.db(); var ps = db.prepareStatement("SELECT uri FROM dataset WHERE cluster = ? AND"
                + " dataset_type = ? AND data_id->>'detector' = ?")) {
            ps.setString(1, cluster);
            ps.setString(2, type);
            ps.setString(3, String.valueOf(detector));
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    uris.add(rs.getString(1));
                }
            }
        }
        assertEquals(1, uris.size(), type + " of detector " + detector + " in " + cluster + ": " + uris);
        S3Uri uri = S3Uri.parse(uris.get(0));
        return TestServers.store().get(uri.bucket(), uri.key());
    }
}
