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
import org.lovoccs.imaging.quality.QualityTable;

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
        // the simulated exposures follow their exposure numbers (seeing, dithers), which come from the clock so that
        // every run's are new to the registry; a failed run is repeated on the same images with
        // -Dlovoccs.test.firstExpnum=N on a registry that has not seen N (a fresh stack or ./lovoccs clean)
        int firstExpnum = Integer.getInteger("lovoccs.test.firstExpnum",
                (int) (System.currentTimeMillis() / 1000 % 20_000_000) * 10 + 200_000_000);
        System.out.println("ProcessCcdTest: cluster " + cluster + ", first exposure " + firstExpnum
                + " (-Dlovoccs.test.firstExpnum=" + firstExpnum + " repeats its images)");
        int seed = 47;
        TestServers.Cli curated = TestServers.lovoccs("butler", "write-curated-calibrations", "--collection",
                "DECam/calib/curated/seed" + seed, "--instrument-seed", String.valueOf(seed));
        assertEquals(0, curated.code(), curated.out());
        assertTrue(curated.out().contains("first in the chain DECam/calib"), curated.out());

        TestServers.Cli sim = TestServers.lovoccs("simulate", "--scale", "test", "--cluster", cluster,
                "--first-expnum", String.valueOf(firstExpnum), "--seed", String.valueOf(seed), "--zeros", "2",
                "--flats", "2", "--bands", "r,z", "--visits", "3", "--galaxy-density", "10", "--seeing", "0.8-1.3",
                "--land", "--land-calibs", "--out", dir.toString());
        assertEquals(0, sim.code(), sim.out());
        // 2 zeros, 2 flats in each of r and z, three dithered science exposures in each (a fringe frame needs at least
        // 3: isr:fringe.minExposures); 2 CCDs each. Their seeing is drawn in 0.8-1.3" (the draws follow the exposure
        // numbers, which differ every run): in a 1.6" z visit this sparse field has fewer than the 10 stars at
        // S/N > 50 per CCD that calibrate's checks below need (seen once: 9); bad seeing is the extra visit's. Then one more r visit, in 1.6" seeing (6.1 px, beyond LoVoCCS's
        // r cut of 4.4 px), of CCD 28 and of CCD 29, which has no zeros or flats: 29's ISR cannot run, and the gathers
        // over that visit (its seeing plot, select_visit of r, the sky frame of 28) go on without it
        Path extra = dir.resolve("extra");
        TestServers.Cli sim2 = TestServers.lovoccs("simulate", "--scale", "test", "--cluster", cluster,
                "--first-expnum", String.valueOf(firstExpnum + 100), "--seed", String.valueOf(seed), "--bands", "r",
                "--visits", "1", "--ccds", "28,29", "--galaxy-density", "10", "--seeing", "1.6", "--land", "--out",
                extra.toString());
        assertEquals(0, sim2.code(), sim2.out());
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

        // the cluster's record: its X-ray peak at the field's centre, and its own config for select_visit: two CCDs
        // per visit cannot make select_visit's 10 good detectors, 1 will do here. check_visit's cuts are LoVoCCS's.
        Map<Long, double[]> psfTruth = new HashMap<>();
        for (Path campaign : List.of(dir, extra)) {
            double[][] exposures = Tables.columns(java.nio.file.Files.readAllBytes(
                            campaign.resolve("truth/exposures.fits")), "expnum", "seeing", "psf_fwhm_growth",
                    "psf_g1_atm", "psf_g2_atm", "psf_g_opt");
            for (int i = 0; i < exposures[0].length; i++) {
                if (Double.isFinite(exposures[1][i])) { // a science exposure: zeros and flats have no seeing
                    psfTruth.put((long) exposures[0][i], new double[] {exposures[1][i], exposures[2][i],
                            exposures[3][i], exposures[4][i], exposures[5][i]});
                }
            }
        }
        assertEquals(7, psfTruth.size(), "the seven science exposures in the truth tables");
        TestServers.Cli record = TestServers.lovoccs("cluster", "create", cluster, "--ra", "10.4583", "--dec",
                "-9.3031", "--bands", "r:ps1,z:ps1", "-c", "selectVisit:minGoodDetectors=1");
        assertEquals(0, record.code(), record.out());

        TestServers.Cli complete = TestServers.lovoccs("cluster", "complete", cluster, "--wait", "120");
        assertEquals(0, complete.code(), complete.out());
        TestServers.waitFor("the complete ISR, characterizeImage and calibrate of " + cluster + "'s 14 science CCDs",
                Duration.ofSeconds(900), () -> {
                    JsonNode st = TestServers.status(cluster);
                    return st != null && count(st, "calibrate", "done") + count(st, "calibrate", "failed")
                            + count(st, "calibrate", "depFail") == 14;
                });
        JsonNode st = TestServers.status(cluster);
        for (String task : List.of("cpBiasCombine", "cpFlatCombine", "cpFringeCombine", "cpBfkSolve")) {
            assertEquals(0, count(st, task, "failed") + count(st, task, "depFail"), task + ": "
                    + st.toPrettyString());
        }
        // CCD 29 has no master bias or flat: its ISR fails for the missing input, and what follows it is dep_fail
        assertEquals(1, count(st, "isr", "failed"), st.toPrettyString());
        assertEquals(1, count(st, "characterizeImage", "depFail"), st.toPrettyString());
        assertEquals(1, count(st, "calibrate", "depFail"), st.toPrettyString());
        assertEquals(13, count(st, "isr", "done"));
        assertEquals(13, count(st, "characterizeImage", "done"), "z characterizes too, once fringes and cosmic rays"
                + " are removed");
        assertEquals(13, count(st, "calibrate", "done"));
        // the isr service runs its quanta side by side (LOVOCCS_ISR_CONCURRENCY, 2 by default): with 14 science ISRs
        // dispatched at once, one worker had exactly that many running at a time at its busiest, and never more
        int concurrency = Integer.parseInt(System.getenv().getOrDefault("LOVOCCS_ISR_CONCURRENCY", "2"));
        Map<String, Integer> busiest = mostQuantaAtOnce(cluster);
        System.out.println("isr service quanta running at once, per worker at its busiest: " + busiest);
        assertEquals(concurrency, busiest.values().stream().mapToInt(Integer::intValue).max().orElse(0),
                "quanta of " + cluster + " running at once in one isr worker: " + busiest);
        // the processCcd quantum cluster: each CCD's characterizeImage and calibrate (and checkVisit, below) went out
        // in its isr quantum's job and read what the quantum before wrote from the job's memory (postISRCCD; icExp,
        // icExpBackground, icSrc), not back from the object store
        Map<String, List<Integer>> fromMemory = new HashMap<>();
        try (var db = TestServers.db(); var ps = db.prepareStatement("SELECT task_label, coalesce((metrics->>"
                + "'inputsFromMemory')::numeric::int, -1) FROM quantum WHERE cluster = ? AND state = 'done' AND"
                + " task_label IN ('characterizeImage', 'calibrate')")) {
            ps.setString(1, cluster);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    fromMemory.computeIfAbsent(rs.getString(1), k -> new java.util.ArrayList<>()).add(rs.getInt(2));
                }
            }
        }
        System.out.println("inputs read from the job's memory, per quantum: " + fromMemory);
        assertEquals(java.util.Collections.nCopies(13, 1), fromMemory.get("characterizeImage"), fromMemory.toString());
        assertEquals(java.util.Collections.nCopies(13, 3), fromMemory.get("calibrate"), fromMemory.toString());
        isrReadTheCalibrationsAnEarlierQuantumReadFromTheWorkersCache(cluster);
        // step0: every science raw's overscan-corrected raw (overscanRaw), the crosstalk source of the CCDs it leaks
        // into. DECam's table makes CCD 36 a source of 35 (35A <- 36B) and gives 28 no inter-CCD source; 36 is not in
        // the campaign, so each ISR of 35 went without it and said so (its application is CrosstalkSourcesTest's)
        assertEquals(14, count(st, "isrForCrosstalkSources", "done"), st.toPrettyString());
        Map<String, List<String>> crosstalkByDetector = new HashMap<>();
        try (var db = TestServers.db(); var ps = db.prepareStatement("SELECT q.data_id->>'detector',"
                + " (q.metrics->>'crosstalkSourcesApplied')::numeric::int || '/'"
                + " || (q.metrics->>'crosstalkSourcesMissing')::numeric::int FROM quantum q WHERE q.cluster = ?"
                + " AND q.task_label = 'isr' AND q.state = 'done'")) {
            ps.setString(1, cluster);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    crosstalkByDetector.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        System.out.println("isr inter-CCD crosstalk sources applied/missing, per detector: " + crosstalkByDetector);
        assertEquals(java.util.Collections.nCopies(6, "0/1"), crosstalkByDetector.get("35"),
                "CCD 35's ISR: its source 36 missing: " + crosstalkByDetector);
        assertEquals(java.util.Collections.nCopies(7, "0/0"), crosstalkByDetector.get("28"),
                "CCD 28 has no inter-CCD sources: " + crosstalkByDetector);
        // brighter-fatter through the services, with LSST's brighterFatterMaxIter (10) and brighterFatterThreshold
        // (1000 e-) as the orchestrator sends them: every science ISR met the threshold, and after the first
        // iteration convolved only part of the CCD (isr:brighterFatterPixelTolerance)
        List<String> bfRuns = new ArrayList<>();
        try (var db = TestServers.db(); var ps = db.prepareStatement("SELECT (q.metrics->>'bfIterations')::numeric"
                + "::int, (q.metrics->>'bfConverged')::numeric::int, (q.metrics->>'bfLastChange')::numeric,"
                + " (q.metrics->>'bfTilesConvolved')::numeric, (q.metrics->>'simd')::numeric::int FROM quantum q"
                + " WHERE q.cluster = ? AND q.task_label = 'isr' AND q.state = 'done'")) {
            ps.setString(1, cluster);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    int iterations = rs.getInt(1);
                    double convolved = rs.getDouble(4);
                    String run = iterations + " it, " + Math.round(rs.getDouble(3)) + " e-, " + convolved + " CCDs";
                    bfRuns.add(run);
                    assertEquals(1, rs.getInt(2), "brighter-fatter did not converge: " + run);
                    // the worker runs the convolutions' SIMD form, as stack/services.sh starts it
                    // (--add-modules jdk.incubator.vector; the isr log's first lines say which form it runs)
                    assertEquals(1, rs.getInt(5), "the isr worker ran the scalar convolutions: " + run);
                    assertTrue(iterations >= 1 && iterations < 10, run);
                    assertTrue(iterations == 1 || convolved < iterations, "every iteration convolved the whole CCD: "
                            + run);
                }
            }
        }
        // every calibrate measured PSF fluxes and their aperture correction (src's psf_* columns are checked below)
        try (var db = TestServers.db(); var ps = db.prepareStatement("SELECT (q.metrics->>'psfApCorr')::numeric"
                + " FROM quantum q WHERE q.cluster = ?"
                + " AND q.task_label = 'calibrate' AND q.state = 'done'")) {
            ps.setString(1, cluster);
            try (var rs = ps.executeQuery()) {
                int n = 0;
                while (rs.next()) {
                    n++;
                    double psfApCorr = rs.getDouble(1);
                    assertTrue(!rs.wasNull() && psfApCorr > 0.98 && psfApCorr < 1.05,
                            "calibrate's PSF flux aperture correction " + psfApCorr);
                }
                assertTrue(n >= 12, "calibrate quanta with PSF fluxes: " + n);
            }
        }
        System.out.println("isr brighter-fatter per quantum (iterations, last change, CCDs convolved): " + bfRuns);
        assertEquals(13, bfRuns.size(), bfRuns.toString());
        try (var db = TestServers.db(); var ps = db.prepareStatement("SELECT data_id->>'detector', error_type FROM"
                + " quantum WHERE cluster = ? AND task_label = 'isr' AND state = 'failed'")) {
            ps.setString(1, cluster);
            try (var rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("29", rs.getString(1));
                assertEquals("MissingInput", rs.getString(2));
            }
        }

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

        // the postISRCCDs and icExps were held in their jobs' memory (lovoccs.orchestrator.held-in-job's default):
        // registered, not stored, no object at their URIs, except a postISRCCD whose characterizeImage failed, which
        // its worker wrote for the retry
        Set<String> failedCharacterize = new java.util.HashSet<>();
        try (var db = TestServers.db(); var ps = db.prepareStatement("SELECT data_id->>'detector',"
                + " data_id->>'exposure' FROM quantum WHERE cluster = ? AND task_label = 'characterizeImage'"
                + " AND state = 'failed'")) {
            ps.setString(1, cluster);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    failedCharacterize.add(rs.getString(2) + "/" + rs.getString(1));
                }
            }
        }
        int held = 0;
        try (var db = TestServers.db(); var ps = db.prepareStatement("SELECT d.dataset_type, d.uri, d.stored,"
                + " coalesce(d.data_id->>'exposure', d.data_id->>'visit') || '/' || (d.data_id->>'detector')"
                + " FROM dataset d WHERE d.cluster = ? AND d.dataset_type IN ('postISRCCD', 'icExp')")) {
            ps.setString(1, cluster);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    S3Uri uri = S3Uri.parse(rs.getString(2));
                    boolean object = TestServers.store().stat(uri.bucket(), uri.key()).isPresent();
                    boolean spilled = rs.getString(1).equals("postISRCCD") && failedCharacterize.contains(
                            rs.getString(4));
                    assertEquals(spilled, rs.getBoolean(3), rs.getString(1) + " " + rs.getString(4) + " stored");
                    assertEquals(spilled, object, rs.getString(1) + " " + rs.getString(4) + " object at " + uri);
                    held += spilled ? 0 : 1;
                }
            }
        }
        System.out.println("postISRCCD and icExp held in their jobs, not written: " + held + "; written because"
                + " their characterizeImage failed: " + failedCharacterize);
        assertEquals(13 + 13 - failedCharacterize.size(), held, "13 postISRCCDs and 13 icExps, held");

        // the ISR as the calexps' headers record it: every science correction applied, the fringe in z only
        List<String> uris = new ArrayList<>();
        List<String> bands = new ArrayList<>();
        List<String> detectors = new ArrayList<>();
        try (var db = TestServers.db(); var ps = db.prepareStatement("SELECT d.uri, x.band, d.data_id->>'detector'"
                + " FROM dataset d JOIN exposure x ON x.id = (d.data_id->>'visit')::bigint WHERE d.cluster = ?"
                + " AND d.dataset_type = 'calexp' ORDER BY d.uri")) {
            ps.setString(1, cluster);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    uris.add(rs.getString(1));
                    bands.add(rs.getString(2));
                    detectors.add(rs.getString(3));
                }
            }
        }
        assertEquals(13, uris.size(), uris.toString());
        for (int i = 0; i < uris.size(); i++) {
            S3Uri uri = S3Uri.parse(uris.get(i));
            Header h = PostIsrCcdFormatter.read(TestServers.store().get(uri.bucket(), uri.key())).metadata();
            List<String> steps = List.of(h.getStringValue(IsrResult.STEPS_KEYWORD).split(","));
            assertTrue(steps.containsAll(IsrSteps.SCIENCE), uris.get(i) + " applied " + steps);
            if (bands.get(i).equals("z")) {
                assertTrue(steps.contains(IsrSteps.FRINGE), "z is defringed: " + steps);
                double amp = h.getDoubleValue("FRNGAMP", Double.NaN);
                assertTrue(Double.isFinite(amp) && amp > 0, "the fitted fringe amplitude: " + amp);
                // the cluster's own frame of its 3 z exposures holds this one: applied without its contribution
                assertTrue(h.getBooleanValue("FRNGLOO", false), "FRNGLOO on " + uris.get(i));
            } else {
                assertTrue(!steps.contains(IsrSteps.FRINGE), "no fringe frame outside z: " + steps);
            }
            assertTrue(h.getIntValue("NCRPIX", -1) > 0, "cosmic rays found on " + uris.get(i));
            if (detectors.get(i).equals("35")) {
                assertEquals("36", h.getStringValue("XTALKMIS"), "named but missing sources of " + uris.get(i));
            } else {
                assertTrue(h.getStringValue("XTALKMIS") == null, "CCD 28 misses no source: " + uris.get(i));
            }
        }

        // the services' outputs are clean under fitsverify, warnings included (a calexp once warned of its continued
        // ISRSTEPS string without LONGSTRN, and check_visit's table of a column name mangled by a long comment)
        for (String type : List.of("calexp", "src", "calexpBackground", "ccdQuality")) {
            String uri;
            try (var db = TestServers.db(); var ps = db.prepareStatement("SELECT uri FROM dataset WHERE cluster = ?"
                    + " AND dataset_type = ? AND uri IS NOT NULL ORDER BY uri LIMIT 1")) {
                ps.setString(1, cluster);
                ps.setString(2, type);
                try (var rs = ps.executeQuery()) {
                    assertTrue(rs.next(), "a " + type + " was written");
                    uri = rs.getString(1);
                }
            }
            S3Uri u = S3Uri.parse(uri);
            Path file = dir.resolve(type + ".fits");
            byte[] bytes = TestServers.store().get(u.bucket(), u.key());
            java.nio.file.Files.write(file, bytes);
            if (type.equals("calexp")) {
                // the calexp's MASK in 16 bits (every mask plane's bit fits): 16 MB fewer per CCD
                var mask = org.lovoccs.imaging.fits.FitsHduIndex.scan(bytes).get(2);
                assertEquals("MASK", mask.extname());
                assertEquals(16, mask.header().getIntValue("BITPIX"), uri);
            }
            Process v = new ProcessBuilder("/usr/bin/fitsverify", "-q", file.toString()).redirectErrorStream(true)
                    .start();
            String out = new String(v.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(0, v.waitFor(), "fitsverify " + uri + ": " + out);
            assertTrue(out.contains("verification OK"), "fitsverify " + uri + " (contract-tests/install-test-tools.sh installs"
                    + " it): " + out);
        }

        // calibrate's src against the simulator's true stars: positions and calibrated magnitudes
        Map<String, double[][]> truth = new HashMap<>();
        for (String band : List.of("r", "z")) {
            truth.put(band, Tables.columns(java.nio.file.Files.readAllBytes(dir.resolve("truth/stars.fits")),
                    "ra", "dec", band + "_mag"));
        }
        Map<String, Tables.Matches> byBand = Map.of("r", new Tables.Matches(), "z", new Tables.Matches());
        // and src's PSF magnitudes (psf_mag), matched the same way
        Map<String, Tables.Matches> psfByBand = Map.of("r", new Tables.Matches(), "z", new Tables.Matches());
        // the test campaign's 12 CCDs; the extra 1.6" visit is there for check_visit and the gathers, and its src is
        // left out of calibrate's figures (in one run its bright stars were 47 mas rms from the truth, not understood
        // then: a source cut by the CCD's edge was in the figures until 2026-12-05, when one such star, 255 mas off,
        // made r's rms 28 mas where every CCD's median was 2-3 mas; sources flagged EDGE are left out now)
        try (var db = TestServers.db(); var ps = db.prepareStatement("SELECT d.uri, x.band FROM dataset d"
                + " JOIN exposure x ON x.id = (d.data_id->>'visit')::bigint WHERE d.cluster = ?"
                + " AND d.dataset_type = 'src' AND x.id < ? ORDER BY d.uri")) {
            ps.setString(1, cluster);
            ps.setLong(2, firstExpnum + 100);
            try (var rs = ps.executeQuery()) {
                int n = 0;
                while (rs.next()) {
                    n++;
                    S3Uri uri = S3Uri.parse(rs.getString(1));
                    double[][] src = Tables.columns(TestServers.store().get(uri.bucket(), uri.key()), "ra", "dec",
                            "mag", "flux", "flux_err", "flags");
                    int m = Tables.matchToTruth(src, truth.get(rs.getString(2)), 50, 0.5, byBand.get(rs.getString(2)));
                    assertTrue(m >= 10, "bright stars of " + rs.getString(1) + " matched to the truth: " + m);
                    double[][] psf = Tables.columns(TestServers.store().get(uri.bucket(), uri.key()), "ra", "dec",
                            "psf_mag", "flux", "flux_err", "flags");
                    Tables.matchToTruth(psf, truth.get(rs.getString(2)), 50, 0.5, psfByBand.get(rs.getString(2)));
                }
                assertEquals(12, n, "one src per science CCD of the test campaign");
            }
        }
        for (String band : List.of("r", "z")) {
            Tables.Matches m = byBand.get(band);
            System.out.printf("calibrate, %s: %d stars at S/N > 50 on 6 CCDs matched to the truth, none flagged SAT, INTERPOLATED, BAD, CR or MOMENTS_FAILED: median dmag %+.4f;"
                            + " position rms %.1f mas at S/N > 100, %.1f mas at S/N > 50%n", band, m.size(),
                    m.medianDmag(), m.rmsMas(100), m.rmsMas(50));
            Tables.Matches p = psfByBand.get(band);
            System.out.printf("calibrate, %s: psf_mag of %d of those stars: median dmag %+.4f%n", band, p.size(),
                    p.medianDmag());
            // every bright star has a PSF magnitude (a NaN one is left out of the matches)
            assertTrue(p.size() >= 0.9 * m.size(), band + ": only " + p.size() + " of " + m.size()
                    + " bright stars have a PSF magnitude");
        }
        // the PSF magnitudes go through the same zero point with their own aperture correction: r within 5 mmag
        assertTrue(Math.abs(psfByBand.get("r").medianDmag()) < 0.005, "r psf_mag against the truth: median dmag "
                + psfByBand.get("r").medianDmag());
        assertTrue(Math.abs(psfByBand.get("z").medianDmag()) < 0.02, "z psf_mag against the truth: median dmag "
                + psfByBand.get("z").medianDmag());
        // r meets SCIENCE.md's goals through the services: zero point within 5 mmag, bright stars within 10 mas
        assertTrue(Math.abs(byBand.get("r").medianDmag()) < 0.005, "r magnitudes against the truth: median dmag "
                + byBand.get("r").medianDmag());
        assertTrue(byBand.get("r").rmsMas(100) < 10, "r positions against the truth: " + byBand.get("r").rmsMas(100));
        // z's positions meet the goal since the astrometric fit is weighted by each star's centroid error (3.3 mas in
        // the first run; 5.3-6.3 mas unweighted). Its zero point does not yet (docs/process_ccd.md: +1.8 to +5.7 mmag
        // between runs, a fringe frame of 3 exposures): that bound catches a broken calibration, not the goal
        assertTrue(Math.abs(byBand.get("z").medianDmag()) < 0.02, "z magnitudes against the truth: median dmag "
                + byBand.get("z").medianDmag());
        assertTrue(byBand.get("z").rmsMas(100) < 10, "z positions against the truth: " + byBand.get("z").rmsMas(100));

        checkAndSelectVisits(cluster, psfTruth);
        sharedFringeFrame(cluster, firstExpnum + 200, seed);
    }

    /**
     * A cluster with a single z exposure reads the fringe frame certified in the shared calibration collections
     * (DECam/calib) for its date, not the one it makes from its own exposure (which the worker would not apply: from
     * one exposure it subtracts the image from itself). Here the shared frame is the first cluster's, made from its 3
     * z exposures and certified into a CALIBRATION collection chained into DECam/calib, as the seed's shared
     * calibration repository holds fringe frames made from many exposures.
     */
    private void sharedFringeFrame(String first, int firstExpnum, int seed) throws Exception {
        String shared = "DECam/calib/shared/" + first;
        String fringeRun = null;
        Map<String, String> sharedFringe = new HashMap<>(); // detector: the first cluster's fringe dataset ID
        try (var db = TestServers.db(); var ps = db.prepareStatement("SELECT run, data_id->>'detector', id::text FROM"
                + " dataset WHERE cluster = ? AND dataset_type = 'fringe'")) {
            ps.setString(1, first);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    fringeRun = rs.getString(1);
                    sharedFringe.put(rs.getString(2), rs.getString(3));
                }
            }
        }
        assertEquals(Set.of("28", "35"), sharedFringe.keySet(), "the first cluster's fringe frames");
        TestServers.Cli certify = TestServers.lovoccs("butler", "certify-calibrations", fringeRun, shared, "fringe",
                "--begin-date", "2000-01-01T00:00:00", "--end-date", "2100-01-01T00:00:00");
        assertEquals(0, certify.code(), certify.out());
        TestServers.Cli chain = TestServers.lovoccs("butler", "collection-chain", "DECam/calib", shared, "--mode",
                "prepend");
        assertEquals(0, chain.code(), chain.out());
        String cluster = first + "Z";
        try {
            Path campaign = dir.resolve("single-z");
            TestServers.Cli sim = TestServers.lovoccs("simulate", "--scale", "test", "--cluster", cluster,
                    "--first-expnum", String.valueOf(firstExpnum), "--seed", String.valueOf(seed), "--zeros", "2",
                    "--flats", "2", "--bands", "z", "--visits", "1", "--ccds", "28", "--galaxy-density", "10",
                    "--land", "--land-calibs", "--out", campaign.toString());
            assertEquals(0, sim.code(), sim.out());
            for (String[] refcat : new String[][] {{"gaia_like", "gaia_like.fits"}, {"ps1_like_z", "ps1_like_z.fits"}}) {
                TestServers.Cli in = TestServers.lovoccs("butler", "ingest-refcat", refcat[0],
                        campaign.resolve("refcats").resolve(refcat[1]).toString(), "--collection", "refcats/" + cluster);
                assertEquals(0, in.code(), in.out());
            }
            // its zeros' ISR runs as they land; the flats' waits for the master bias, planned at complete
            TestServers.waitFor("the zeros' ISR of " + cluster, Duration.ofSeconds(240), () -> {
                JsonNode st = TestServers.status(cluster);
                return st != null && count(st, "cpBiasIsr", "done") == 2;
            });
            TestServers.Cli record = TestServers.lovoccs("cluster", "create", cluster, "--ra", "10.4583", "--dec",
                    "-9.3031", "--bands", "z:ps1", "-c", "selectVisit:minGoodDetectors=1");
            assertEquals(0, record.code(), record.out());
            TestServers.Cli complete = TestServers.lovoccs("cluster", "complete", cluster, "--wait", "120");
            assertEquals(0, complete.code(), complete.out());
            TestServers.waitFor("calibrate of " + cluster + "'s z CCD", Duration.ofSeconds(600), () -> {
                JsonNode st = TestServers.status(cluster);
                return st != null && count(st, "calibrate", "done") + count(st, "calibrate", "failed")
                        + count(st, "calibrate", "depFail") == 1;
            });
            JsonNode st = TestServers.status(cluster);
            assertEquals(1, count(st, "characterizeImage", "done"), "the z CCD characterizes with the shared fringe"
                    + " frame applied: " + st.toPrettyString());
            assertEquals(1, count(st, "calibrate", "done"), st.toPrettyString());
            try (var db = TestServers.db(); var ps = db.prepareStatement("SELECT e.dataset::text, q.metrics->>"
                    + "'fringeApplied', q.metrics->>'fringeAmplitude' FROM quantum q JOIN quantum_dataset e ON"
                    + " e.quantum = q.id AND e.role = 'input' AND e.connection = 'fringes' WHERE q.cluster = ? AND"
                    + " q.task_label = 'isr'")) {
                ps.setString(1, cluster);
                try (var rs = ps.executeQuery()) {
                    assertTrue(rs.next(), "the science ISR of " + cluster + " reads a fringe frame");
                    assertEquals(sharedFringe.get("28"), rs.getString(1), "the fringe frame certified in " + shared
                            + ", not the cluster's own");
                    assertEquals("1.0", rs.getString(2), "fringe applied");
                    System.out.println("single z exposure of " + cluster + ": the shared fringe frame applied, amplitude "
                            + rs.getString(3));
                    assertTrue(!rs.next(), "one fringe frame read");
                }
            }
        } finally {
            // the shared frame is this seed's instrument: other campaigns of the same detectors must not find it
            TestServers.lovoccs("butler", "collection-chain", "DECam/calib", shared, "--mode", "remove");
        }
    }

    /**
     * check_visit and select_visit (seed steps 7-8) through the services: every CCD's Moffat FWHM and ellipticity
     * against the simulator's PSF over that CCD, check_visit's verdict against the truth's, a seeing plot per visit,
     * select_visit keeping exactly the CCDs that pass into the TAGGED quality_detectors_<band>; then, with the X-ray
     * peak moved 1.6 deg away and select_visit re-run, every detector dropped for its distance.
     */
    private void checkAndSelectVisits(String cluster, Map<Long, double[]> psfTruth) throws Exception {
        TestServers.waitFor("check_visit, the seeing plots and select_visit of " + cluster, Duration.ofSeconds(300),
                () -> {
                    JsonNode st = TestServers.status(cluster);
                    return st != null && finished(st, "checkVisit") == 14 && finished(st, "plotVisitSeeing") == 7
                            && finished(st, "selectVisit") == 2;
                });
        JsonNode st = TestServers.status(cluster);
        // CCD 29's check_visit is dep_fail; the seeing plot of its visit and select_visit of r go on without it
        assertEquals(13, count(st, "checkVisit", "done"), st.toPrettyString());
        assertEquals(1, count(st, "checkVisit", "depFail"), st.toPrettyString());
        // checkVisit ran in its CCD's processCcd job too: the calexp and src from memory
        try (var db = TestServers.db(); var ps = db.prepareStatement("SELECT coalesce((metrics->>'inputsFromMemory')"
                + "::numeric::int, -1), count(*) FROM quantum WHERE cluster = ? AND state = 'done' AND task_label ="
                + " 'checkVisit' GROUP BY 1")) {
            ps.setString(1, cluster);
            Map<Integer, Integer> byCount = new HashMap<>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    byCount.put(rs.getInt(1), rs.getInt(2));
                }
            }
            assertEquals(Map.of(2, 13), byCount, "checkVisit quanta by inputs read from memory");
        }
        for (String task : List.of("plotVisitSeeing", "selectVisit")) {
            assertEquals(0, count(st, task, "failed") + count(st, task, "depFail"), task + ": " + st.toPrettyString());
        }
        org.lovoccs.simulator.DecamCamera camera = org.lovoccs.simulator.DecamCamera.standard();
        Map<String, Boolean> passes = new HashMap<>();
        Map<String, double[]> worst = new HashMap<>(); // band: worst |dFWHM| (fraction), worst |de|
        for (String[] row : rows(cluster, "ccdQuality")) {
            QualityTable.Table t = QualityTable.read(get(row[0]), row[0]);
            QualityTable.Row q = t.rows().get(0);
            double[] p = psfTruth.get(q.ccd().visit());
            // the simulator's PSF averaged over the CCD: FWHM and the distortion (e1, e2) of its ellipticity
            org.lovoccs.simulator.sky.PsfField field = new org.lovoccs.simulator.sky.PsfField(
                    org.lovoccs.simulator.PsfProfile.DEFAULT, p[0], p[1], p[2], p[3], p[4], 200.0, 0.263);
            double[] mean = field.meanOverCcd(camera.ccd(q.ccd().detector()));
            double fwhm = mean[0];
            double e = Math.hypot(mean[1], mean[2]);
            double dFwhm = q.ccd().fwhmPixels() / fwhm - 1;
            double dE = q.ccd().ellipticity() - e;
            double[] w = worst.computeIfAbsent(t.band(), k -> new double[2]);
            w[0] = Math.max(w[0], Math.abs(dFwhm));
            w[1] = Math.max(w[1], Math.abs(dE));
            System.out.printf("check_visit %s visit %d detector %d: FWHM %.3f px (truth %.3f, %+.2f%%), e %.4f (truth"
                            + " %.4f, %+.4f), %d of %d reference stars fitted; %s%n", t.band(), q.ccd().visit(),
                    q.ccd().detector(), q.ccd().fwhmPixels(), fwhm, 100 * dFwhm, q.ccd().ellipticity(), e, dE,
                    q.ccd().starsFitted(), q.ccd().referenceStars(), q.passed() ? "passes" : "fails: " + q.reason());
            assertTrue(q.ccd().starsFitted() >= 10, "reference stars fitted on " + row[0] + ": "
                    + q.ccd().starsFitted());
            // the truth's verdict under LoVoCCS's cuts (r: 4.4 px, e 0.13; others 6.4 px, 0.33), unless the truth is
            // within 2% of the cut (the visits' seeing is drawn at random)
            double cut = t.band().equals("r") ? 4.4 : 6.4;
            double eCut = t.band().equals("r") ? 0.13 : 0.33;
            if (Math.abs(fwhm / cut - 1) > 0.02) {
                assertEquals(fwhm < cut && e < eCut, q.passed(), "check_visit's verdict on " + row[0] + " against"
                        + " the truth (FWHM " + fwhm + " px, e " + e + "): " + q.reason());
            }
            passes.put(q.ccd().visit() + "/" + q.ccd().detector(), q.passed());
        }
        assertEquals(13, passes.size());
        worst.forEach((band, w) -> System.out.printf("check_visit against the truth, %s: worst |dFWHM| %.2f%%, worst"
                + " |de| %.4f%n", band, 100 * w[0], w[1]));
        // r, the lensing band, meets SCIENCE.md's goals: FWHM within 1% and ellipticity within 0.003 of the truth
        assertTrue(worst.get("r")[0] < 0.01, "r: check_visit's FWHM within 1% of the truth: " + worst.get("r")[0]);
        assertTrue(worst.get("r")[1] < 0.003, "r: check_visit's ellipticity within 0.003: " + worst.get("r")[1]);
        // z does not yet (docs/process_ccd.md: its FWHMs come out 0.8-1.3% large on the 5x brighter, defringed sky,
        // and one CCD's e 0.005 off); these bounds catch a broken fit, not the goal
        assertTrue(worst.get("z")[0] < 0.025, "z: check_visit's FWHM against the truth: " + worst.get("z")[0]);
        assertTrue(worst.get("z")[1] < 0.01, "z: check_visit's ellipticity against the truth: " + worst.get("z")[1]);
        assertTrue(passes.containsValue(false) && passes.containsValue(true), "the 1.6\" r visit fails, the z visits"
                + " (cut 6.4 px) pass: " + passes);

        // the seeing plots: one PNG per visit
        List<String[]> plots = rows(cluster, "seeingPlot");
        assertEquals(7, plots.size(), "one seeing plot per visit");
        for (String[] plot : plots) {
            assertTrue(plot[0].endsWith(".png"), plot[0]);
            java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(
                    get(plot[0])));
            assertTrue(img != null && img.getWidth() > 100, "a PNG: " + plot[0]);
        }

        // select_visit: exactly the passing CCDs, with their calexp, calexpBackground and src, in the TAGGED collection
        Map<String, Set<String>> tagged = tagged(cluster);
        for (String band : List.of("r", "z")) {
            Set<String> expected = new HashSet<>();
            for (String[] row : rows(cluster, "ccdQuality")) {
                QualityTable.Row q = QualityTable.read(get(row[0]), row[0]).rows().get(0);
                if (q.ccd().band().equals(band) && q.passed()) {
                    for (String type : List.of("calexp", "calexpBackground", "src")) {
                        expected.add(type + " " + q.ccd().visit() + "/" + q.ccd().detector());
                    }
                }
            }
            assertEquals(expected, tagged.getOrDefault("DECam/processing/" + cluster + "/quality_detectors_" + band,
                    Set.of()), "quality_detectors_" + band + ": " + tagged);
            var found = TestServers.post("/butler/query-datasets", Map.of("datasetType", "calexp",
                    "collections", List.of("DECam/processing/" + cluster + "/quality_detectors_" + band)));
            assertEquals(200, found.status(), String.valueOf(found.body()));
            assertEquals(expected.size() / 3, found.body().size(), "the butler finds the kept calexps in the TAGGED"
                    + " collection: " + found.body());
        }
        for (String[] row : rows(cluster, "selectVisitDetectors")) {
            QualityTable.Table t = QualityTable.read(get(row[0]), row[0]);
            for (QualityTable.Row r : t.rows()) {
                System.out.printf("select_visit %s visit %d detector %d: %s%n", t.band(), r.ccd().visit(),
                        r.ccd().detector(), r.passed() ? "kept" : "dropped: " + r.reason());
            }
        }

        // the X-ray peak 2 deg away (same field, moved record) and select_visit re-run: every detector is dropped for
        // its distance, and the TAGGED collections are emptied
        TestServers.Cli moved = TestServers.lovoccs("cluster", "create", cluster, "--ra", "10.4583", "--dec",
                "-7.3031", "--bands", "r:ps1,z:ps1", "-c", "selectVisit:minGoodDetectors=1");
        assertEquals(0, moved.code(), moved.out());
        TestServers.Cli rerun = TestServers.lovoccs("pipetask", "rerun", cluster, "--step", "select_visit");
        assertEquals(0, rerun.code(), rerun.out());
        // the status shows the current RUNs' quanta: two new selectVisit quanta, done
        TestServers.waitFor("select_visit of " + cluster + " re-run", Duration.ofSeconds(120), () -> {
            JsonNode s2 = TestServers.status(cluster);
            return s2 != null && finished(s2, "selectVisit") == 2 && selectVisitsDone(cluster) == 4;
        });
        assertEquals(2, count(TestServers.status(cluster), "selectVisit", "done"));
        assertEquals(Map.of(), tagged(cluster), "nothing within 1.5 deg of the moved peak");
        for (String[] row : rows(cluster, "selectVisitDetectors")) {
            if (row[1].equals(firstRun(cluster))) {
                continue;
            }
            for (QualityTable.Row r : QualityTable.read(get(row[0]), row[0]).rows()) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d\\.\\d\\d) deg from the X-ray peak"
                        + " \\(> 1\\.50\\)").matcher(r.reason());
                assertTrue(!r.passed() && m.matches() && Double.parseDouble(m.group(1)) > 1.5,
                        "dropped for its distance: " + r.reason());
            }
        }
    }

    /** Quanta of a task that have finished, one way or another. */
    private static long finished(JsonNode st, String task) {
        return count(st, task, "done") + count(st, task, "failed") + count(st, task, "depFail");
    }

    /** The cluster's datasets of a type: URI and RUN. */
    private static List<String[]> rows(String cluster, String type) throws java.sql.SQLException {
        List<String[]> out = new ArrayList<>();
        try (var db = TestServers.db(); var ps = db.prepareStatement("SELECT uri, run FROM dataset WHERE cluster = ?"
                + " AND dataset_type = ? ORDER BY uri")) {
            ps.setString(1, cluster);
            ps.setString(2, type);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
        }
        return out;
    }

    /**
     * The isr worker's dataset cache (DatasetCache): a science ISR reads from the worker's disk, not the object store,
     * every calibration (master bias, flat, fringe, brighter-fatter kernel; curated crosstalk, linearizer, defects)
     * that a quantum of the same worker had read before it started (the cpFlatIsr, cpSkyIsr, cpFringeIsr and earlier
     * ISRs of the same detector), and never more inputs than it has of those types. The ISR's results are those of
     * the same bytes (checked against the registry's SHA-256 when they were cached), so the figures below hold as
     * they do without it.
     */
    private static void isrReadTheCalibrationsAnEarlierQuantumReadFromTheWorkersCache(String cluster)
            throws java.sql.SQLException {
        String cached = "('bias', 'flat', 'fringe', 'sky', 'bfk', 'bfKernel', 'defects', 'crosstalk', 'linearizer')";
        Map<String, int[]> perQuantum = new java.util.TreeMap<>();
        try (var db = TestServers.db(); var ps = db.prepareStatement("SELECT q.id::text || ' ' || (q.data_id->>"
                + "'detector') || ' ' || (q.data_id->>'exposure'), coalesce((q.metrics->>'inputsFromCache')::numeric"
                + "::int, -1), (SELECT count(*) FROM quantum_dataset i WHERE i.quantum = q.id AND i.role = 'input'"
                + " AND i.dataset_type IN " + cached + "), (SELECT count(*) FROM quantum_dataset i WHERE i.quantum ="
                + " q.id AND i.role = 'input' AND i.dataset_type IN " + cached + " AND EXISTS (SELECT 1 FROM"
                + " quantum_dataset j JOIN quantum p ON p.id = j.quantum WHERE j.dataset = i.dataset AND j.role ="
                + " 'input' AND p.id <> q.id AND p.worker = q.worker AND p.state = 'done' AND p.finished_at <"
                + " q.started_at)) FROM quantum q WHERE q.cluster = ? AND q.task_label = 'isr' AND q.state = 'done'")) {
            ps.setString(1, cluster);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    perQuantum.put(rs.getString(1), new int[] {rs.getInt(2), rs.getInt(3), rs.getInt(4)});
                }
            }
        }
        StringBuilder table = new StringBuilder();
        int expected = 0;
        for (var e : perQuantum.entrySet()) {
            int[] v = e.getValue();
            table.append(String.format("%n  %s: %d from the cache, %d cacheable, %d read before by this worker",
                    e.getKey(), v[0], v[1], v[2]));
            expected += v[2];
        }
        System.out.println("isr calibrations read from the worker's dataset cache:" + table);
        assertEquals(13, perQuantum.size(), table.toString());
        assertTrue(expected >= 13, "the science ISRs ran after the cpFlatIsr and cpSkyIsr that read their master bias"
                + " (and flat) in the same worker: " + table);
        for (var e : perQuantum.entrySet()) {
            int[] v = e.getValue();
            assertTrue(v[0] >= v[2] && v[0] <= v[1], "isr " + e.getKey() + " read " + v[0] + " calibrations from"
                    + " the worker's dataset cache; " + v[2] + " of its " + v[1] + " had been read by a quantum of"
                    + " the same worker before it started (is the cache off, LOVOCCS_WORKER_CACHE_MAX_GB=0, or"
                    + " the disk under .lovoccs/data/cache/isr below lovoccs.worker.cache.min-free-gb? the isr log says"
                    + " which):" + table);
        }
    }

    /**
     * Per worker, the most of the cluster's isr-service quanta running at the same time, from their start and finish
     * times (both the worker's clock).
     */
    private static Map<String, Integer> mostQuantaAtOnce(String cluster) throws java.sql.SQLException {
        Map<String, List<long[]>> events = new HashMap<>(); // worker: (time in us, +1 start / -1 finish)
        try (var db = TestServers.db(); var ps = db.prepareStatement("SELECT worker, (extract(epoch FROM started_at)"
                + " * 1e6)::bigint, (extract(epoch FROM finished_at) * 1e6)::bigint FROM quantum WHERE cluster = ?"
                + " AND service = 'isr' AND started_at IS NOT NULL AND finished_at IS NOT NULL")) {
            ps.setString(1, cluster);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<long[]> e = events.computeIfAbsent(rs.getString(1), k -> new java.util.ArrayList<>());
                    e.add(new long[] {rs.getLong(2), 1});
                    e.add(new long[] {rs.getLong(3), -1});
                }
            }
        }
        Map<String, Integer> most = new HashMap<>();
        events.forEach((worker, e) -> {
            // a finish and a start at the same microsecond do not overlap: finishes first
            e.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
            int running = 0;
            int max = 0;
            for (long[] x : e) {
                running += (int) x[1];
                max = Math.max(max, running);
            }
            most.put(worker, max);
        });
        return most;
    }

    /** selectVisit quanta done, in every RUN. */
    private static long selectVisitsDone(String cluster) {
        try (var db = TestServers.db(); var ps = db.prepareStatement("SELECT count(*) FROM quantum WHERE cluster = ?"
                + " AND task_label = 'selectVisit' AND state = 'done'")) {
            ps.setString(1, cluster);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first RUN select_visit wrote (before the re-run). */
    private static String firstRun(String cluster) throws java.sql.SQLException {
        try (var db = TestServers.db(); var ps = db.prepareStatement("SELECT min(run) FROM dataset WHERE cluster = ?"
                + " AND dataset_type = 'selectVisitDetectors'")) {
            ps.setString(1, cluster);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** The cluster's TAGGED collections: name to "TYPE visit/detector". */
    private static Map<String, Set<String>> tagged(String cluster) throws java.sql.SQLException {
        Map<String, Set<String>> out = new HashMap<>();
        try (var db = TestServers.db(); var ps = db.prepareStatement("SELECT t.collection, t.dataset_type,"
                + " t.data_id->>'visit', t.data_id->>'detector' FROM tagged_dataset t WHERE t.collection LIKE ?")) {
            ps.setString(1, "DECam/processing/" + cluster + "/%");
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getString(2) + " "
                            + rs.getString(3) + "/" + rs.getString(4));
                }
            }
        }
        return out;
    }

    private static byte[] get(String uri) {
        S3Uri u = S3Uri.parse(uri);
        return TestServers.store().get(u.bucket(), u.key());
    }
}
