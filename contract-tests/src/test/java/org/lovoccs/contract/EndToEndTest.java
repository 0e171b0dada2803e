package org.lovoccs.contract;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.lovoccs.events.EventCodec;
import org.lovoccs.events.Topics;
import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.isr.PostIsrCcd;
import org.lovoccs.imaging.isr.PostIsrCcdFormatter;
import org.lovoccs.objectstore.ObjectStore;
import org.lovoccs.simulator.CcdTruth;
import org.lovoccs.simulator.CtioSite;
import org.lovoccs.simulator.ExposureSpec;
import org.lovoccs.simulator.RawDamage;
import org.lovoccs.simulator.RawExposureSimulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The first real path, over the real servers: DECam raws (two exposures of two CCDs) and three bad
 * objects land in the landing bucket; the good raws become postISRCCD objects in S3 and rows in the
 * registry; the bad ones are quarantined with their reasons; the status API shows it all; every
 * message is held to its schema; one trace follows a raw from landing to postISRCCD; duplicates and
 * poison messages change nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndTest {
    static final List<Integer> CCDS = List.of(1, 2);
    static final List<String> TOPICS = List.of(Topics.RAW_LANDED, Topics.RAW_INGESTED, Topics.RAW_QUARANTINED,
            Topics.DATASET_READY, Topics.quantumReady("isr"), Topics.QUANTUM_STARTED, Topics.QUANTUM_FINISHED,
            Topics.DEAD_LETTER);

    final String cluster = "E2E" + Long.toString(System.currentTimeMillis(), 36).toUpperCase();
    final int firstExposure = (int) (System.currentTimeMillis() / 1000 % 20_000_000) * 10 + 100_000_000;
    final RawExposureSimulator sim = new RawExposureSimulator();
    final List<ExposureSpec> specs = new ArrayList<>();
    final HttpClient http = HttpClient.newHttpClient();
    ObjectStore store;
    TopicRecorder recorder;
    JsonNode status;

    @BeforeAll
    void landAndProcess() throws Exception {
        TestServers.requireRunning();
        store = TestServers.store();
        recorder = new TopicRecorder(TOPICS);
        // the postISRCCDs and icExps are written (held in the job by default): the tests below read them back
        TestServers.Answer record = TestServers.post("/cluster-admin/clusters", Map.of("name", cluster, "ra", 10.4583,
                "dec", -9.3031, "config", Map.of("orchestrator:heldInJob", "none")));
        assertEquals(200, record.status(), String.valueOf(record.body()));
        byte[] firstRaw = null;
        for (int i = 0; i < 2; i++) {
            ExposureSpec spec = new ExposureSpec(cluster, firstExposure + i, i == 0 ? "r" : "g",
                    CtioSite.nextTransit(10.4583, Instant.parse("2022-10-01T00:00:00Z")).plusSeconds(300L * i), 90, 10.4583, -9.3031, 1.0, 2000, 400,
                    7000 + i);
            specs.add(spec);
            byte[] raw = sim.toBytes(spec, CCDS);
            if (i == 0) {
                firstRaw = raw;
            }
            store.put(TestServers.LANDING, cluster + "/c4d_" + spec.expnum() + "_ori.fits", raw, "application/fits",
                    Map.of());
        }
        store.put(TestServers.LANDING, cluster + "/notes.fits", RawDamage.notFits(), "application/octet-stream",
                Map.of());
        store.put(TestServers.LANDING, cluster + "/truncated.fits", RawDamage.truncate(firstRaw, 0.7),
                "application/fits", Map.of());
        store.put(TestServers.LANDING, cluster + "/no_gain.fits", RawDamage.withoutKeyword(firstRaw, 2, "GAINA"),
                "application/fits", Map.of());
        waitFor("4 isr and 4 characterizeImage quanta finished and 3 raws quarantined", Duration.ofSeconds(240), () -> {
            status = statusJson();
            if (status == null) {
                return false;
            }
            long done = 0;
            for (JsonNode t : status.path("tasks")) {
                done += t.path("done").asLong() + t.path("failed").asLong();
            }
            return done >= 8 && status.path("quarantined").size() >= 3;
        });
        Thread.sleep(1500);
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (recorder != null) {
            recorder.close();
        }
    }

    @Test
    @Order(1)
    void statusShowsEveryQuantumDoneAndTheDatasetsProduced() {
        JsonNode isr = task("isr");
        assertEquals(4, isr.path("done").asLong(), status.toPrettyString());
        assertEquals(0, isr.path("failed").asLong() + isr.path("pending").asLong() + isr.path("running").asLong(),
                status.toPrettyString());
        Map<String, Long> counts = new HashMap<>();
        status.path("datasets").forEach(d -> counts.merge(d.path("datasetType").asText(), d.path("count").asLong(),
                Long::sum));
        JsonNode characterize = task("characterizeImage");
        assertEquals(4, characterize.path("done").asLong(), status.toPrettyString());
        assertEquals(0, characterize.path("failed").asLong() + characterize.path("depFail").asLong(),
                status.toPrettyString());
        assertEquals(Map.of("raw", 4L, "postISRCCD", 4L, "icExp", 4L, "icExpBackground", 4L, "icSrc", 4L), counts);
    }

    /**
     * The processCcd quantum cluster: each CCD's isr quantum went out with its characterizeImage quantum in one job,
     * and characterizeImage read the postISRCCD from the job's memory (metric inputsFromMemory), while the
     * postISRCCD was still written and recorded (above) and each quantum was recorded on its own.
     */
    @Test
    @Order(2)
    void characterizeImageRanInItsIsrQuantumsJobAndReadThePostIsrCcdFromMemory() throws Exception {
        try (Connection c = TestServers.db(); PreparedStatement ps = c.prepareStatement("SELECT task_label,"
                + " coalesce((metrics->>'inputsFromMemory')::numeric::int, -1), dispatched_with IS NOT NULL FROM quantum"
                + " WHERE cluster = ? ORDER BY task_label")) {
            ps.setString(1, cluster);
            Map<String, List<String>> byTask = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byTask.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getInt(2) + " "
                            + rs.getBoolean(3));
                }
            }
            assertEquals(List.of("1 true", "1 true", "1 true", "1 true"), byTask.get("characterizeImage"),
                    "each characterizeImage was sent in an isr quantum's job and read one input from memory: "
                            + byTask);
            assertEquals(List.of("0 false", "0 false", "0 false", "0 false"), byTask.get("isr"),
                    "each isr quantum started its job and read nothing from memory: " + byTask);
        }
    }

    /** What operators use: the quanta listing and the {@code ./lovoccs status} table, against the same servers. */
    @Test
    @Order(2)
    void quantaListingAndTheStatusTableAgree() throws Exception {
        JsonNode quanta = getJson("/clusters/" + cluster + "/quanta");
        assertEquals(8, quanta.size());
        for (JsonNode q : quanta) {
            assertEquals("done", q.path("state").asText(), q.toString());
            assertFalse(Instant.parse(q.path("finishedAt").asText()).isBefore(Instant.parse(q.path("startedAt").asText())),
                    q.toString());
            assertTrue(q.path("logUri").asText().startsWith("s3://" + TestServers.REPO + "/"), q.toString());
        }
        String root = System.getenv().getOrDefault("LOVOCCS_ROOT", "..");
        Process p = new ProcessBuilder(root + "/lovoccs", "status", cluster).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        // task, unready, pending, running, done, failed
        assertTrue(out.matches("(?s).*\\nisr\\s+0\\s+0\\s+0\\s+4\\s+0\\s.*"), out);
        assertTrue(out.matches("(?s).*\\ncharacterizeImage\\s+0\\s+0\\s+0\\s+4\\s+0\\s.*"), out);
        assertTrue(out.indexOf("\nisr ") < out.indexOf("\ncharacterizeImage "), "tasks in pipeline order: " + out);
        assertTrue(out.contains("Quanta: 8 exec_done, 0 failed, 0 dep_fail, 0 running, 0 pending, 0 unready"), out);
        assertTrue(out.matches("(?s).*\\npostISRCCD\\s+DECam/processing/" + cluster + "/step1/\\S+\\s+4\\n.*"), out);
        assertTrue(out.contains("Quarantined raws (3)"), out);
        Process unknown = new ProcessBuilder(root + "/lovoccs", "status", "NO_SUCH_" + cluster)
                .redirectErrorStream(true).start();
        String err = new String(unknown.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(unknown.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(1, unknown.exitValue(), err);
        assertTrue(err.contains("no cluster named 'NO_SUCH_" + cluster + "'") && err.contains(cluster), err);
    }

    @Test
    @Order(3)
    void badRawsAreQuarantinedWithTheirReasonsAndNothingIsLost() {
        Map<String, JsonNode> byName = new HashMap<>();
        status.path("quarantined").forEach(q -> byName.put(q.path("sourceUri").asText()
                .substring(q.path("sourceUri").asText().lastIndexOf('/') + 1), q));
        assertEquals(Set.of("notes.fits", "truncated.fits", "no_gain.fits"), byName.keySet());
        assertEquals("NOT_FITS", byName.get("notes.fits").path("problem").asText());
        assertEquals("TRUNCATED", byName.get("truncated.fits").path("problem").asText());
        assertEquals("MISSING_KEYWORD", byName.get("no_gain.fits").path("problem").asText());
        assertTrue(byName.get("no_gain.fits").path("reason").asText().contains("GAINA"), byName.toString());
        for (String name : byName.keySet()) {
            String key = "quarantine/" + cluster + "/" + name;
            assertTrue(store.stat(TestServers.LANDING, key).isPresent(), "quarantined object kept: " + key);
            String reason = new String(store.get(TestServers.LANDING, key + ".reason.txt"), StandardCharsets.UTF_8);
            assertTrue(reason.startsWith(byName.get(name).path("problem").asText()), reason);
            assertTrue(store.stat(TestServers.LANDING, cluster + "/" + name).isEmpty(), "moved out of landing");
        }
    }

    @Test
    @Order(4)
    void registryHoldsDeterministicDatasetsAndQuantaInPostgres() throws Exception {
        try (Connection c = TestServers.db();
             PreparedStatement ps = c.prepareStatement("SELECT dataset_type,"
                     + " coalesce(data_id->>'exposure', data_id->>'visit'), data_id->>'detector',"
                     + " uri, checksum FROM dataset WHERE cluster = ? ORDER BY 1, 2, 3")) {
            ps.setString(1, cluster);
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + ":" + rs.getString(2) + ":" + rs.getString(3));
                    assertTrue(rs.getString(5).matches("sha256:[0-9a-f]{64}"), "checksum recorded");
                    assertTrue(rs.getString(4).startsWith("s3://" + TestServers.REPO + "/"), rs.getString(4));
                }
            }
            List<String> expected = new ArrayList<>();
            for (String type : List.of("icExp", "icExpBackground", "icSrc", "postISRCCD", "raw")) {
                for (ExposureSpec s : specs) {
                    for (int ccd : CCDS) {
                        expected.add(type + ":" + s.expnum() + ":" + ccd);
                    }
                }
            }
            assertEquals(expected, rows);
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT task_label, count(*) FROM quantum WHERE cluster = ? AND state = 'done' GROUP BY 1")) {
                q.setString(1, cluster);
                Map<String, Integer> done = new HashMap<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        done.put(rs.getString(1), rs.getInt(2));
                    }
                }
                assertEquals(Map.of("isr", 4, "characterizeImage", 4), done);
            }
        }
    }

    /** The postISRCCD read back from S3 equals the simulator's true electrons to within the noise. */
    @Test
    @Order(5)
    void postIsrCcdInS3MatchesTheSimulatedTruth() throws Exception {
        JsonNode list = getJson("/clusters/" + cluster + "/datasets?datasetType=postISRCCD");
        assertEquals(4, list.size());
        JsonNode first = null;
        for (JsonNode d : list) {
            JsonNode id = EventCodec.JSON.readTree(d.path("dataId").asText());
            if (id.path("exposure").asLong() == specs.get(0).expnum() && id.path("detector").asInt() == 1) {
                first = d;
            }
        }
        assertNotNull(first, list.toPrettyString());
        URI uri = URI.create(first.path("uri").asText());
        byte[] fits = store.get(uri.getHost(), uri.getPath().substring(1));
        PostIsrCcd out = PostIsrCcdFormatter.read(fits);
        CcdTruth truth = sim.simulateCcd(specs.get(0), 1).truth();
        ImageF image = out.image().image();
        assertEquals(2048, image.width());
        assertEquals(4096, image.height());
        for (int amp = 0; amp < 2; amp++) {
            double sum = 0;
            long n = 0;
            for (int y = 0; y < 4096; y++) {
                for (int x = amp * 1024; x < (amp + 1) * 1024; x++) {
                    sum += image.get(x, y) - truth.noisyElectrons().get(x, y);
                    n++;
                }
            }
            double mean = sum / n;
            assertTrue(Math.abs(mean) < 0.1, "amplifier " + amp + ": mean residual " + mean + " e- (goal < 0.1 e-)");
        }
    }

    /**
     * characterizeImage through the services: the PSF model in icExp (read back from S3) has the simulated PSF's
     * width, and icSrc finds the simulated stars.
     */
    @Test
    @Order(5)
    void characterizedCcdsCarryTheSimulatedPsfAndFindTheStars() throws Exception {
        Map<String, JsonNode> byType = new HashMap<>();
        for (String type : List.of("icExp", "icSrc")) {
            for (JsonNode d : getJson("/clusters/" + cluster + "/datasets?datasetType=" + type)) {
                JsonNode id = EventCodec.JSON.readTree(d.path("dataId").asText());
                if (id.path("visit").asLong() == specs.get(0).expnum() && id.path("detector").asInt() == 1) {
                    byType.put(type, d);
                }
            }
        }
        assertEquals(Set.of("icExp", "icSrc"), byType.keySet(), "icExp and icSrc of visit " + specs.get(0).expnum()
                + " detector 1");
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("e2e-characterize");
        java.nio.file.Path icExp = dir.resolve("icExp.fits");
        java.nio.file.Path icSrc = dir.resolve("icSrc.fits");
        for (var e : Map.of(icExp, byType.get("icExp"), icSrc, byType.get("icSrc")).entrySet()) {
            URI uri = URI.create(e.getValue().path("uri").asText());
            java.nio.file.Files.write(e.getKey(), store.get(uri.getHost(), uri.getPath().substring(1)));
        }
        CcdTruth truth = sim.simulateCcd(specs.get(0), 1).truth();
        // the PSF model against the true PSF drawn as the sky renderer draws it (pixel-integrated), same estimator
        org.lovoccs.imaging.characterize.PsfModel psf = org.lovoccs.imaging.characterize.PsfModelFormatter.read(icExp);
        ImageF stamp = new ImageF(psf.size(), psf.size());
        int c = psf.size() / 2;
        int sub = 8;
        for (int y = 0; y < psf.size(); y++) {
            for (int x = 0; x < psf.size(); x++) {
                double sum = 0;
                for (int j = 0; j < sub; j++) {
                    for (int i = 0; i < sub; i++) {
                        sum += truth.psf().value(x - c - 0.5 + (i + 0.5) / sub, y - c - 0.5 + (j + 0.5) / sub);
                    }
                }
                stamp.set(x, y, (float) (sum / (sub * sub)));
            }
        }
        double trueFwhm = org.lovoccs.imaging.characterize.PsfModel.kernelFwhm(stamp);
        for (double[] p : new double[][]{{1024, 2048}, {300, 600}, {1750, 3500}}) {
            double fwhm = psf.fwhmAt(p[0], p[1]);
            assertEquals(1.0, fwhm / trueFwhm, 0.01, "PSF FWHM at " + java.util.Arrays.toString(p) + ": model "
                    + fwhm + " px, true " + trueFwhm + " px (goal within 1%)");
            double[] e = psf.ellipticityAt(p[0], p[1]);
            assertEquals(0.0, Math.hypot(e[0], e[1]), 0.003, "the simulated PSF is round; model e = "
                    + java.util.Arrays.toString(e) + " (goal within 0.003)");
        }
        // every bright true star away from the edges is found within a pixel
        var sources = org.lovoccs.imaging.characterize.SourceCatalogFormatter.read(icSrc).sources();
        int bright = 0;
        int found = 0;
        for (var star : truth.stars()) {
            double noise = Math.sqrt(star.fluxElectrons() + Math.PI * trueFwhm * trueFwhm * truth.skyElectrons());
            if (star.fluxElectrons() / noise < 50 || star.x() < 20 || star.y() < 20 || star.x() > 2028
                    || star.y() > 4076) {
                continue;
            }
            bright++;
            if (sources.stream().anyMatch(s -> Math.hypot(s.x() - star.x(), s.y() - star.y()) < 1.0)) {
                found++;
            }
        }
        assertTrue(bright > 50, "enough bright stars to judge: " + bright);
        assertTrue(found >= 0.99 * bright, found + " of " + bright + " true stars at S/N > 50 found in icSrc");
    }

    @Test
    @Order(6)
    void everyProducersRealOutputSatisfiesItsSchema() {
        Map<String, Integer> seen = new HashMap<>();
        for (ConsumerRecord<String, String> r : recorder.all()) {
            if (r.topic().equals(Topics.DEAD_LETTER) || !r.value().contains(cluster)) {
                continue;
            }
            List<String> problems = EventCodec.violations(r.topic(), parse(r.value()));
            assertEquals(List.of(), problems, r.topic() + ": " + r.value());
            seen.merge(r.topic(), 1, Integer::sum);
        }
        for (String t : TOPICS) {
            if (!t.equals(Topics.DEAD_LETTER)) {
                assertTrue(seen.getOrDefault(t, 0) > 0, "no " + t + " message of " + cluster + " seen: " + seen);
            }
        }
    }

    /** OpenTelemetry context travels in Kafka headers: landing to postISRCCD is one trace. */
    @Test
    @Order(7)
    void oneTraceFollowsARawFromLandingToPostIsrCcd() {
        String key = cluster + "%2Fc4d_" + specs.get(0).expnum() + "_ori.fits";
        ConsumerRecord<String, String> landed = recorder.on(Topics.RAW_LANDED).stream()
                .filter(r -> r.value().contains(key)).findFirst().orElseThrow();
        String trace = traceId(landed);
        assertNotNull(trace, "raw.landed carries a traceparent header");
        String expnum = "\"exposure\":" + specs.get(0).expnum();
        Set<String> quantumIds = new java.util.HashSet<>();
        recorder.on(Topics.quantumReady("isr")).stream().filter(r -> r.value().contains(expnum)
                        && parse(r.value()).path("taskLabel").asText().equals("isr"))
                .forEach(r -> quantumIds.add(parse(r.value()).path("quantumId").asText()));
        assertEquals(CCDS.size(), quantumIds.size(), "one isr quantum per detector of the exposure");
        for (String topic : List.of(Topics.RAW_INGESTED, Topics.DATASET_READY, Topics.quantumReady("isr"),
                Topics.QUANTUM_STARTED, Topics.QUANTUM_FINISHED)) {
            List<ConsumerRecord<String, String>> related = recorder.on(topic).stream()
                    .filter(r -> r.value().contains(cluster) && (r.value().contains(expnum)
                            || quantumIds.stream().anyMatch(r.value()::contains))).toList();
            assertFalse(related.isEmpty(), "no " + topic + " message for exposure " + specs.get(0).expnum());
            for (ConsumerRecord<String, String> r : related) {
                assertEquals(trace, traceId(r), topic + " message is in the landing's trace: " + r.value());
            }
        }
    }

    /** Delivering any message twice changes nothing; a poison message goes to the dead-letter topic. */
    @Test
    @Order(8)
    void duplicatesChangeNothingAndPoisonGoesToTheDeadLetterTopic() throws Exception {
        Map<String, Long> before = counts();
        // the cluster's quantum.finished messages so far; the re-runs are counted against them and what this test
        // publishes itself, not against a count taken later (the re-runs may finish while it is still republishing)
        int finishedBefore = (int) recorder.on(Topics.QUANTUM_FINISHED).stream()
                .filter(r -> r.value().contains(cluster)).count();
        int finishedPublished = 1;
        TopicRecorder.publish(Topics.RAW_INGESTED, cluster, "this is not JSON {");
        TopicRecorder.publish(Topics.QUANTUM_FINISHED, cluster, "{\"quantumId\":\"nope\",\"cluster\":\"" + cluster + "\"}");
        for (String topic : List.of(Topics.RAW_INGESTED, Topics.DATASET_READY, Topics.quantumReady("isr"),
                Topics.QUANTUM_STARTED, Topics.QUANTUM_FINISHED, Topics.RAW_QUARANTINED)) {
            for (ConsumerRecord<String, String> r : recorder.on(topic)) {
                if (r.value().contains(cluster)) {
                    TopicRecorder.republish(r);
                    if (topic.equals(Topics.QUANTUM_FINISHED)) {
                        finishedPublished++;
                    }
                }
            }
        }
        waitFor("the two poison messages on " + Topics.DEAD_LETTER, Duration.ofSeconds(60), () ->
                recorder.on(Topics.DEAD_LETTER).stream().filter(r -> r.value().contains("not JSON")
                        || r.value().contains("\"nope\"")).count() >= 2);
        for (ConsumerRecord<String, String> dl : recorder.on(Topics.DEAD_LETTER)) {
            if (dl.value().contains("not JSON") || dl.value().contains("\"nope\"")) {
                Header reason = dl.headers().lastHeader("dead-letter-reason");
                assertNotNull(reason, "the dead letter carries its error");
                assertTrue(new String(reason.value(), StandardCharsets.UTF_8).contains("invalid"),
                        new String(reason.value(), StandardCharsets.UTF_8));
            }
        }
        // wait until isr has re-done its 4 jobs (isr and characterizeImage each), then compare
        int expected = finishedBefore + finishedPublished + 8;
        waitFor("the isr service to re-run the duplicated isr and characterizeImage quanta", Duration.ofSeconds(180),
                () -> recorder.on(Topics.QUANTUM_FINISHED).stream().filter(r -> r.value().contains(cluster)).count()
                        >= expected);
        Thread.sleep(3000);
        assertEquals(before, counts(), "registry rows and emitted events after duplicate delivery");
        JsonNode after = statusJson();
        assertEquals(4, after.path("tasks").get(0).path("done").asLong(), after.toPrettyString());
        assertEquals(3, after.path("quarantined").size());
    }

    private Map<String, Long> counts() throws Exception {
        Map<String, Long> m = new HashMap<>();
        try (Connection c = TestServers.db()) {
            for (String table : List.of("dataset", "quantum", "quarantine")) {
                try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table + " WHERE cluster = ?")) {
                    ps.setString(1, cluster);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        m.put(table, rs.getLong(1));
                    }
                }
            }
            // every event the registry emits (dataset.ready, quantum.ready.*) is an outbox row
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM outbox WHERE payload LIKE ?")) {
                ps.setString(1, "%\"cluster\":\"" + cluster + "\"%");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    m.put("outbox", rs.getLong(1));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM quantum WHERE cluster = ? AND state = 'done'")) {
                ps.setString(1, cluster);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    m.put("done", rs.getLong(1));
                }
            }
        }
        return m;
    }

    private static String traceId(ConsumerRecord<String, String> r) {
        Header h = r.headers().lastHeader("traceparent");
        if (h == null) {
            return null;
        }
        String[] parts = new String(h.value(), StandardCharsets.UTF_8).split("-");
        return parts.length == 4 ? parts[1] : null;
    }

    private JsonNode task(String label) {
        for (JsonNode t : status.path("tasks")) {
            if (t.path("task").asText().equals(label)) {
                return t;
            }
        }
        return fail("no task " + label + " in " + status.toPrettyString());
    }

    private JsonNode statusJson() {
        return TestServers.status(cluster);
    }

    private JsonNode getJson(String path) throws Exception {
        return TestServers.getJson(path);
    }

    private static JsonNode parse(String s) {
        try {
            return EventCodec.JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }

    private static void waitFor(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        TestServers.waitFor(what, timeout, condition);
    }
}
