package org.lovoccs.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovoccs.events.EventCodec;

/**
 * {@code ./lovoccs butler ingest-raws} over the real servers: a simulated campaign folder (a science raw, a zero, a
 * dome flat, and a truncated and a header-damaged copy made by the simulator's RawDamage) is ingested with
 * {@code --transfer copy}; another cluster's folder with {@code --transfer direct}. The good raws are registered and
 * processed as landed ones are, the bad ones reported with their reasons and left in the folder, and a second run
 * ingests nothing new.
 */
class IngestRawsTest {

    @TempDir
    Path dir;

    @Test
    void copyIngestsGoodRawsReportsBadOnesAndIsIdempotent() throws Exception {
        TestServers.requireRunning();
        String cluster = "INGC" + Long.toString(System.currentTimeMillis(), 36).toUpperCase();
        Path campaign = dir.resolve("copy");
        simulate(cluster, campaign, firstExpnum(), "--zeros", "1", "--flats", "1", "--with-damaged", "--fpack");
        Path truncated = onlyFile(campaign.resolve("damaged"), "_truncated.fits.fz");
        Path noGain = onlyFile(campaign.resolve("damaged"), "_nogaina.fits.fz");

        TestServers.Cli first = TestServers.lovoccs("butler", "ingest-raws", cluster, campaign.toString(), "-t", "copy",
                "-j", "2");
        String out = first.out();
        assertEquals(1, first.code(), "bad raws make exit code 1:\n" + out);
        assertTrue(out.contains("3 ingested (6 detector datasets"), out);
        assertTrue(out.contains("2 bad (MISSING_KEYWORD 1, TRUNCATED 1)"), out);
        assertTrue(out.matches("(?s).*BAD +TRUNCATED +" + java.util.regex.Pattern.quote(truncated.toString())
                + ": truncated: .*"), out);
        assertTrue(out.matches("(?s).*BAD +MISSING_KEYWORD +" + java.util.regex.Pattern.quote(noGain.toString())
                + ": HDU \\d+ \\(\\w+\\): required keyword GAINA is missing.*"), out);
        assertTrue(Files.isRegularFile(truncated) && Files.isRegularFile(noGain),
                "the bad raws stay in the user's folder");

        // registered as landed raws are: one raw per detector, copied into the repository under DECam/raw/all
        JsonNode raws = rawsOf(cluster, 6);
        for (JsonNode raw : raws) {
            assertTrue(raw.path("uri").asText().startsWith("s3://" + TestServers.REPO + "/DECam/raw/all/"), raw.toString());
        }
        waitForIsr(cluster, 2);
        // routed by observation type as landed calibration raws are: the zero's CCDs through cpBiasIsr
        assertEquals(2, rows("SELECT count(*) FROM quantum WHERE cluster = ? AND task_label = 'cpBiasIsr'"
                + " AND state = 'done'", cluster), "the zero's CCDs ISR-processed as a bias input");
        assertEquals(0, rows("SELECT count(*) FROM quarantine WHERE cluster = ?", cluster),
                "ingest-raws reports bad raws, it does not quarantine the user's files");

        long datasetsBefore = rows("SELECT count(*) FROM dataset WHERE cluster = ?", cluster);
        long quantaBefore = rows("SELECT count(*) FROM quantum WHERE cluster = ?", cluster);
        TestServers.Cli again = TestServers.lovoccs("butler", "ingest-raws", cluster, campaign.toString());
        assertEquals(1, again.code(), again.out());
        assertTrue(again.out().contains("0 ingested (0 detector datasets), 3 already present, 2 bad"), again.out());
        Thread.sleep(3000);
        assertEquals(datasetsBefore, rows("SELECT count(*) FROM dataset WHERE cluster = ?", cluster), "no new dataset");
        assertEquals(quantaBefore, rows("SELECT count(*) FROM quantum WHERE cluster = ?", cluster), "no new quantum");
    }

