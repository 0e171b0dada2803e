package org.lovoccs.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.lovoccs.objectstore.ObjectStore;
import org.lovoccs.simulator.CtioSite;
import org.lovoccs.simulator.ExposureSpec;
import org.lovoccs.simulator.RawExposureSimulator;

/**
 * An exposure the registry already holds, landed again, over the real services. For another cluster it is not
 * ingested and does not vanish: it is quarantined for that cluster with a reason that names the cluster holding it,
 * shown in that cluster's status; another file with the same exposure number and file name does not overwrite the raw
 * the registry's datasets point into. The same file landed again for the same cluster is taken as delivered twice:
 * removed from landing, nothing quarantined.
 */
class ExposureLandedTwiceTest {
    private static final RawExposureSimulator SIM = new RawExposureSimulator();

    @Test
    void anExposureHeldForOneClusterIsQuarantinedForAnotherAndNeverOverwritten() throws Exception {
        String stamp = Long.toString(System.currentTimeMillis(), 36).toUpperCase();
        String first = "TWA" + stamp;
        String second = "TWB" + stamp;
        for (String c : List.of(first, second)) {
            TestServers.Answer created = TestServers.post("/cluster-admin/clusters", Map.of("name", c, "ra", 10.4583,
                    "dec", -9.3031));
            assertEquals(200, created.status(), String.valueOf(created.body()));
        }
        int exposure = (int) (System.currentTimeMillis() / 1000 % 20_000_000) * 10 + 400_000_000;
        String file = "c4d_" + exposure + "_ori.fits";
        byte[] raw = SIM.toBytes(spec(first, exposure, 7201), List.of(1));
        ObjectStore store = TestServers.store();
        store.put(TestServers.LANDING, first + "/" + file, raw, "application/fits", Map.of());
        TestServers.waitFor("the raw of " + first, Duration.ofSeconds(120), () -> raws(first).size() == 1);
        JsonNode held = raws(first).get(0);

        // the same file for another cluster: quarantined there, said why
        store.put(TestServers.LANDING, second + "/" + file, raw, "application/fits", Map.of());
        JsonNode q = quarantined(second, "the same pixels");
        assertTrue(q.path("reason").asText().contains("already ingested for cluster " + first), q.toString());
        assertTrue(q.path("reason").asText().contains("./lovoccs status " + first), q.toString());
        assertEquals(0, raws(second).size(), "nothing ingested for " + second);

        // another exposure's pixels under the same number and file name: quarantined too, and the first cluster's
        // raw still reads back with its recorded checksum (the repository's file was not replaced)
        byte[] other = SIM.toBytes(spec(second, exposure, 7202), List.of(1));
        store.put(TestServers.LANDING, second + "/" + file, other, "application/fits", Map.of());
        JsonNode q2 = quarantined(second, "other pixels");
        assertTrue(q2.path("reason").asText().contains("EXPNUM clashes"), q2.toString());
        TestServers.Answer verify = TestServers.get("/butler/verify?id=" + held.path("id").asText());
        assertEquals(200, verify.status(), "the first cluster's raw is intact: " + verify.body());

        // the same file again for the cluster that holds it: delivered twice, removed from landing, not quarantined
        store.put(TestServers.LANDING, first + "/" + file, raw, "application/fits", Map.of());
        TestServers.waitFor("the second landing of " + file + " for " + first + " taken away",
                Duration.ofSeconds(60), () -> store.stat(TestServers.LANDING, first + "/" + file).isEmpty());
        JsonNode status = TestServers.status(first);
        assertEquals(0, status.path("quarantined").size(), status.toPrettyString());
        assertEquals(1, raws(first).size());
        assertEquals(held.path("checksum").asText(), raws(first).get(0).path("checksum").asText());
    }

    private static ExposureSpec spec(String cluster, int exposure, int seed) {
        return new ExposureSpec(cluster, exposure, "r",
                CtioSite.nextTransit(10.4583, Instant.parse("2022-10-01T00:00:00Z")), 90, 10.4583, -9.3031, 1.0,
                2000, 400, seed);
    }

    private static JsonNode raws(String cluster) {
        try {
            return TestServers.getJson("/clusters/" + cluster + "/datasets?datasetType=raw");
        } catch (Exception e) {
            throw new IllegalStateException("cannot list the raws of " + cluster + ": " + e, e);
        }
    }

    /** The cluster's quarantine entry for EXPOSURE_ALREADY_INGESTED once its reason holds {@code says}. */
    private static JsonNode quarantined(String cluster, String says) throws InterruptedException {
        JsonNode[] found = new JsonNode[1];
        TestServers.waitFor(cluster + "'s quarantine entry saying '" + says + "'", Duration.ofSeconds(60), () -> {
            JsonNode s = TestServers.status(cluster);
            if (s == null) {
                return false;
            }
            for (JsonNode q : s.path("quarantined")) {
                if ("EXPOSURE_ALREADY_INGESTED".equals(q.path("problem").asText())
                        && q.path("reason").asText().contains(says)) {
                    found[0] = q;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }
}
