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
                "--flats", "2", "--bands", "r,z", "--visits", "3", "--galaxy-density", "10", "--land", "--land-calibs",
                "--out",
                dir.toString());
        assertEquals(0, sim.code(), sim.out());
        // 2 zeros, 2 flats in each of r and z, three dithered science exposures in each (a fringe frame needs at least
        // 3: isr:fringe.minExposures); 2 CCDs each
        TestServers.waitFor("the zeros' ISR of " + cluster, Duration.ofSeconds(240), () -> {
            JsonNode st = TestServers.status(cluster);
            return st != null && count(st, "cpBiasIsr", "done") == 4;
        });
        // the campaign's reference catalogues, in the cluster's own refcat collection (searched before refcats)
        for (String[] refcat : new String[][] {{"gaia_like", "gaia_like.fits"}, {"ps1_like_r", "ps1_like_r.fits"},
                {"ps1_like_z", "ps1_like_z.fits"}}) {
            TestServers.Cli in = TestServers.lovoccs("butler", "ingest-refcat", refcat[0],
                    dir.resolve("refcats").resolve(refcat[1]).toString(), "--collection", "refcats/" + cluster);
            assertEquals(0, in.code(), in.out());
        }
        JsonNode before = TestServers.status(cluster);
        assertEquals(0, total(before, "isr"), "the science ISR waits for the cluster's master calibrations: "
                + before.toPrettyString());

        TestServers.Cli complete = TestServers.lovoccs("cluster", "complete", cluster);
        assertEquals(0, complete.code(), complete.out());
        TestServers.waitFor("the complete ISR, characterizeImage and calibrate of " + cluster + "'s 12 science CCDs",
                Duration.ofSeconds(900), () -> {
                    JsonNode st = TestServers.status(cluster);
                    return st != null && count(st, "calibrate", "done") + count(st, "calibrate", "failed")
                            + count(st, "calibrate", "depFail") == 12;
                });
        JsonNode st = TestServers.status(cluster);
        for (String task : List.of("cpBiasCombine", "cpFlatCombine", "cpFringeCombine", "cpBfkSolve", "isr",
                "characterizeImage", "calibrate")) {
            assertEquals(0, count(st, task, "failed") + count(st, task, "depFail"), task + ": "
                    + st.toPrettyString());
        }
        assertEquals(12, count(st, "isr", "done"));
        assertEquals(12, count(st, "characterizeImage", "done"), "z characterizes too, once fringes and cosmic rays"
                + " are removed");
        assertEquals(12, count(st, "calibrate", "done"));

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
        assertEquals(12, uris.size(), uris.toString());
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

        // calibrate's src against the simulator's true stars: positions and calibrated magnitudes
        Map<String, double[][]> truth = new HashMap<>();
        for (String band : List.of("r", "z")) {
            truth.put(band, Tables.columns(java.nio.file.Files.readAllBytes(dir.resolve("truth/stars.fits")),
                    "ra", "dec", band + "_mag"));
        }
        Map<String, Tables.Matches> byBand = Map.of("r", new Tables.Matches(), "z", new Tables.Matches());
        try (var db = TestServers.db(); var ps = db.prepareStatement("SELECT d.uri, x.band FROM dataset d"
                + " JOIN exposure x ON x.id = (d.data_id->>'visit')::bigint WHERE d.cluster = ?"
                + " AND d.dataset_type = 'src' ORDER BY d.uri")) {
            ps.setString(1, cluster);
            try (var rs = ps.executeQuery()) {
                int n = 0;
                while (rs.next()) {
                    n++;
                    S3Uri uri = S3Uri.parse(rs.getString(1));
                    double[][] src = Tables.columns(TestServers.store().get(uri.bucket(), uri.key()), "ra", "dec",
                            "mag", "flux", "flux_err");
                    int m = Tables.matchToTruth(src, truth.get(rs.getString(2)), 50, 0.5, byBand.get(rs.getString(2)));
                    assertTrue(m >= 10, "bright stars of " + rs.getString(1) + " matched to the truth: " + m);
                }
                assertEquals(12, n, "one src per science CCD");
            }
        }
        for (String band : List.of("r", "z")) {
            Tables.Matches m = byBand.get(band);
            System.out.printf("calibrate, %s: %d stars at S/N > 50 on 6 CCDs matched to the truth: median dmag %+.4f;"
                            + " position rms %.1f mas at S/N > 100, %.1f mas at S/N > 50%n", band, m.size(),
                    m.medianDmag(), m.rmsMas(100), m.rmsMas(50));
        }
        // r meets SCIENCE.md's goals through the services: zero point within 5 mmag, bright stars within 10 mas
        assertTrue(Math.abs(byBand.get("r").medianDmag()) < 0.005, "r magnitudes against the truth: median dmag "
                + byBand.get("r").medianDmag());
        assertTrue(byBand.get("r").rmsMas(100) < 10, "r positions against the truth: " + byBand.get("r").rmsMas(100));
        // z is calibrated but does not meet them yet (docs/process_ccd.md): fewer, fainter stars on a 5x brighter sky,
        // and a fringe frame of 3 exposures; these bounds catch a broken calibration, not the goal
        assertTrue(Math.abs(byBand.get("z").medianDmag()) < 0.02, "z magnitudes against the truth: median dmag "
                + byBand.get("z").medianDmag());
        assertTrue(byBand.get("z").rmsMas(100) < 40, "z positions against the truth: " + byBand.get("z").rmsMas(100));
    }
}
