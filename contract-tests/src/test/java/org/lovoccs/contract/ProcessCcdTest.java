package org.lovoccs.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lovoccs.contract.CalibrationProductsTest.count;
import static org.lovoccs.contract.CalibrationProductsTest.total;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import nom.tam.fits.Header;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovoccs.events.S3Uri;
import org.lovoccs.imaging.isr.IsrResult;
import org.lovoccs.imaging.isr.IsrSteps;
import org.lovoccs.imaging.isr.PostIsrCcdFormatter;

/**
 * process_ccd's ISR through the real services with the default pipeline (pipelines/LoVoCCS-orchestrator.yaml): a
 * test-scale campaign in r and z lands its zeros, dome flats and science raws; the curated crosstalk, linearizer and
 * defects of the campaign's simulated DECam are written and chained into DECam/calib. The science ISR waits for the
 * cluster's calibrations; when the raws are declared complete it runs with the cluster's master bias, flat, fringe
 * frame (z only) and brighter-fatter kernel, and the curated calibrations found by the exposure's date, then
 * characterizeImage runs on every CCD, z included (with the overscan-only ISR, the z CCDs' fringes and cosmic rays
 * left too few clean PSF stars).
 *
 * <p>Tagged {@code full-pipeline}: {@code ./lovoccs test} runs it after restarting the registry with the default
 * pipeline (the other end-to-end tests run with prompt processing).
 */
@Tag("full-pipeline")
class ProcessCcdTest {

    @TempDir
    Path dir;

    @Test
    void theScienceIsrAppliesEveryCalibrationAndCharacterizationFollows() throws Exception {
        TestServers.requireRunning();
        String cluster = "PCCD" + Long.toString(System.currentTimeMillis(), 36).toUpperCase();
        int firstExpnum = (int) (System.currentTimeMillis() / 1000 % 20_000_000) * 10 + 200_000_000;
        int seed = 47;
        TestServers.Cli curated = TestServers.lovoccs("butler", "write-curated-calibrations", "--collection",
                "DECam/calib/curated/seed" + seed, "--instrument-seed", String.valueOf(seed));
        assertEquals(0, curated.code(), curated.out());
        assertTrue(curated.out().contains("first in the chain DECam/calib"), curated.out());

        TestServers.Cli sim = TestServers.lovoccs("simulate", "--scale", "test", "--cluster", cluster,
                "--first-expnum", String.valueOf(firstExpnum), "--seed", String.valueOf(seed), "--zeros", "2",
                "--flats", "2", "--bands", "r,z", "--galaxy-density", "10", "--land", "--land-calibs", "--out",
                dir.toString());
        assertEquals(0, sim.code(), sim.out());
        // 2 zeros, 2 flats in each of r and z, one science exposure in each; 2 CCDs each
        TestServers.waitFor("the zeros' ISR of " + cluster, Duration.ofSeconds(240), () -> {
            JsonNode st = TestServers.status(cluster);
            return st != null && count(st, "cpBiasIsr", "done") == 4;
        });
        JsonNode before = TestServers.status(cluster);
        assertEquals(0, total(before, "isr"), "the science ISR waits for the cluster's master calibrations: "
                + before.toPrettyString());

        TestServers.Cli complete = TestServers.lovoccs("cluster", "complete", cluster);
        assertEquals(0, complete.code(), complete.out());
        TestServers.waitFor("the complete ISR and characterizeImage of " + cluster + "'s 4 science CCDs",
                Duration.ofSeconds(600), () -> {
                    JsonNode st = TestServers.status(cluster);
                    return st != null && count(st, "characterizeImage", "done") + count(st, "characterizeImage",
                            "failed") + count(st, "characterizeImage", "depFail") == 4;
                });
        JsonNode st = TestServers.status(cluster);
        for (String task : List.of("cpBiasCombine", "cpFlatCombine", "cpFringeCombine", "cpBfkSolve", "isr",
                "characterizeImage")) {
            assertEquals(0, count(st, task, "failed") + count(st, task, "depFail"), task + ": "
                    + st.toPrettyString());
        }
        assertEquals(4, count(st, "isr", "done"));
        assertEquals(4, count(st, "characterizeImage", "done"), "z characterizes too, once fringes and cosmic rays"
                + " are removed");

        // what each science ISR read: the cluster's products by their IDs, the curated ones from DECam/calib
        Map<String, Set<String>> runsByConnection = new HashMap<>();
        Map<String, String> bandOfIsr = new HashMap<>();
        try (var db = TestServers.db(); var ps = db.prepareStatement("SELECT q.id::text, e.connection, d.run,"
                + " x.band FROM quantum q JOIN quantum_dataset e ON e.quantum = q.id AND e.role = 'input'"
                + " JOIN dataset d ON d.id = e.dataset JOIN exposure x ON x.id = (q.data_id->>'exposure')::bigint"
                + " WHERE q.cluster = ? AND q.task_label = 'isr'")) {
            ps.setString(1, cluster);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    runsByConnection.computeIfAbsent(rs.getString(2), k -> new HashSet<>()).add(rs.getString(3));
                    bandOfIsr.put(rs.getString(1), rs.getString(4));
                }
            }
        }
        for (String c : List.of("crosstalk", "linearizer", "defects")) {
            assertEquals(Set.of("DECam/calib/curated/seed" + seed + "/run"), runsByConnection.get(c),
                    c + " found by date through the DECam/calib chain: " + runsByConnection);
        }
        for (String c : List.of("bias", "flat", "bfKernel", "fringes")) {
            assertTrue(runsByConnection.containsKey(c) && runsByConnection.get(c).stream()
                    .allMatch(r -> r.startsWith("DECam/processing/" + cluster + "/cp")), c + " is the cluster's own: "
                    + runsByConnection);
        }

        // the postISRCCDs as written: every science correction applied, the fringe in z only
        List<String> uris = new ArrayList<>();
        List<String> bands = new ArrayList<>();
        try (var db = TestServers.db(); var ps = db.prepareStatement("SELECT d.uri, x.band FROM dataset d"
                + " JOIN exposure x ON x.id = (d.data_id->>'exposure')::bigint WHERE d.cluster = ?"
                + " AND d.dataset_type = 'postISRCCD' ORDER BY d.uri")) {
            ps.setString(1, cluster);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    uris.add(rs.getString(1));
                    bands.add(rs.getString(2));
                }
            }
        }
        assertEquals(4, uris.size(), uris.toString());
        for (int i = 0; i < uris.size(); i++) {
            S3Uri uri = S3Uri.parse(uris.get(i));
            Header h = PostIsrCcdFormatter.read(TestServers.store().get(uri.bucket(), uri.key())).metadata();
            List<String> steps = List.of(h.getStringValue(IsrResult.STEPS_KEYWORD).split(","));
            assertTrue(steps.containsAll(IsrSteps.SCIENCE), uris.get(i) + " applied " + steps);
            if (bands.get(i).equals("z")) {
                assertTrue(steps.contains(IsrSteps.FRINGE), "z is defringed: " + steps);
                double amp = h.getDoubleValue("FRNGAMP", Double.NaN);
                assertTrue(Double.isFinite(amp) && amp > 0, "the fitted fringe amplitude: " + amp);
            } else {
                assertTrue(!steps.contains(IsrSteps.FRINGE), "no fringe frame outside z: " + steps);
            }
            assertTrue(h.getIntValue("NCRPIX", -1) > 0, "cosmic rays found on " + uris.get(i));
        }
    }
}
