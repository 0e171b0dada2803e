package org.lovoccs.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Clusters as records through the CLI and the registry: create, show, declare complete, list; bad arguments. */
class ClusterRecordTest {

    @Test
    void clusterIsCreatedDeclaredCompleteAndListed() throws Exception {
        TestServers.requireRunning();
        String name = "CR" + Long.toString(System.currentTimeMillis(), 36).toUpperCase();
        String out = lovoccs(0, "cluster", "create", name, "--ra", "227.7337", "--dec", "5.7448", "--z", "0.0773",
                "--bands", "g:ps1,r:ps1,u:sdss");
        assertTrue(out.contains("RA 227.7337, Dec 5.7448, z 0.0773") && out.contains("raws complete: not yet"),
                out);
        out = lovoccs(0, "cluster", "complete", name);
        assertTrue(out.contains("raws complete: 20"), out);
        JsonNode list = TestServers.getJson("/clusters");
        JsonNode mine = null;
        for (JsonNode c : list) {
            if (c.path("name").asText().equals(name)) {
                mine = c;
            }
        }
        assertTrue(mine != null, list.toString());
        assertEquals(0.0773, mine.path("redshift").asDouble(), 1e-9);
        assertTrue(mine.path("rawsCompleteAt").isTextual(), mine.toString());
        assertTrue(lovoccs(1, "cluster", "create", name, "--ra", "400", "--dec", "0").contains("[0, 360)"));
        assertTrue(lovoccs(1, "cluster", "create", name, "--ra", "10", "--dec", "0", "--bands", "q:ps1")
                .contains("valid bands are u, g, r, i, z, Y"));
        assertTrue(lovoccs(1, "cluster", "create", name, "--ra", "10", "--dec", "0", "--bands", "r:2mass")
                .contains("valid ones are ps1, sdss"));
        assertTrue(lovoccs(1, "cluster", "complete", "NO_SUCH_" + name).contains("no cluster named"));

        // the cluster's own config overrides (LABEL:FIELD=VALUE), checked against the orchestrator's pipeline
        out = lovoccs(0, "cluster", "create", name, "--ra", "227.7337", "--dec", "5.7448", "-c",
                "isr:doSaturationInterpolation=False");
        assertTrue(out.contains("\"isr:doSaturationInterpolation\": \"False\""), out);
        assertTrue(TestServers.getJson("/cluster-admin/clusters/" + name).path("config").asText()
                .contains("doSaturationInterpolation"));
        assertTrue(lovoccs(1, "cluster", "create", name, "--ra", "10", "--dec", "0", "-c", "isr:doBais=True")
                .contains("isr (lsst.ip.isr.IsrTask) has no field 'doBais'; its fields are"));
        assertTrue(lovoccs(1, "cluster", "create", name, "--ra", "10", "--dec", "0", "-c", "nosuch:x=1")
                .contains("LABEL a task of the orchestrator's pipeline"));
        assertTrue(lovoccs(2, "cluster", "create", name, "--ra", "10", "--dec", "0", "-c", "isr")
                .contains("-c takes LABEL:FIELD=VALUE"));
    }

    private static String lovoccs(int expectedExit, String... args) throws Exception {
        TestServers.Cli r = TestServers.lovoccs(args);
        assertEquals(expectedExit, r.code(), String.join(" ", args) + "\n" + r.out());
        return r.out();
    }
}
