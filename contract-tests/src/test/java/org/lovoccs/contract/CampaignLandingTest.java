package org.lovoccs.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./lovoccs simulate --land} over the real servers: a test-scale campaign, fpack-compressed, is written and
 * each science raw lands in the landing bucket as soon as it is complete, no faster than the cadence; ingestion
 * decompresses and checks it, and the isr worker processes every CCD.
 */
class CampaignLandingTest {

    private static final double CADENCE = 8.0;

    @TempDir
    Path dir;

    @Test
    void simulatedCampaignLandsAtItsCadenceAndIsProcessed() throws Exception {
        TestServers.requireRunning();
        String cluster = "CAMP" + Long.toString(System.currentTimeMillis(), 36).toUpperCase();
        int firstExpnum = (int) (System.currentTimeMillis() / 1000 % 20_000_000) * 10 + 300_000_000;
        Path launcher = Path.of("..", "lovoccs").toAbsolutePath().normalize();
        Process p = new ProcessBuilder(launcher.toString(), "simulate", "--scale", "test", "--cluster", cluster,
                "--first-expnum", String.valueOf(firstExpnum), "--seed", "31", "--zeros", "1", "--flats", "1",
                "--galaxy-density", "10", "--fpack", "--land", "--cadence", String.valueOf(CADENCE), "--out",
                dir.toString()).redirectErrorStream(true).start();
        List<Long> landedAt = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.append(line).append('\n');
                if (line.trim().startsWith("landed")) {
                    landedAt.add(System.nanoTime());
                }
            }
        }
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), out.toString());
        assertEquals(0, p.exitValue(), out.toString());
        assertEquals(2, landedAt.size(), "the two science raws land, calibrations stay on disk:\n" + out);
        double gap = (landedAt.get(1) - landedAt.get(0)) / 1e9;
        assertTrue(gap >= CADENCE - 0.5, "landed " + gap + " s apart, cadence " + CADENCE + " s\n" + out);
        assertTrue(Files.exists(dir.resolve("campaign.json")));

        int quanta = 2 * 2;
        JsonNode[] status = new JsonNode[1];
        TestServers.waitFor(quanta + " isr and " + quanta + " characterizeImage quanta of " + cluster,
                Duration.ofSeconds(300), () -> {
                    status[0] = TestServers.status(cluster);
                    if (status[0] == null) {
                        return false;
                    }
                    long finished = 0;
                    long open = 0;
                    for (JsonNode t : status[0].path("tasks")) {
                        finished += t.path("done").asLong() + t.path("failed").asLong() + t.path("depFail").asLong();
                        open += t.path("unready").asLong() + t.path("pending").asLong() + t.path("running").asLong();
                    }
                    return finished >= 2L * quanta && open == 0;
                });
        for (String label : java.util.List.of("isr", "characterizeImage")) {
            JsonNode task = null;
            for (JsonNode t : status[0].path("tasks")) {
                if (t.path("task").asText().equals(label)) {
                    task = t;
                }
            }
            assertTrue(task != null, label + ": " + status[0].toPrettyString());
            assertEquals(quanta, task.path("done").asLong(), label + " of every CCD of the fpack raws: "
                    + status[0].toPrettyString());
            assertEquals(0, task.path("failed").asLong(), status[0].toPrettyString());
        }
        assertEquals(0, status[0].path("quarantined").size(), status[0].toPrettyString());
        // ./lovoccs wait with a count that is off (as the demo's would be if a task were added): the cluster is quiet,
        // so the wait ends short of the count and says so, instead of waiting out its timeout
        TestServers.Cli wait = TestServers.lovoccs(java.util.Map.of("LOVOCCS_CLI_JAVA_OPTS",
                "-Dlovoccs.wait.quiet-seconds=3"), "wait", cluster, "--quanta", "1000", "--timeout", "100");
        long planned = 0;
        for (JsonNode t : status[0].path("tasks")) {
            planned += t.path("done").asLong() + t.path("failed").asLong() + t.path("depFail").asLong();
        }
        assertEquals(0, wait.code(), wait.out());
        assertTrue(wait.out().contains("every planned quantum has finished (" + planned + " of them)")
                && wait.out().contains("1000 were expected"), wait.out());
        // the raws are registered under the simulated exposure numbers
        JsonNode raws = TestServers.getJson("/clusters/" + cluster + "/datasets?datasetType=raw");
        java.util.Set<Long> exposures = new java.util.TreeSet<>();
        for (JsonNode raw : raws) {
            JsonNode dataId = raw.path("dataId").isTextual()
                    ? org.lovoccs.events.EventCodec.JSON.readTree(raw.path("dataId").asText()) : raw.path("dataId");
            exposures.add(dataId.path("exposure").asLong());
            assertTrue(raw.path("uri").asText().endsWith(".fits.fz"), "the fpack files are the registered raws: "
                    + raw);
        }
        // the step's RUN is chained into the cluster's output collection, which the butler searches
        JsonNode chain = TestServers.getJson("/butler/collections?glob=" + TestServers.enc("DECam/processing/"
                + cluster + "/step1"));
        assertEquals(1, chain.size(), chain.toString());
        assertEquals("CHAINED", chain.get(0).path("type").asText());
        assertEquals(1, chain.get(0).path("children").size(), chain.toString());
        var found = TestServers.post("/butler/query-datasets", java.util.Map.of("datasetType", "postISRCCD",
                "collections", java.util.List.of("DECam/processing/" + cluster + "/step1")));
        assertEquals(200, found.status(), String.valueOf(found.body()));
        assertEquals(quanta, found.body().size(), "the postISRCCDs through the chained output collection");
        // re-running the step writes a new RUN, first in the chain; the status counts the current RUN's quanta
        TestServers.Cli rerun = TestServers.lovoccs("pipetask", "rerun", cluster);
        String rerunOut = rerun.out();
        assertEquals(0, rerun.code(), rerunOut);
        // the step is isr and characterizeImage: both are planned again into the new RUN
        assertTrue(rerunOut.contains(2 * quanta + " quanta planned into DECam/processing/" + cluster + "/step1/"),
                rerunOut);
        String newRun = rerunOut.replaceAll("(?s).*planned into (\\S+) .*", "$1").trim();
        TestServers.waitFor("the re-run's quanta", Duration.ofSeconds(300), () -> {
            try (var db = TestServers.db(); var ps = db.prepareStatement(
                    "SELECT count(*) FROM quantum WHERE run = ? AND state = 'done'")) {
                ps.setString(1, newRun);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1) == 2 * quanta;
                }
            } catch (Exception e) {
                return false;
            }
        });
        JsonNode chained = TestServers.getJson("/butler/collections?glob=" + TestServers.enc("DECam/processing/"
                + cluster + "/step1"));
        assertEquals(2, chained.get(0).path("children").size(), chained.toString());
        assertEquals(newRun, chained.get(0).path("children").get(0).asText(), "the new RUN is searched first");
        var first = TestServers.post("/butler/query-datasets", java.util.Map.of("datasetType", "postISRCCD",
                "collections", java.util.List.of("DECam/processing/" + cluster + "/step1"), "findFirst", true));
        assertEquals(quanta, first.body().size());
        first.body().forEach(d -> assertEquals(newRun, d.path("run").asText(), d.toString()));
        TestServers.waitFor("the status of the current RUN", Duration.ofSeconds(10), () -> {
            JsonNode st = TestServers.status(cluster);
            return st != null && st.path("tasks").get(0).path("done").asLong() == quanta;
        });
        // the science exposures follow 1 zero and 1 dome flat per band (g, r)
        assertEquals(java.util.Set.of((long) firstExpnum + 3, (long) firstExpnum + 4), exposures, raws.toString());

        // landing the campaign again ingests nothing new: same datasets, no new quanta, nothing quarantined
        long datasetsBefore = rows("SELECT count(*) FROM dataset WHERE cluster = ?", cluster);
        long quantaBefore = rows("SELECT count(*) FROM quantum WHERE cluster = ?", cluster);
        TestServers.Cli again = TestServers.lovoccs("land", cluster, dir.toString());
        assertEquals(0, again.code(), again.out());
        assertTrue(again.out().contains("landed"), again.out());
        TestServers.waitFor("ingestion to take the re-landed raws of " + cluster, Duration.ofSeconds(120), () ->
                TestServers.store().list(TestServers.LANDING, cluster + "/").isEmpty());
        Thread.sleep(3000);
        assertEquals(datasetsBefore, rows("SELECT count(*) FROM dataset WHERE cluster = ?", cluster),
                "no dataset added by landing the same raws twice");
        assertEquals(quantaBefore, rows("SELECT count(*) FROM quantum WHERE cluster = ?", cluster),
                "no quantum planned by landing the same raws twice");
        assertEquals(0, rows("SELECT count(*) FROM quarantine WHERE cluster = ?", cluster), "nothing quarantined");
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
