package org.lovoccs.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.lovoccs.butler.sky.SphericalPolygon;
import org.lovoccs.imaging.wcs.Gnomonic;
import org.lovoccs.simulator.DecamCamera;
import org.lovoccs.simulator.DecamCcd;
import org.lovoccs.simulator.ObsType;
import org.lovoccs.simulator.campaign.CampaignPlanner;
import org.lovoccs.simulator.campaign.CampaignSpec;
import org.lovoccs.simulator.campaign.PlannedExposure;

/**
 * "Which patches does this visit overlap" through the registry's HEALPix index: the 62 CCD footprints of a
 * simulated visit (true astrometry) and a skymap of 0.12-degree patches are registered, and the indexed query must
 * return exactly the pairs a brute-force exact polygon test finds.
 */
class SpatialOverlapTest {

    @Test
    void visitPatchOverlapsFromTheIndexEqualBruteForce() throws Exception {
        TestServers.requireRunning();
        String tag = Long.toString(System.currentTimeMillis(), 36).toUpperCase();
        String skymap = "test_skymap_" + tag;
        long visit = System.currentTimeMillis() / 1000 % 100_000_000 + 1_000_000_000L;
        double ra0 = 10.4583;
        double dec0 = -9.3031;
        PlannedExposure e = CampaignPlanner.plan(CampaignSpec.builder("OVL", ra0, dec0).bands("r").zerosPerNight(0)
                .flatsPerBandPerNight(0).ditherArcsec(600).visitsPerBandPerNight(2).build()).stream()
                .filter(x -> x.obsType() == ObsType.SCIENCE).reduce((a, b) -> b).orElseThrow();

        List<Map<String, Object>> ccdRegions = new ArrayList<>();
        List<SphericalPolygon> ccdPolygons = new ArrayList<>();
        for (int n = 1; n <= DecamCamera.LAST_SCIENCE_CCD; n++) {
            DecamCcd ccd = DecamCamera.standard().ccd(n);
            double w = DecamCamera.CCD_WIDTH - 0.5;
            double h = DecamCamera.CCD_HEIGHT - 0.5;
            double[][] corners = {e.astrometry().pixelToSky(ccd, -0.5, -0.5), e.astrometry().pixelToSky(ccd, w, -0.5),
                    e.astrometry().pixelToSky(ccd, w, h), e.astrometry().pixelToSky(ccd, -0.5, h)};
            ccdPolygons.add(new SphericalPolygon(corners));
            ccdRegions.add(Map.of("instrument", "DECam", "visit", visit, "detector", n, "region",
                    Map.of("type", "polygon", "vertices", List.of(corners))));
        }
        var regions = TestServers.post("/butler/visit-detector-regions", ccdRegions);
        assertEquals(200, regions.status(), String.valueOf(regions.body()));

        int cells = 20;
        double size = 0.12 * 3600;
        List<Map<String, Object>> patches = new ArrayList<>();
        List<SphericalPolygon> patchPolygons = new ArrayList<>();
        for (int y = 0; y < cells; y++) {
            for (int x = 0; x < cells; x++) {
                double x0 = (x - cells / 2.0) * size;
                double y0 = (y - cells / 2.0) * size;
                double[][] v = {Gnomonic.toSky(ra0, dec0, x0, y0), Gnomonic.toSky(ra0, dec0, x0 + size, y0),
                        Gnomonic.toSky(ra0, dec0, x0 + size, y0 + size), Gnomonic.toSky(ra0, dec0, x0, y0 + size)};
                patchPolygons.add(new SphericalPolygon(v));
                patches.add(Map.of("id", y * cells + x, "cellX", x, "cellY", y, "region",
                        Map.of("type", "polygon", "vertices", List.of(v))));
            }
        }
        double half = cells / 2.0 * size;
        double[][] tractV = {Gnomonic.toSky(ra0, dec0, -half, -half), Gnomonic.toSky(ra0, dec0, half, -half),
                Gnomonic.toSky(ra0, dec0, half, half), Gnomonic.toSky(ra0, dec0, -half, half)};
        var sm = TestServers.post("/butler/skymaps", Map.of("name", skymap, "tracts", List.of(Map.of("id", 0,
                "region", Map.of("type", "polygon", "vertices", List.of(tractV)), "patches", patches))));
        assertEquals(200, sm.status(), String.valueOf(sm.body()));
        assertEquals(cells * cells, sm.body().path("patches").asInt());

        TreeSet<String> expected = new TreeSet<>();
        for (int c = 0; c < ccdPolygons.size(); c++) {
            for (int p = 0; p < patchPolygons.size(); p++) {
                if (ccdPolygons.get(c).overlaps(patchPolygons.get(p))) {
                    expected.add(p + "/" + (c + 1));
                }
            }
        }
        JsonNode found = TestServers.getJson("/butler/overlaps?instrument=DECam&visit=" + visit + "&skymap="
                + skymap);
        TreeSet<String> actual = new TreeSet<>();
        found.forEach(o -> actual.add(o.path("patch").asInt() + "/" + o.path("detector").asInt()));
        assertTrue(expected.size() > 62, "every CCD overlaps at least one patch: " + expected.size());
        assertEquals(expected, actual, "indexed overlaps equal the brute-force polygon test");
        // one detector alone
        JsonNode one = TestServers.getJson("/butler/overlaps?instrument=DECam&visit=" + visit + "&detector=35"
                + "&skymap=" + skymap);
        assertEquals(expected.stream().filter(s -> s.endsWith("/35")).count(), one.size());
        // an unknown visit says so
        assertEquals(404, TestServers.get("/butler/overlaps?visit=1&skymap=" + skymap).status());
    }
}
