package org.lovoccs.butler.sky;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class HtmTest {

    /**
     * An id published for libtinyhtm (the HTM library of sphgeom's author, same numbering) in the pynyhtm README:
     * SphericalCoordinate(10.1234, -20.1234), which is (latitude, longitude), i.e. Dec 10.1234 and RA -20.1234, at
     * level 14. Its path (root N0, then children 0 3 1 2 2 2 1 1 1 0 1 1 3 2) uses every child number, so it pins
     * the root order and the child numbering. (The README's other example, the direction (0.1, 0.2, 0.3), lies
     * exactly on triangle edges from level 1 on, so its id depends on how ties are broken; it is not used.)
     */
    @Test
    void publishedId() {
        assertEquals(3278525534L, Htm.index(360 - 20.1234, 10.1234, 14));
        assertEquals(3278525534L >> 14, Htm.index(360 - 20.1234, 10.1234, 7), "its level-7 ancestor");
    }

    @Test
    void rootTrianglesFollowTheAxes() {
        assertEquals(15, Htm.index(45, 45, 0), "N3 lies between +x, +y and the north pole");
        assertEquals(12, Htm.index(315, 45, 0), "N0 between +x, -y and the north pole");
        assertEquals(8, Htm.index(45, -45, 0), "S0 between +x, +y and the south pole");
        assertEquals(11, Htm.index(315, -45, 0), "S3 between -y, +x and the south pole");
    }

    @Test
    void everyPointLiesInItsTriangleAndItsAncestors() {
        Random rnd = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            double ra = rnd.nextDouble() * 360;
            double dec = Math.toDegrees(Math.asin(2 * rnd.nextDouble() - 1));
            long id = Htm.index(ra, dec, Htm.REFCAT_LEVEL);
            assertTrue(id >= 8L << 14 && id < 16L << 14, "level-7 ids run from 131072 to 262143: " + id);
            assertEquals(7, Htm.level(id));
            double[][] t = Htm.triangle(id);
            double[] p = Htm.unit(ra, dec);
            // within rounding of the three edge planes
            for (int e = 0; e < 3; e++) {
                double side = Vec.dot(Vec.cross(t[e], t[(e + 1) % 3]), p);
                assertTrue(side > -1e-12, "(" + ra + ", " + dec + ") outside edge " + e + " of " + id + ": " + side);
            }
            assertEquals(id >> 2, Htm.index(ra, dec, 6), "the level-6 parent is id / 4");
        }
    }

    @Test
    void level7TrianglesAreAboutHalfADegree() {
        double[][] t = Htm.triangle(Htm.index(10.4583, -9.3031, 7));
        double side = Math.toDegrees(Vec.angle(t[0], t[1]));
        assertTrue(side > 0.3 && side < 1.0, "level-7 edge " + side + " deg");
    }

    @Test
    void coverHoldsEveryPointOfTheCircle() {
        Random rnd = new Random(11);
        for (int c = 0; c < 40; c++) {
            double ra = rnd.nextDouble() * 360;
            double dec = Math.toDegrees(Math.asin(2 * rnd.nextDouble() - 1));
            double radius = 0.05 + rnd.nextDouble() * 2;
            long[] cover = Htm.cover(ra, dec, radius, 7);
            SphericalCircle circle = new SphericalCircle(ra, dec, radius);
            for (int i = 0; i < 2000; i++) {
                // points in the circle's bounding box, kept when inside
                double pr = ra + (rnd.nextDouble() * 2 - 1) * radius / Math.max(0.05, Math.cos(Math.toRadians(dec)));
                double pd = Math.max(-90, Math.min(90, dec + (rnd.nextDouble() * 2 - 1) * radius));
                pr = ((pr % 360) + 360) % 360;
                if (!circle.contains(pr, pd)) {
                    continue;
                }
                long id = Htm.index(pr, pd, 7);
                assertTrue(Arrays.binarySearch(cover, id) >= 0, "(" + pr + ", " + pd + ") in the circle around ("
                        + ra + ", " + dec + ") r " + radius + " is in " + id + ", not in the cover " + Arrays.toString(cover));
            }
            // and the cover is not the whole sky: a few triangles per square degree at level 7
            assertTrue(cover.length < 50 + 30 * Math.PI * radius * radius * 4, cover.length + " triangles for r " + radius);
        }
    }

    @Test
    void badIdsAndLevelsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Htm.level(7));
        assertThrows(IllegalArgumentException.class, () -> Htm.level(4));
        assertThrows(IllegalArgumentException.class, () -> Htm.index(0, 0, 25));
    }
}
