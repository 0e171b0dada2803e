package org.lovoccs.contract;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.lovoccs.simulator.CtioSite;
import org.lovoccs.simulator.ExposureSpec;
import org.lovoccs.simulator.RawExposureSimulator;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The registry's HTML status page, rendered by a real browser: one raw of two CCDs lands and is processed by the
 * running services (isr then characterizeImage, 4 quanta done), and a third CCD is announced whose file is not in
 * the store, so its isr quantum fails after its retries and its characterizeImage quantum is dep_fail. Headless
 * Chromium (Debian's chromium package) loads {@code /clusters/<name>/page}, lets its scripts fetch the JSON
 * endpoints, and dumps the DOM. The counts the page shows (the seed's exec_done, failed, dep_fail summary, and per
 * task) must equal the JSON status, and each node of the pipeline graph must carry its state's colour.
 * A missing Chromium fails with the apt-get command, unless {@code -Dlovoccs.allowMissingPeers=true} turns
 * that into a skip.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusPageTest {
    static final List<Integer> CCDS = List.of(1, 2);
    static final String FAILED_COLOUR = "#c62828";

    final String cluster = "PAGE" + Long.toString(System.currentTimeMillis(), 36).toUpperCase();
    final int exposure = (int) (System.currentTimeMillis() / 1000 % 20_000_000) * 10 + 300_000_000;

    @TempDir
    Path dir;
    Path chromium;
    JsonNode status;

    @BeforeAll
    void landAndProcess() throws Exception {
        chromium = findChromium();
        if (Boolean.getBoolean("lovoccs.allowMissingPeers")) {
            assumeTrue(chromium != null, "chromium not installed");
        } else if (chromium == null) {
            fail("headless Chromium is not installed (neither chromium nor chromium-browser is on the PATH):"
                    + " apt-get install -y chromium (contract-tests/install-test-tools.sh does this), or run with"
                    + " -Dlovoccs.allowMissingPeers=true to skip the status page test");
        }
        TestServers.requireRunning();
        ExposureSpec spec = new ExposureSpec(cluster, exposure, "r",
                CtioSite.nextTransit(10.4583, Instant.parse("2022-10-01T00:00:00Z")), 90, 10.4583, -9.3031, 1.0,
                2000, 400, 7100);
        byte[] raw = new RawExposureSimulator().toBytes(spec, CCDS);
        TestServers.store().put(TestServers.LANDING, cluster + "/c4d_" + spec.expnum() + "_ori.fits", raw,
                "application/fits", Map.of());
        // a CCD announced ready whose bytes are not in the store: its isr quantum fails, its dependant is dep_fail
        org.lovoccs.events.DataId missing = org.lovoccs.events.DataId.of(Map.of("instrument", "DECam", "exposure",
                (long) exposure, "detector", 3L));
        org.lovoccs.events.DatasetRef ref = new org.lovoccs.events.DatasetRef(org.lovoccs.events.DatasetIds
                .deterministic(org.lovoccs.events.DatasetType.RAW, "DECam/raw/all", missing), "raw", "DECam/raw/all",
                missing, new org.lovoccs.events.StorageLocation("s3://" + TestServers.REPO + "/page-test/" + cluster
                + "/never-written.fits", 2880L, 2880L, "sha256:" + "0".repeat(64)));
        try (var db = TestServers.db(); var ps = db.prepareStatement(
                "INSERT INTO outbox (topic, msg_key, payload) VALUES (?, ?, ?)")) {
            ps.setString(1, org.lovoccs.events.Topics.DATASET_READY);
            ps.setString(2, ref.id().toString());
            ps.setString(3, org.lovoccs.events.EventCodec.encode(org.lovoccs.events.Topics.DATASET_READY,
                    new org.lovoccs.events.DatasetReady(cluster, ref, "status-page-test", Instant.now())));
            ps.executeUpdate();
        }
        TestServers.waitFor("4 quanta of " + cluster + " done, 1 failed and 1 dep_fail", Duration.ofSeconds(240),
                () -> {
                    status = TestServers.status(cluster);
                    if (status == null) {
                        return false;
                    }
                    long done = 0;
                    long failed = 0;
                    long depFail = 0;
                    for (JsonNode t : status.path("tasks")) {
                        done += t.path("done").asLong();
                        failed += t.path("failed").asLong();
                        depFail += t.path("depFail").asLong();
                    }
                    return done == 2L * CCDS.size() && failed == 1 && depFail == 1;
                });
    }

    @Test
    void theRenderedPageShowsTheStatusCountsAndColoursTheDoneTaskGreen() throws Exception {
        String dom = dumpDom(TestServers.REGISTRY + "/clusters/" + TestServers.enc(cluster) + "/page");
        status = TestServers.getJson("/clusters/" + TestServers.enc(cluster) + "/status");
        JsonNode graph = TestServers.getJson("/clusters/" + TestServers.enc(cluster) + "/graph");
        List<Tag> tags = tags(dom);
        String context = status.toPrettyString() + "\n" + dom;

        Tag body = first(tags, t -> t.name.equals("body"), "body", dom);
        assertEquals("true", body.attr("data-loaded"), "the page's scripts loaded the JSON: " + context);

        // the seed's end-of-run summary
        Map<String, Long> sums = new LinkedHashMap<>();
        for (String k : List.of("done", "failed", "depFail", "running", "pending", "unready")) {
            long n = 0;
            for (JsonNode t : status.path("tasks")) {
                n += t.path(k).asLong();
            }
            sums.put(k, n);
        }
        assertEquals(Map.of("done", 4L, "failed", 1L, "depFail", 1L, "running", 0L, "pending", 0L, "unready", 0L),
                sums, context);
        for (var e : Map.of("sum-exec_done", "done", "sum-failed", "failed", "sum-dep_fail", "depFail",
                "sum-running", "running", "sum-pending", "pending", "sum-unready", "unready").entrySet()) {
            assertEquals(String.valueOf(sums.get(e.getValue())), first(tags, t -> e.getKey().equals(t.attr("id")),
                    "#" + e.getKey(), dom).attr("data-count"), e.getKey() + ": " + dom);
        }
        // per task, the table row and the graph node agree with the JSON
        for (JsonNode task : status.path("tasks")) {
            String label = task.path("task").asText();
            Tag row = first(tags, t -> t.name.equals("tr") && label.equals(t.attr("data-task"))
                    && t.attr("data-done") != null, "the " + label + " row of the task table", dom);
            for (String k : List.of("done", "failed", "pending", "running", "unready")) {
                assertEquals(task.path(k).asText(), row.attr("data-" + k), label + " " + k + ": " + dom);
            }
            assertEquals(task.path("depFail").asText(), row.attr("data-dep-fail"), label + " dep_fail: " + dom);
            String state = null;
            for (JsonNode n : graph.path("tasks")) {
                if (n.path("label").asText().equals(label)) {
                    state = n.path("state").asText();
                }
            }
            assertEquals("failed", state, label + " has a failed or dep_fail quantum: " + graph.toPrettyString());
            int at = index(tags, t -> t.name.equals("g") && label.equals(t.attr("data-task-node")),
                    label + " graph node", dom);
            assertEquals(state, tags.get(at).attr("data-state"), dom);
            Tag rect = tags.get(at + 1);
            assertEquals("rect", rect.name, dom);
            assertEquals(FAILED_COLOUR, rect.attr("fill"), "the " + label + " node is coloured failed: " + dom);
        }
        // the failed quantum is listed with its error and log
        Tag failedRow = first(tags, t -> t.name.equals("tr") && "isr".equals(t.attr("data-task"))
                && t.attr("data-quantum") != null, "the failed isr quantum's row", dom);
        assertTrue(dom.contains("never-written.fits"), "the error names the missing file: " + dom);
        assertTrue(failedRow.attr("data-quantum").matches("[0-9a-f-]{36}"), dom);

        Tag output = first(tags, t -> "postISRCCD".equals(t.attr("data-dataset-type-node")),
                "postISRCCD graph node", dom);
        assertEquals(String.valueOf(CCDS.size()), output.attr("data-count"), dom);
        long shownPerRun = tags.stream().filter(t -> t.name.equals("tr")
                && "postISRCCD".equals(t.attr("data-dataset-type"))).mapToLong(t -> Long.parseLong(t.attr("data-count")))
                .sum();
        assertEquals(CCDS.size(), shownPerRun, "postISRCCD datasets per RUN: " + dom);
    }

    /** Runs headless Chromium on {@code url}, its scripts given 10 s of virtual time; returns the DOM it dumps. */
    private String dumpDom(String url) throws Exception {
        Path out = dir.resolve("dom.html");
        Path err = dir.resolve("chromium.err");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--disable-gpu", "--no-sandbox",
                "--user-data-dir=" + dir.resolve("profile"), "--virtual-time-budget=10000", "--dump-dom", url)
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish within 120 s: " + Files.readString(err));
        }
        String dom = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(err));
        assertTrue(dom.contains("</html>"), "chromium dumped no DOM: " + Files.readString(err));
        return dom;
    }

    private static Path findChromium() {
        for (String name : List.of("chromium", "chromium-browser")) {
            for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
                Path p = Path.of(d, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    /** A start tag of the dumped DOM with its attributes (Chromium serializes them double-quoted, escaped). */
    record Tag(String name, Map<String, String> attrs) {
        String attr(String key) {
            return attrs.get(key);
        }
    }

    private static final Pattern START_TAG = Pattern.compile("<([a-zA-Z][a-zA-Z0-9]*)((?:\\s+[^\\s=>/]+(?:=\"[^\"]*\")?)*)\\s*/?>");
    private static final Pattern ATTRIBUTE = Pattern.compile("([^\\s=>/]+)(?:=\"([^\"]*)\")?");

    static List<Tag> tags(String html) {
        List<Tag> tags = new ArrayList<>();
        Matcher m = START_TAG.matcher(html);
        while (m.find()) {
            Map<String, String> attrs = new LinkedHashMap<>();
            Matcher a = ATTRIBUTE.matcher(m.group(2));
            while (a.find()) {
                attrs.put(a.group(1), a.group(2) == null ? "" : unescape(a.group(2)));
            }
            tags.add(new Tag(m.group(1).toLowerCase(), attrs));
        }
        return tags;
    }

    private static String unescape(String s) {
        return s.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", "\u00a0")
                .replace("&amp;", "&");
    }

    private static int index(List<Tag> tags, Predicate<Tag> which, String what, String dom) {
        for (int i = 0; i < tags.size(); i++) {
            if (which.test(tags.get(i))) {
                return i;
            }
        }
        return fail("the page shows no " + what + ": " + dom);
    }

    private static Tag first(List<Tag> tags, Predicate<Tag> which, String what, String dom) {
        return tags.get(index(tags, which, what, dom));
    }
}
