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
 * The registry's HTML status page, rendered by a real browser: one raw of two CCDs lands and is processed
 * by the running services; headless Chromium (Debian's chromium package) loads
 * {@code /clusters/<name>/page}, lets its scripts fetch the JSON endpoints, and dumps the DOM. The counts
 * the page shows must equal the JSON status, and the isr node of the pipeline graph must be coloured done.
 * A missing Chromium fails with the apt-get command, unless {@code -Dlovoccs.allowMissingPeers=true} turns
 * that into a skip.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusPageTest {
    static final List<Integer> CCDS = List.of(1, 2);
    static final String DONE_COLOUR = "#2e7d32";

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
                2000, 40, 7100);
        TestServers.store().put(TestServers.LANDING, cluster + "/c4d_" + spec.expnum() + "_ori.fits",
                new RawExposureSimulator().toBytes(spec, CCDS), "application/fits", Map.of());
        TestServers.waitFor("2 isr quanta of " + cluster + " finished", Duration.ofSeconds(240), () -> {
            status = TestServers.status(cluster);
            if (status == null) {
                return false;
            }
            long finished = 0;
            for (JsonNode t : status.path("tasks")) {
                finished += t.path("done").asLong() + t.path("failed").asLong();
            }
            return finished >= CCDS.size();
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

        long done = 0;
        long failed = 0;
        for (JsonNode t : status.path("tasks")) {
            done += t.path("done").asLong();
            failed += t.path("failed").asLong();
        }
        assertEquals(2, done, context);
        assertEquals(0, failed, context);
        assertEquals(String.valueOf(done), first(tags, t -> "sum-exec_done".equals(t.attr("id")), "#sum-exec_done",
                dom).attr("data-count"), dom);
        assertEquals(String.valueOf(failed), first(tags, t -> "sum-failed".equals(t.attr("id")), "#sum-failed", dom)
                .attr("data-count"), dom);
        assertEquals("0", first(tags, t -> "sum-dep_fail".equals(t.attr("id")), "#sum-dep_fail", dom)
                .attr("data-count"), dom);

        Tag row = first(tags, t -> t.name.equals("tr") && "isr".equals(t.attr("data-task"))
                && t.attr("data-done") != null, "the isr row of the task table", dom);
        JsonNode isr = null;
        for (JsonNode t : status.path("tasks")) {
            if (t.path("task").asText().equals("isr")) {
                isr = t;
            }
        }
        assertTrue(isr != null, context);
        assertEquals(isr.path("done").asText(), row.attr("data-done"), dom);
        assertEquals(isr.path("failed").asText(), row.attr("data-failed"), dom);
        assertEquals(isr.path("pending").asText(), row.attr("data-pending"), dom);
        assertEquals(isr.path("running").asText(), row.attr("data-running"), dom);

        int at = index(tags, t -> t.name.equals("g") && "isr".equals(t.attr("data-task-node")), "isr graph node", dom);
        assertEquals("done", tags.get(at).attr("data-state"), dom);
        Tag rect = tags.get(at + 1);
        assertEquals("rect", rect.name, dom);
        assertEquals(DONE_COLOUR, rect.attr("fill"), "the isr node is coloured done: " + dom);
        for (JsonNode n : graph.path("tasks")) {
            if (n.path("label").asText().equals("isr")) {
                assertEquals("done", n.path("state").asText(), graph.toPrettyString());
            }
        }

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
