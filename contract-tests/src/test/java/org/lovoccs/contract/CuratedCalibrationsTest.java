package org.lovoccs.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * {@code ./lovoccs butler write-curated-calibrations} against the real registry and object store (issue 6, item 3):
 * the 62 CCDs' crosstalk, defects and linearizer are ingested into {@code <collection>/run} and certified into the
 * CALIBRATION collection from the begin date on; the butler finds each for one detector at a time inside the range
 * and none before it; a second run with the same collection writes nothing new; each file's checksum verifies.
 */
class CuratedCalibrationsTest {

    private static final List<String> TYPES = List.of("crosstalk", "defects", "linearizer");

    @Test
    void curatedCalibrationsAreCertifiedFromTheirBeginDateAndWrittenOnce() throws Exception {
        TestServers.requireRunning();
        String collection = "DECam/calib/curated/test" + Long.toString(System.currentTimeMillis(), 36);
        TestServers.Cli first = TestServers.lovoccs("butler", "write-curated-calibrations", "--collection", collection,
                "--begin-date", "2012-09-01");
        assertEquals(0, first.code(), first.out());
        for (String type : TYPES) {
            assertTrue(first.out().contains("certified 62 " + type + " into " + collection), first.out());
        }

        JsonNode coll = TestServers.getJson("/butler/collections?glob=" + TestServers.enc(collection));
        assertEquals("CALIBRATION", coll.get(0).path("type").asText(), coll.toString());
        JsonNode run = TestServers.getJson("/butler/collections?glob=" + TestServers.enc(collection + "/run"));
        assertEquals("RUN", run.get(0).path("type").asText(), run.toString());

        for (String type : TYPES) {
            TestServers.Answer inside = TestServers.post("/butler/query-datasets", Map.of("datasetType", type,
                    "collections", List.of(collection), "where", "instrument = 'DECam' AND detector = 28",
                    "validAt", "2022-10-01T04:00:00Z"));
            assertEquals(200, inside.status(), String.valueOf(inside.body()));
            assertEquals(1, inside.body().size(), type + " for detector 28 valid in 2022: " + inside.body());
            JsonNode d = inside.body().get(0);
            assertEquals(collection + "/run", d.path("run").asText(), d.toString());
            assertTrue(d.path("uri").asText().endsWith(type + "_DECam_28_S4.fits"), d.toString());
            assertTrue(d.path("validity").asText().contains("2012-"), d.toString());

            TestServers.Answer justAfter = TestServers.post("/butler/query-datasets", Map.of("datasetType", type,
                    "collections", List.of(collection), "where", "detector = 28", "validAt",
                    "2012-09-01T00:00:00Z"));
            assertEquals(1, justAfter.body().size(), type + " at the begin date itself: " + justAfter.body());
            TestServers.Answer before = TestServers.post("/butler/query-datasets", Map.of("datasetType", type,
                    "collections", List.of(collection), "where", "detector = 28", "validAt",
                    "2012-08-31T23:59:59Z"));
            assertEquals(200, before.status(), String.valueOf(before.body()));
            assertEquals(0, before.body().size(), type + " must not be found before 2012-09-01: " + before.body());

            TestServers.Answer all = TestServers.post("/butler/query-datasets", Map.of("datasetType", type,
                    "collections", List.of(collection), "validAt", "2022-10-01T04:00:00Z"));
            assertEquals(62, all.body().size(), type + ": one per science CCD");

            TestServers.Answer verified = TestServers.get("/butler/verify?id=" + d.path("id").asText());
            assertEquals(200, verified.status(), String.valueOf(verified.body()));
        }

        TestServers.Cli again = TestServers.lovoccs("butler", "write-curated-calibrations", "--collection", collection,
                "--begin-date", "2012-09-01");
        assertEquals(0, again.code(), again.out());
        assertTrue(again.out().contains("nothing new"), again.out());
        assertTrue(!again.out().contains("certified 62"), again.out());
        TestServers.Answer still = TestServers.post("/butler/query-datasets", Map.of("datasetType", "defects",
                "collections", List.of(collection + "/run")));
        assertEquals(62, still.body().size(), "the RUN still holds one defects dataset per CCD");

        TestServers.Cli otherSeed = TestServers.lovoccs("butler", "write-curated-calibrations", "--collection",
                collection, "--instrument-seed", "2");
        assertEquals(1, otherSeed.code(), otherSeed.out());
        assertTrue(otherSeed.out().contains("another --collection"), otherSeed.out());
    }
}
