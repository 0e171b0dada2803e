package org.lovoccs.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.lovoccs.objectstore.ObjectStore;

/**
 * The butler over the real registry, PostgreSQL and S3: ingest with --transfer direct and copy (checksums recorded
 * and verified on read), CHAINED search order and find-first, CALIBRATION certification with the database refusing
 * overlaps and lookups by time, TAGGED collections, the where language with its errors and injection attempts,
 * remove-runs, and the CLI verbs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ButlerRegistryTest {

    static final String EXTERNAL = "lovoccs-external";
    final String p = "BT" + Long.toString(System.currentTimeMillis(), 36).toUpperCase();
    final String runA = p + "/calib/bias/runA";
    final String runB = p + "/calib/bias/runB";
    final String runCopy = p + "/calib/bias/copied";
    ObjectStore store;

    @BeforeAll
    void files() throws Exception {
        TestServers.requireRunning();
        store = TestServers.store();
        store.ensureBucket(EXTERNAL);
        for (String run : List.of("A", "B")) {
            for (int det = 1; det <= 4; det++) {
                store.put(EXTERNAL, p + "/" + run + "/bias_" + det + ".fits",
                        ("bias " + run + " " + det).getBytes(StandardCharsets.UTF_8), "application/fits", Map.of());
            }
        }
    }

    private JsonNode ok(TestServers.Answer a) {
        assertEquals(200, a.status(), a.body() == null ? "" : a.body().toPrettyString());
        return a.body();
    }

    private List<Map<String, Object>> files(String run) {
        List<Map<String, Object>> files = new ArrayList<>();
        for (int det = 1; det <= 4; det++) {
            files.add(Map.of("uri", "s3://" + EXTERNAL + "/" + p + "/" + run + "/bias_" + det + ".fits",
                    "dataId", Map.of("instrument", "DECam", "detector", det)));
        }
        return files;
    }

    private JsonNode query(String type, List<String> collections, String where, boolean findFirst, String validAt)
            throws Exception {
        Map<String, Object> body = new HashMap<>();
        body.put("datasetType", type);
        body.put("collections", collections);
        body.put("where", where);
        body.put("findFirst", findFirst);
        body.put("validAt", validAt);
        return ok(TestServers.post("/butler/query-datasets", body));
    }

    @Test
    @Order(1)
    void ingestDirectAndCopyRecordChecksumsAndAreIdempotent() throws Exception {
        JsonNode a = ok(TestServers.post("/butler/ingest-files", Map.of("datasetType", "bias", "run", runA,
                "transfer", "direct", "files", files("A"))));
        assertEquals(4, a.path("inserted").asInt());
        JsonNode again = ok(TestServers.post("/butler/ingest-files", Map.of("datasetType", "bias", "run", runA,
                "transfer", "direct", "files", files("A"))));
        assertEquals(0, again.path("inserted").asInt(), "a second ingest inserts nothing");
        assertEquals(4, again.path("alreadyPresent").asInt());
        assertEquals(a.path("ids"), again.path("ids"), "deterministic dataset IDs");
        ok(TestServers.post("/butler/ingest-files", Map.of("datasetType", "bias", "run", runB, "transfer", "direct",
                "files", files("B"))));
        JsonNode c = ok(TestServers.post("/butler/ingest-files", Map.of("datasetType", "bias", "run", runCopy,
                "transfer", "copy", "files", files("A"))));
        JsonNode copied = query("bias", List.of(runCopy), null, false, null);
        assertEquals(4, copied.size());
        for (JsonNode d : copied) {
            assertTrue(d.path("uri").asText().startsWith("s3://" + TestServers.REPO + "/" + runCopy + "/bias/"),
                    "copied into the repository layout: " + d);
            assertTrue(d.path("checksum").asText().startsWith("sha256:"), d.toString());
            assertEquals(200, TestServers.get("/butler/verify?id=" + d.path("id").asText()).status());
        }
        assertEquals(4, c.path("ids").size());
        // a file changed after a direct ingest is caught on read
        String victim = a.path("ids").get(0).asText();
        assertEquals(200, TestServers.get("/butler/verify?id=" + victim).status());
        store.put(EXTERNAL, p + "/A/bias_1.fits", "tampered".getBytes(StandardCharsets.UTF_8), "application/fits",
                Map.of());
        TestServers.Answer bad = TestServers.get("/butler/verify?id=" + victim);
        assertEquals(409, bad.status(), String.valueOf(bad.body()));
        assertTrue(bad.body().path("error").asText().contains("checksum mismatch"), bad.body().toString());
        // the copy is unaffected
        assertEquals(200, TestServers.get("/butler/verify?id=" + c.path("ids").get(0).asText()).status());
        // bad input: unknown type, missing dimension, missing object
        TestServers.Answer unknown = TestServers.post("/butler/ingest-files", Map.of("datasetType", "biass", "run",
                runA, "files", files("A")));
        assertEquals(404, unknown.status());
        assertTrue(unknown.body().path("error").asText().contains("bias"), unknown.body().toString());
        TestServers.Answer missing = TestServers.post("/butler/ingest-files", Map.of("datasetType", "flat", "run",
                runA, "files", files("A")));
        assertEquals(400, missing.status());
        assertTrue(missing.body().path("error").asText().contains("physical_filter"), missing.body().toString());
    }

    @Test
    @Order(2)
    void chainedSearchFindsTheFirstMatchInOrder() throws Exception {
        String chain = p + "/calib/bias";
        ok(TestServers.post("/butler/collection-chain", Map.of("parent", chain, "children", List.of(runB, runA),
                "mode", "redefine")));
        JsonNode first = query("bias", List.of(chain), "detector = 2", true, null);
        assertEquals(1, first.size(), first.toPrettyString());
        assertEquals(runB, first.get(0).path("run").asText(), "B comes first in the chain");
        JsonNode all = query("bias", List.of(chain), "detector = 2", false, null);
        assertEquals(2, all.size(), "without find-first both runs answer");
        ok(TestServers.post("/butler/collection-chain", Map.of("parent", chain, "children", List.of(runA),
                "mode", "prepend")));
        JsonNode chained = ok(TestServers.get("/butler/collections?glob=" + TestServers.enc(chain)));
        assertEquals(List.of(runA, runB), List.of(chained.get(0).path("children").get(0).asText(),
                chained.get(0).path("children").get(1).asText()));
        assertEquals(runA, query("bias", List.of(chain), "detector = 2", true, null).get(0).path("run").asText());
        // nested: an outer chain holding the inner one behind B
        String outer = p + "/everything";
        ok(TestServers.post("/butler/collection-chain", Map.of("parent", outer, "children", List.of(runB, chain))));
        JsonNode nested = query("bias", List.of(outer), "detector IN (1..4)", true, null);
        assertEquals(4, nested.size());
        nested.forEach(d -> assertEquals(runB, d.path("run").asText()));
        // a cycle is refused
        TestServers.Answer cycle = TestServers.post("/butler/collection-chain", Map.of("parent", chain,
                "children", List.of(outer), "mode", "extend"));
        assertEquals(400, cycle.status());
        assertTrue(cycle.body().path("error").asText().contains("cycle"), cycle.body().toString());
    }

    @Test
    @Order(3)
    void calibrationCollectionsRefuseOverlapsAndAnswerByTime() throws Exception {
        String calib = p + "/calib";
        JsonNode c1 = ok(TestServers.post("/butler/certify-calibrations", Map.of("run", runA, "collection", calib,
                "datasetType", "bias", "beginDate", "2022-01-01", "endDate", "2022-06-01")));
        assertEquals(4, c1.path("datasets").asInt());
        TestServers.Answer overlap = TestServers.post("/butler/certify-calibrations", Map.of("run", runB,
                "collection", calib, "datasetType", "bias", "beginDate", "2022-05-01", "endDate", "2022-12-01"));
        assertEquals(409, overlap.status(), String.valueOf(overlap.body()));
        String msg = overlap.body().path("error").asText();
        assertTrue(msg.contains("overlaps an existing certification") && msg.contains("2022-05-01"), msg);
        // nothing of the refused certification was kept
        assertEquals(4, query("bias", List.of(calib), null, false, null).size());
        ok(TestServers.post("/butler/certify-calibrations", Map.of("run", runB, "collection", calib,
                "datasetType", "bias", "beginDate", "2022-06-01", "endDate", "2022-12-01")));
        JsonNode march = query("bias", List.of(calib), "detector = 3", true, "2022-03-01T12:00:00Z");
        assertEquals(1, march.size());
        assertEquals(runA, march.get(0).path("run").asText());
        JsonNode july = query("bias", List.of(calib), "detector = 3", true, "2022-07-01T00:00:00Z");
        assertEquals(runB, july.get(0).path("run").asText());
        assertEquals(0, query("bias", List.of(calib), "detector = 3", true, "2023-01-01T00:00:00Z").size(),
                "nothing is valid outside the certified ranges");
        assertEquals(0, query("bias", List.of(calib), "detector = 3", true, "2021-12-31T23:59:59Z").size());
        // the database enforces it, whatever the client: a direct INSERT of an overlapping range fails
        try (Connection db = TestServers.db()) {
            var st = db.createStatement();
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class, () ->
                    st.executeUpdate("INSERT INTO calib_dataset (collection, dataset_id, dataset_type, data_id,"
                            + " validity) SELECT collection, dataset_id, dataset_type, data_id,"
                            + " tstzrange('2022-02-01', '2022-02-02') FROM calib_dataset WHERE collection = '"
                            + calib + "' LIMIT 1"));
            assertTrue(e.getMessage().contains("calib_no_overlap"), e.getMessage());
        }
    }

    @Test
    @Order(4)
    void whereLanguageErrorsPointAtTheMistakeAndInjectionIsData() throws Exception {
        Map<String, String> errors = new LinkedHashMap<>();
        errors.put("detektor = 2", "did you mean 'detector'");
        errors.put("detector = 'two'", "detector");
        errors.put("detector = 1 AND", "column");
        errors.put("exposure.day_obz > 20221001", "day_obs");
        errors.put("detector IN (1..)", "column");
        errors.put("detector; DROP TABLE dataset", "column");
        for (var e : errors.entrySet()) {
            Map<String, Object> body = new HashMap<>();
            body.put("datasetType", "bias");
            body.put("collections", List.of(runA));
            body.put("where", e.getKey());
            TestServers.Answer a = TestServers.post("/butler/query-datasets", body);
            assertEquals(400, a.status(), e.getKey() + " -> " + a.body());
            assertTrue(a.body().path("error").asText().contains(e.getValue()), e.getKey() + " -> " + a.body());
        }
        for (String injection : List.of("instrument = 'x'' OR 1=1 --'", "instrument = '; DROP TABLE dataset; --'",
                "instrument = 'DECam'' OR ''1''=''1'")) {
            assertEquals(0, query("bias", List.of(runA), injection, false, null).size(), injection);
        }
        try (Connection db = TestServers.db(); ResultSet rs = db.createStatement().executeQuery(
                "SELECT count(*) FROM dataset WHERE run = '" + runA + "'")) {
            rs.next();
            assertEquals(4, rs.getInt(1), "the tables are intact");
        }
        // the where language's forms, over the real tables
        assertEquals(4, query("bias", List.of(runA), "instrument = 'DECam' AND detector IN (1..4)", false, null)
                .size());
        assertEquals(2, query("bias", List.of(runA), "detector IN (1..4:2)", false, null).size());
        assertEquals(3, query("bias", List.of(runA), "NOT (detector = 2) AND (detector < 10 OR detector > 60)",
                false, null).size());
        Map<String, Object> bound = new HashMap<>();
        bound.put("datasetType", "bias");
        bound.put("collections", List.of(runA));
        bound.put("where", "detector IN (dets)");
        bound.put("bind", Map.of("dets", List.of(1, 3)));
        assertEquals(2, ok(TestServers.post("/butler/query-datasets", bound)).size());
    }

    @Test
    @Order(5)
    void taggedCollectionsHoldOneDatasetPerDataId() throws Exception {
        String tagged = p + "/best";
        String a2 = query("bias", List.of(runA), "detector = 2", false, null).get(0).path("id").asText();
        String b2 = query("bias", List.of(runB), "detector = 2", false, null).get(0).path("id").asText();
        assertEquals(1, ok(TestServers.post("/butler/associate", Map.of("collection", tagged, "ids", List.of(a2))))
                .path("associated").asInt());
        TestServers.Answer dup = TestServers.post("/butler/associate", Map.of("collection", tagged, "ids",
                List.of(b2)));
        assertEquals(409, dup.status(), String.valueOf(dup.body()));
        JsonNode found = query("bias", List.of(tagged), null, false, null);
        assertEquals(1, found.size());
        assertEquals(runA, found.get(0).path("run").asText());
    }

    @Test
    @Order(6)
    void cliVerbsAndRemoveRuns() throws Exception {
        String out = run("butler", "query-collections", p + "*", "--collection-type", "CHAINED");
        assertTrue(out.contains(p + "/calib/bias") && out.contains("CHAINED"), out);
        out = run("butler", "query-datasets", "bias", "--collections", p + "/calib/bias",
                "--where", "detector >= 3", "--find-first");
        assertTrue(out.contains("2 datasets"), out);
        out = run("butler", "remove-runs", runCopy, "--no-confirm");
        assertTrue(out.contains("removed 1 RUN collections and 4 datasets"), out);
        assertEquals(404, TestServers.post("/butler/query-datasets", Map.of("datasetType", "bias", "collections",
                List.of(runCopy))).status(), "the run is gone");
    }

    @Test
    @Order(7)
    void exportedSubsetImportsBackIdempotently() throws Exception {
        Map<String, Object> req = new HashMap<>();
        req.put("datasetType", "bias");
        req.put("collections", List.of(runB));
        req.put("where", "detector <= 3");
        JsonNode doc = ok(TestServers.post("/butler/export", req));
        assertEquals(3, doc.path("datasets").size());
        List<String> ids = new ArrayList<>();
        doc.path("datasets").forEach(d -> ids.add(d.path("id").asText()));
        ok(TestServers.post("/butler/remove-runs", Map.of("glob", runB, "dryRun", false)));
        assertEquals(404, TestServers.post("/butler/query-datasets", Map.of("datasetType", "bias", "collections",
                List.of(runB))).status());
        JsonNode imported = ok(TestServers.post("/butler/import", doc));
        assertEquals(3, imported.path("datasets").asInt());
        JsonNode back = query("bias", List.of(runB), null, false, null);
        List<String> backIds = new ArrayList<>();
        back.forEach(d -> backIds.add(d.path("id").asText()));
        assertEquals(new TreeSet<>(ids), new TreeSet<>(backIds), "the same dataset IDs come back");
        assertEquals(0, ok(TestServers.post("/butler/import", doc)).path("datasets").asInt(), "import is idempotent");
        back.forEach(d -> {
            try {
                assertEquals(200, TestServers.get("/butler/verify?id=" + d.path("id").asText()).status());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    @Order(8)
    void dimensionRecordsDataIdsAndDatasetTypesThroughTheCli() throws Exception {
        String out = run("butler", "query-dimension-records", "detector", "--where", "detector IN (28, 35)");
        assertTrue(out.contains("S4") && out.contains("N4") && !out.contains("S29"), out);
        JsonNode ids = ok(TestServers.post("/butler/query-data-ids", Map.of("dimensions", List.of("detector"),
                "datasets", "bias", "collections", List.of(runA), "where", "detector >= 2")));
        assertEquals(3, ids.size(), ids.toString());
        out = run("butler", "query-data-ids", "--dimensions", "instrument,detector", "--datasets", "bias",
                "--collections", runA);
        assertTrue(out.contains("DECam") && out.lines().filter(l -> l.startsWith("DECam")).count() == 4, out);
        String type = p.toLowerCase() + "Probe";
        assertTrue(run("butler", "register-dataset-type", type, "ExposureF", "instrument", "detector")
                .contains(type + ": registered"));
        assertTrue(run("butler", "register-dataset-type", type, "ExposureF", "instrument", "detector")
                .contains("already registered"));
        TestServers.Cli changed = TestServers.lovoccs("butler", "register-dataset-type", type, "ExposureF",
                "instrument");
        assertEquals(1, changed.code(), changed.out());
        assertTrue(changed.out().contains("cannot change"), changed.out());
    }

    private static String run(String... args) throws Exception {
        TestServers.Cli r = TestServers.lovoccs(args);
        assertEquals(0, r.code(), String.join(" ", args) + "\n" + r.out());
        return r.out();
    }
}
