package org.lovoccs.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.lovoccs.butler.sky.DecamFocalPlane;
import org.lovoccs.butler.sky.DiscreteSkyMap;
import org.lovoccs.butler.sky.SphericalPolygon;

/**
 * Skymaps and the coadd tasks' quanta through the real registry and CLI: {@code butler register-skymap} and
 * {@code define-visits}, then {@code pipetask qgraph -p DRP-LoVoCCS.yaml#makeWarp,assembleCoadd}. The expected
 * quanta are computed here independently, by testing every registered calexp's CCD polygon against every patch
 * polygon of the same skymap geometry (no pixel index): makeWarp has one quantum per (visit, patch) overlapped by a
 * CCD with a calexp, assembleCoadd one per (patch, band) among those.
 */
class SkymapQuantumGraphTest {

    @Test
    void makeWarpAndAssembleCoaddQuantaFollowTheCcdPatchOverlaps() throws Exception {
        TestServers.requireRunning();
        String tag = Long.toString(System.currentTimeMillis(), 36).toUpperCase();
        String p = "SQG" + tag;
        String skymap = p + "_skymap";
        double ra0 = 150.1;
        double dec0 = 2.2;
        long firstVisit = System.currentTimeMillis() / 1000 % 10_000_000 * 10 + 600_000_000L;

        // a small skymap: 1 deg / (2000 px x 0.5") -> 4 x 4 patches of 0.28 deg with a 50-px border
        TestServers.Cli r = TestServers.lovoccs("butler", "register-skymap", skymap, "--ra", "150.1", "--dec", "2.2",
                "--tract-size-deg", "1", "--patch-size-px", "2000", "--patch-border", "50", "--pixel-scale", "0.5",
                "--collection", p + "/skymaps");
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("16 patches (4x4)"), r.out());
        r = TestServers.lovoccs("butler", "register-skymap", skymap, "--ra", "150.1", "--dec", "2.2");
        assertTrue(r.code() != 0 && r.out().contains("already registered"), r.out());
        r = TestServers.lovoccs("butler", "query-skymaps");
        assertTrue(r.out().contains(skymap) && r.out().contains("DiscreteSkyMap"), r.out());

        // three visits dithered around the centre, g, r, r; a few CCDs each with calexps
        double[][] pointings = {{ra0, dec0}, {ra0 + 0.25, dec0 - 0.1}, {ra0 - 0.2, dec0 + 0.3}};
        String[] bands = {"g", "r", "r"};
        String[] filters = {"g DECam SDSS c0001 4720.0 1520.0", "r DECam SDSS c0002 6415.0 1480.0",
            "r DECam SDSS c0002 6415.0 1480.0"};
        int[][] ccds = {{1, 28, 35, 62}, {10, 31, 32}, {4, 45}};
        List<Map<String, Object>> defs = new ArrayList<>();
        List<Map<String, Object>> calexps = new ArrayList<>();
        List<Map<String, Object>> summaries = new ArrayList<>();
        for (int v = 0; v < 3; v++) {
            long visit = firstVisit + v;
            defs.add(Map.of("visit", visit, "physicalFilter", filters[v], "band", bands[v], "dayObs", 20230301,
                    "ra", pointings[v][0], "dec", pointings[v][1]));
            for (int ccd : ccds[v]) {
                calexps.add(Map.of("dataId", Map.of("instrument", "DECam", "visit", visit, "detector", ccd), "uri",
                        "s3://lovoccs-repo/" + p + "/calexp_" + visit + "_" + ccd + ".fits"));
            }
            summaries.add(Map.of("dataId", Map.of("instrument", "DECam", "visit", visit), "uri",
                    "s3://lovoccs-repo/" + p + "/summary_" + visit + ".fits"));
        }
        var defined = TestServers.post("/butler/define-visits", Map.of("instrument", "DECam", "visits", defs));
        assertEquals(200, defined.status(), String.valueOf(defined.body()));
        assertEquals(3 * 62, defined.body().path("detectorRegions").asInt());
        for (String[] t : new String[][] {{"calexpBackground", "Background"}}) {
            TestServers.post("/butler/dataset-types", Map.of("name", t[0], "storageClass", t[1], "dimensions",
                    List.of("instrument", "visit", "detector")));
        }
        TestServers.post("/butler/dataset-types", Map.of("name", "finalVisitSummary", "storageClass",
                "ExposureCatalog", "dimensions", List.of("instrument", "visit")));
        for (String type : new String[] {"calexp", "calexpBackground"}) {
            var reg = TestServers.post("/butler/register-datasets", Map.of("datasetType", type, "run", p + "/calexp",
                    "datasets", calexps));
            assertEquals(200, reg.status(), String.valueOf(reg.body()));
        }
        assertEquals(200, TestServers.post("/butler/register-datasets", Map.of("datasetType", "finalVisitSummary",
                "run", p + "/calexp", "datasets", summaries)).status());

        // the independent expectation: every calexp CCD against every patch, exact polygons only
        DiscreteSkyMap map = new DiscreteSkyMap(ra0, dec0, 1, 2000, 50, 0.5);
        Set<String> warps = new TreeSet<>();
        Set<String> coadds = new TreeSet<>();
        for (int v = 0; v < 3; v++) {
            for (int ccd : ccds[v]) {
                SphericalPolygon region = DecamFocalPlane.detectorRegion(ccd, pointings[v][0], pointings[v][1]);
                for (DiscreteSkyMap.Patch patch : map.patches()) {
                    if (patch.region().overlaps(region)) {
                        warps.add(v + "/" + patch.id());
                        coadds.add(bands[v] + "/" + patch.id());
                    }
                }
            }
        }
        assertTrue(warps.size() >= 6 && coadds.size() > 4, "the geometry should give several quanta: " + warps);

        String pipeline = Path.of("..", "pipelines", "DRP-LoVoCCS.yaml").toAbsolutePath().normalize()
                + "#makeWarp,assembleCoadd";
        String where = "instrument = 'DECam' AND visit IN (" + firstVisit + ".." + (firstVisit + 2) + ")";
        r = TestServers.lovoccs("pipetask", "qgraph", "-p", pipeline, "-i", p + "/calexp," + p + "/skymaps", "-o",
                p + "/out", "-d", where);
        assertEquals(0, r.code(), r.out());
        assertEquals(warps.size(), quanta(r.out(), "makeWarp"), r.out() + "\nexpected " + warps);
        assertEquals(coadds.size(), quanta(r.out(), "assembleCoadd"), r.out() + "\nexpected " + coadds);

        // without the skymap's collection the graph cannot be planned, and the message says what to do
        r = TestServers.lovoccs("pipetask", "qgraph", "-p", pipeline, "-i", p + "/calexp", "-o", p + "/out2", "-d",
                where);
        assertTrue(r.code() != 0 && r.out().contains("no skyMap dataset") && r.out().contains("register-skymap"),
                r.out());
    }

    private static int quanta(String out, String task) {
        Matcher m = Pattern.compile("(?m)^\\s*(\\d+)\\s+" + task + "\\s*$").matcher(out);
        assertTrue(m.find(), "no row for " + task + " in:\n" + out);
        return Integer.parseInt(m.group(1));
    }
}
