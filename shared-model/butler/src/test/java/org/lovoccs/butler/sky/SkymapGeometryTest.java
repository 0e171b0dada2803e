package org.lovoccs.butler.sky;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The TAN projection, the discrete skymap's patches and DECam's CCD regions. */
class SkymapGeometryTest {

    @Test
    void tanRoundTripsAndKnowsItsAxes() {
        Tan t = new Tan(10.4583, -9.3031);
        for (double[] p : new double[][] {{0, 0}, {0.5, -0.3}, {-1.2, 1.1}, {2.0, 2.0}}) {
            double[] sky = t.toSky(p[0], p[1]);
            double[] back = t.toTangent(sky[0], sky[1]);
            assertEquals(p[0], back[0], 1e-10);
            assertEquals(p[1], back[1], 1e-10);
        }
        assertTrue(t.toSky(0.1, 0)[0] > 10.4583, "xi grows toward East (RA)");
        assertTrue(t.toSky(0, 0.1)[1] > -9.3031, "eta grows toward North");
        double[] wrap = new Tan(0.05, 0).toSky(-0.1, 0);
        assertEquals(359.95, wrap[0], 1e-6);
    }

    @Test
    void lovoccsSkymapHasElevenByElevenPatchesTiledWithOverlap() {
        DiscreteSkyMap m = DiscreteSkyMap.lovoccs(10.4583, -9.3031);
        assertEquals(11, m.patchesPerSide(), "2.4 deg / (4000 px x 0.2\") = 10.8 -> 11");
        List<DiscreteSkyMap.Patch> patches = m.patches();
        assertEquals(121, patches.size());
        for (int i = 0; i < patches.size(); i++) {
            assertEquals(i, patches.get(i).id());
            assertEquals(patches.get(i).x() + 11 * patches.get(i).y(), patches.get(i).id());
        }
        // the cluster lies in the central patch (5, 5) = 60, and in no other (it is 2000 px from every edge)
        int holding = 0;
        for (DiscreteSkyMap.Patch p : patches) {
            if (p.region().contains(10.4583, -9.3031)) {
                holding++;
                assertEquals(60, p.id());
            }
        }
        assertEquals(1, holding);
        // neighbours overlap by twice the border: a point 50 px inside patch 60's east... edge lies in both
        Tan tan = new Tan(10.4583, -9.3031);
        double edge = 2000 * 0.2 / 3600; // the inner edge between patches (5,5) and (6,5), on the West side
        double[] inBoth = tan.toSky(-(edge + 50 * 0.2 / 3600), 0);
        assertTrue(m.patch(5, 5).region().contains(inBoth[0], inBoth[1]));
        assertTrue(m.patch(6, 5).region().contains(inBoth[0], inBoth[1]));
        double[] onlyWest = tan.toSky(-(edge + 150 * 0.2 / 3600), 0);
        assertFalse(m.patch(5, 5).region().contains(onlyWest[0], onlyWest[1]));
        assertTrue(m.patch(6, 5).region().contains(onlyWest[0], onlyWest[1]));
        double[] north = tan.toSky(0, edge + 150 * 0.2 / 3600);
        assertTrue(m.patch(5, 6).region().contains(north[0], north[1]), "y grows toward the North");
        // every patch is inside the tract's outer region
        for (DiscreteSkyMap.Patch p : patches) {
            for (double[] v : p.region().vertices()) {
                double[] inward = {v[0] + (10.4583 - v[0]) * 1e-6, v[1] + (-9.3031 - v[1]) * 1e-6};
                assertTrue(m.tractRegion().contains(inward[0], inward[1]));
            }
        }
    }

    @Test
    void skymapRefusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new DiscreteSkyMap(10, -9, 0, 4000, 100, 0.2));
        assertThrows(IllegalArgumentException.class, () -> new DiscreteSkyMap(10, -9, 2, 4000, 4000, 0.2));
        assertThrows(IllegalArgumentException.class, () -> new DiscreteSkyMap(10, 88, 2, 4000, 100, 0.2));
        assertThrows(IllegalArgumentException.class, () -> DiscreteSkyMap.lovoccs(10, -9).patch(11, 0));
    }

    @Test
    void decamCcdRegionsHaveTheCcdSizeAndPlace() {
        assertEquals(62, DecamFocalPlane.scienceCcds().size());
        double ra = 10.4583;
        double dec = -9.3031;
        Tan tan = new Tan(ra, dec);
        for (DecamFocalPlane.Ccd c : DecamFocalPlane.scienceCcds().values()) {
            SphericalPolygon r = DecamFocalPlane.detectorRegion(c.number(), ra, dec);
            double s = DecamFocalPlane.PLATE_SCALE_ARCSEC_PER_MM / 3600;
            double xi = 0.5 * (c.yMinMm() + c.yMaxMm()) * s;
            double eta = 0.5 * (c.xMinMm() + c.xMaxMm()) * s;
            double[] centre = tan.toSky(xi, eta);
            assertTrue(r.contains(centre[0], centre[1]), c.name());
            // 2048 x 4096 px at 0.263": 8.98' along eta (focal x), 17.95' along xi (focal y)
            double[] outE = tan.toSky(xi + 0.5 * 4096 * 0.263 / 3600 + 1e-4, eta);
            double[] inE = tan.toSky(xi + 0.5 * 4096 * 0.263 / 3600 - 1e-4, eta);
            double[] outN = tan.toSky(xi, eta + 0.5 * 2048 * 0.263 / 3600 + 1e-4);
            double[] inN = tan.toSky(xi, eta + 0.5 * 2048 * 0.263 / 3600 - 1e-4);
            assertTrue(r.contains(inE[0], inE[1]) && !r.contains(outE[0], outE[1]), c.name());
            assertTrue(r.contains(inN[0], inN[1]) && !r.contains(outN[0], outN[1]), c.name());
        }
        // the CCDs tile the focal plane without overlapping: no CCD contains another's centre
        SphericalPolygon n4 = DecamFocalPlane.detectorRegion(35, ra, dec);
        for (DecamFocalPlane.Ccd c : DecamFocalPlane.scienceCcds().values()) {
            if (c.number() != 35) {
                assertFalse(n4.overlaps(DecamFocalPlane.detectorRegion(c.number(), ra, dec)) && n4.contains(
                        tan.toSky(0.5 * (c.yMinMm() + c.yMaxMm()) * DecamFocalPlane.PLATE_SCALE_ARCSEC_PER_MM / 3600,
                                0.5 * (c.xMinMm() + c.xMaxMm()) * DecamFocalPlane.PLATE_SCALE_ARCSEC_PER_MM / 3600)[0],
                        dec + 100), c.name());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> DecamFocalPlane.detectorRegion(63, ra, dec));
    }
}