    @Test
    void directRegistersLocalFilesInPlaceAndWorkersReadThem() throws Exception {
        TestServers.requireRunning();
        String cluster = "INGD" + Long.toString(System.currentTimeMillis(), 36).toUpperCase();
        Path campaign = dir.resolve("direct");
        simulate(cluster, campaign, firstExpnum(), "--zeros", "0", "--flats", "0");
        Path raw = onlyFile(campaign.resolve("raw"), "_ori.fits");

        TestServers.Cli first = TestServers.lovoccs("butler", "ingest-raws", cluster, campaign.resolve("raw").toString(),
                "--transfer", "direct");
        assertEquals(0, first.code(), first.out());
        assertTrue(first.out().contains("1 ingested (2 detector datasets"), first.out());

        JsonNode raws = rawsOf(cluster, 2);
        for (JsonNode r : raws) {
            assertEquals(raw.toAbsolutePath().normalize().toUri().toString(), r.path("uri").asText(),
                    "registered in place: " + r);
        }
        waitForIsr(cluster, 2);
        // the registry reads a raw registered in place back and checks its HDU's recorded checksum
        var verified = TestServers.get("/butler/verify?id=" + raws.get(0).path("id").asText());
        assertEquals(200, verified.status(), String.valueOf(verified.body()));
        assertEquals(raw.toAbsolutePath().normalize().toUri().toString(), verified.body().path("uri").asText());

        TestServers.Cli again = TestServers.lovoccs("butler", "ingest-raws", cluster, campaign.resolve("raw").toString(),
                "-t", "direct");
        assertEquals(0, again.code(), again.out());
        assertTrue(again.out().contains("nothing new to ingest"), again.out());

        // an s3:// prefix, registered as its own objects (into another RUN: DECam/raw/all holds these exposures now)
        String bucket = "lovoccs-ingest-test";
        String run = "DECam/raw/" + cluster + "-s3";
        var store = TestServers.store();
        store.ensureBucket(bucket);
        store.put(bucket, cluster + "/night1/" + raw.getFileName(), raw, "application/fits");
        TestServers.Cli s3 = TestServers.lovoccs("butler", "ingest-raws", cluster, "s3://" + bucket + "/" + cluster + "/",
                "-t", "direct", "--output-run", run);
        assertEquals(0, s3.code(), s3.out());
        assertTrue(s3.out().contains("1 ingested (2 detector datasets"), s3.out());
        TestServers.waitFor("the raws in " + run, Duration.ofSeconds(60), () -> {
            try {
                var q = TestServers.post("/butler/query-datasets", java.util.Map.of("datasetType", "raw",
                        "collections", List.of(run)));
                return q.status() == 200 && q.body().size() == 2 && q.body().get(0).path("uri").asText().equals(
                        "s3://" + bucket + "/" + cluster + "/night1/" + raw.getFileName());
            } catch (Exception e) {
                return false;
            }
        });

        TestServers.Cli missing = TestServers.lovoccs("butler", "ingest-raws", cluster,
                campaign.resolve("no-such-folder").toString(), "-t", "direct");
        assertEquals(1, missing.code(), missing.out());
        assertTrue(missing.out().contains("no such file or folder: " + campaign.resolve("no-such-folder")),
                missing.out());
    }

    private static int firstExpnum() {
        return (int) (System.currentTimeMillis() / 1000 % 20_000_000) * 10 + 600_000_000;
    }

    private static void simulate(String cluster, Path out, int firstExpnum, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of("..", "lovoccs").toAbsolutePath().normalize().toString(),
                "simulate", "--scale", "test", "--cluster", cluster, "--bands", "r", "--first-expnum",
                String.valueOf(firstExpnum), "--seed", "41", "--galaxy-density", "10", "--out", out.toString()));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), log);
        assertEquals(0, p.exitValue(), log);
    }

    private static Path onlyFile(Path dir, String suffix) throws Exception {
        try (var s = Files.walk(dir)) {
            List<Path> found = s.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
            assertEquals(1, found.size(), "one *" + suffix + " under " + dir + ": " + found);
            return found.get(0);
        }
    }

    /** The cluster's raw datasets, once the registry has recorded {@code n} of them. */
    private static JsonNode rawsOf(String cluster, int n) throws Exception {
        JsonNode[] raws = new JsonNode[1];
        TestServers.waitFor(n + " raw datasets of " + cluster, Duration.ofSeconds(60), () -> {
            try {
                raws[0] = TestServers.getJson("/clusters/" + cluster + "/datasets?datasetType=raw");
                return raws[0].size() >= n;
            } catch (Exception e) {
                return false;
            }
        });
        Thread.sleep(2000);
        JsonNode all = TestServers.getJson("/clusters/" + cluster + "/datasets?datasetType=raw");
        assertEquals(n, all.size(), "exactly the good raws' detectors: " + all);
        for (JsonNode r : all) {
            JsonNode dataId = r.path("dataId").isTextual() ? EventCodec.JSON.readTree(r.path("dataId").asText())
                    : r.path("dataId");
            assertEquals("DECam", dataId.path("instrument").asText(), r.toString());
            assertTrue(dataId.path("exposure").asLong() >= 600_000_000L, r.toString());
        }
        return all;
    }

    /**
     * Waits until the cluster's {@code n} science isr quanta are done, their characterizeImage and any zero's
     * cpBiasIsr too, and nothing failed.
     */
    private static void waitForIsr(String cluster, int n) throws Exception {
        JsonNode[] status = new JsonNode[1];
        TestServers.waitFor(n + " isr quanta of " + cluster, Duration.ofSeconds(400), () -> {
            status[0] = TestServers.status(cluster);
            if (status[0] == null) {
                return false;
            }
            long isrDone = 0;
            long open = 0;
            long failed = 0;
            for (JsonNode t : status[0].path("tasks")) {
                String label = t.path("task").asText();
                if (label.equals("isr")) {
                    isrDone = t.path("done").asLong();
                }
                failed += t.path("failed").asLong() + t.path("depFail").asLong();
                // cpFlatIsr waits for the master bias, made only once the raws are declared complete
                if (label.equals("isr") || label.equals("characterizeImage") || label.equals("cpBiasIsr")) {
                    open += t.path("unready").asLong() + t.path("pending").asLong() + t.path("running").asLong();
                }
            }
            return failed > 0 || (isrDone >= n && open == 0);
        });
        for (JsonNode t : status[0].path("tasks")) {
            assertEquals(0, t.path("failed").asLong() + t.path("depFail").asLong(), status[0].toPrettyString());
            if (t.path("task").asText().equals("isr")) {
                assertEquals(n, t.path("done").asLong(), status[0].toPrettyString());
            }
        }
    }

    private static long rows(String sql, String cluster) throws Exception {
        try (var db = TestServers.db(); var ps = db.prepareStatement(sql)) {
            ps.setString(1, cluster);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
