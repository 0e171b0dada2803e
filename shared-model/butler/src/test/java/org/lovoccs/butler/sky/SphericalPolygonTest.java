package org.lovoccs.butler.sky;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Containment, exact overlap, bounding circles, cap relations and the JSON form of regions. */
class SphericalPolygonTest {

    static final SphericalPolygon SQUARE = SphericalPolygon.ofRaDec(9, -1, 11, -1, 11, 1, 9, 1);

    @Test
    void containsAndWinding() {
        assertTrue(SQUARE.contains(10, 0));
        assertTrue(SQUARE.contains(9, 0)); // on an edge
        assertTrue(SQUARE.contains(11, 1)); // a vertex
        assertFalse(SQUARE.contains(11.001, 0));
        assertFalse(SQUARE.contains(190, 0)); // the antipode
        SphericalPolygon reversed = SphericalPolygon.ofRaDec(9, 1, 11, 1, 11, -1, 9, -1);
        assertTrue(reversed.contains(10, 0));
        assertFalse(reversed.contains(190, 0));
        assertEquals(4, reversed.size());
    }

    @Test
    void raWrapAndPoles() {
        SphericalPolygon wrap = SphericalPolygon.ofRaDec(359, -1, 1, -1, 1, 1, -1, 1);
        assertTrue(wrap.contains(0, 0));
        assertTrue(wrap.contains(359.5, 0.5));
        assertTrue(wrap.contains(360, 0));
        assertFalse(wrap.contains(180, 0));
        assertEquals(359.0, wrap.vertices()[3][0], 1e-12); // RA stored in [0, 360)
        SphericalPolygon cap = SphericalPolygon.ofRaDec(0, 89, 90, 89, 180, 89, 270, 89);
        assertTrue(cap.contains(123, 90));
        assertTrue(cap.contains(45, 89.3)); // the edges bow poleward: 89.29 at RA 45
        assertFalse(cap.contains(45, 89.28));
        assertTrue(cap.contains(0, 89.0));
    }

    @Test
    void invalidPolygonsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> SphericalPolygon.ofRaDec(0, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> SphericalPolygon.ofRaDec(0, 0, 1, 0, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> SphericalPolygon.ofRaDec(0, 0, 0, 0, 1, 1));
        // an arrow head: not convex
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SphericalPolygon.ofRaDec(0, 0, 2, 1, 0, 2, 1, 1));
        assertTrue(e.getMessage().contains("convex"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SphericalPolygon.ofRaDec(0, 0, 1, 0, 1, 91));
        assertTrue(e.getMessage().contains("-90..90"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SphericalCircle(0, 0, 90));
        assertTrue(e.getMessage().contains("90"), e.getMessage());
    }

    @Test
    void overlapsExactly() {
        assertTrue(SQUARE.overlaps(SphericalPolygon.ofRaDec(10, 0, 12, 0, 12, 2, 10, 2))); // corners inside
        assertFalse(SQUARE.overlaps(SphericalPolygon.ofRaDec(11.01, 0, 12, 0, 12, 2, 11.01, 2)));
        assertTrue(SQUARE.overlaps(SphericalPolygon.ofRaDec(9.5, -0.5, 10.5, -0.5, 10.5, 0.5))); // inside
        assertTrue(SphericalPolygon.ofRaDec(9.5, -0.5, 10.5, -0.5, 10.5, 0.5).overlaps(SQUARE));
        // a plus sign: no vertex of either is inside the other, only edges cross
        SphericalPolygon tall = SphericalPolygon.ofRaDec(9.9, -3, 10.1, -3, 10.1, 3, 9.9, 3);
        assertTrue(SQUARE.overlaps(tall));
        assertTrue(tall.overlaps(SQUARE));
        // the same shape on the far side of the sphere: every great circle still crosses, the arcs do not
        SphericalPolygon antipodalTall = SphericalPolygon.ofRaDec(189.9, 3, 190.1, 3, 190.1, -3, 189.9, -3);
        assertFalse(SQUARE.overlaps(antipodalTall));
        double[] a = Healpix.raDecToVec(9, 0);
        double[] b = Healpix.raDecToVec(11, 0);
        assertTrue(SphericalPolygon.arcsCross(a, b, Healpix.raDecToVec(10, -1), Healpix.raDecToVec(10, 1)));
        assertTrue(SphericalPolygon.arcsCross(a, b, Healpix.raDecToVec(10, 1), Healpix.raDecToVec(10, -1)));
        assertFalse(SphericalPolygon.arcsCross(a, b, Healpix.raDecToVec(190, -1), Healpix.raDecToVec(190, 1)));
        assertFalse(SphericalPolygon.arcsCross(a, b, Healpix.raDecToVec(190, 1), Healpix.raDecToVec(190, -1)));
        // circles
        SphericalCircle c = new SphericalCircle(12, 0, 1.01);
        assertTrue(c.overlaps(SQUARE));
        assertTrue(SQUARE.overlaps(c));
        assertFalse(new SphericalCircle(12, 0, 0.99).overlaps(SQUARE));
        assertTrue(new SphericalCircle(12, 2, 1.42).overlaps(SQUARE)); // reaches the corner (11, 1)
        assertFalse(new SphericalCircle(12, 2, 1.40).overlaps(SQUARE));
    }

    /** overlaps agrees with dense sampling on random pairs of rotated rectangles (and with itself swapped). */
    @Test
    void overlapsAgreesWithSampling() {
        Random rnd = new Random(11);
        int yes = 0;
        int no = 0;
        for (int i = 0; i < 400; i++) {
            double[] c = Shapes.randomCentre(rnd, 2);
            SphericalPolygon a = Shapes.rectangle(c[0], c[1], 0.2 + rnd.nextDouble() * 2, 0.05 + rnd.nextDouble(),
                    rnd.nextDouble() * 180);
            double[] c2 = Healpix.vecToRaDec(Shapes.randomVecNear(rnd, Healpix.raDecToVec(c[0], c[1]), 2.5));
            SphericalPolygon b = Shapes.rectangle(c2[0], c2[1], 0.2 + rnd.nextDouble() * 2, 0.05 + rnd.nextDouble(),
                    rnd.nextDouble() * 180);
            boolean ov = a.overlaps(b);
            assertEquals(ov, b.overlaps(a));
            boolean sampled = false;
            for (double[] p : Shapes.samplesInside(a, rnd, 3000, 400)) {
                if (b.containsVec(p)) {
                    sampled = true;
                    break;
                }
            }
            if (sampled) {
                assertTrue(ov, "sampling finds a shared point but overlaps says no: " + a + " " + b);
                yes++;
            } else if (ov) {
                // thin overlaps that sampling misses must at least have crossing edges or shared vertices
                yes++;
            } else {
                no++;
            }
        }
        assertTrue(yes > 50 && no > 50, "yes " + yes + " no " + no);
    }

    @Test
    void boundingCircleAndCapRelationsAgreeWithSampling() {
        Random rnd = new Random(5);
        for (int i = 0; i < 300; i++) {
            double[] c = Shapes.randomCentre(rnd, 3);
            SphericalPolygon poly = Shapes.rectangle(c[0], c[1], 0.1 + rnd.nextDouble() * 4, 0.1 + rnd.nextDouble()
                    * 3, rnd.nextDouble() * 180);
            SphericalCircle bc = poly.boundingCircle();
            for (double[] v : poly.vertices()) {
                assertTrue(bc.contains(v[0], v[1]));
            }
            double[][] inside = Shapes.samplesInside(poly, rnd, 500, 50);
            for (double[] p : inside) {
                assertTrue(Vec.angle(p, bc.centerVec()) <= bc.radiusRad() + 1e-15);
            }
            // random caps near the polygon: DISJOINT must share no sampled point, CONTAINS_CAP must have all its
            // sampled points inside
            for (int j = 0; j < 20; j++) {
                double[] cc = Shapes.randomVecNear(rnd, bc.centerVec(), bc.radiusDeg() * 1.5);
                double r = Math.toRadians(rnd.nextDouble() * bc.radiusDeg() * 0.6);
                SkyRegion.Relation rel = poly.relateCap(cc, r);
                if (rel == SkyRegion.Relation.DISJOINT) {
                    for (double[] p : inside) {
                        assertTrue(Vec.angle(p, cc) > r - 1e-12, "DISJOINT cap contains a polygon point");
                    }
                } else if (rel == SkyRegion.Relation.CONTAINS_CAP) {
                    for (int k = 0; k < 200; k++) {
                        double[] q = Shapes.randomVecNear(rnd, cc, Math.toDegrees(r));
                        assertTrue(poly.containsVec(q), "CONTAINS_CAP but a cap point is outside");
                    }
                } else {
                    // INTERSECTS: the cap really reaches the polygon (exact test for caps)
                    boolean reach = poly.containsVec(cc);
                    double[][] v = poly.vertices();
                    for (int e = 0; e < v.length && !reach; e++) {
                        double[] a = Healpix.raDecToVec(v[e][0], v[e][1]);
                        double[] b = Healpix.raDecToVec(v[(e + 1) % v.length][0], v[(e + 1) % v.length][1]);
                        for (int s = 0; s <= 2000 && !reach; s++) {
                            double f = s / 2000.0;
                            double[] p = {a[0] * (1 - f) + b[0] * f, a[1] * (1 - f) + b[1] * f,
                                a[2] * (1 - f) + b[2] * f};
                            reach = Vec.angle(Vec.scale(p, 1 / Vec.norm(p)), cc) <= r + 1e-3 * Math.toRadians(
                                    bc.radiusDeg());
                        }
                    }
                    assertTrue(reach, "INTERSECTS but the cap does not reach the polygon");
                }
            }
        }
    }

    @Test
    void jsonRoundTrips() {
        Random rnd = new Random(9);
        for (int i = 0; i < 200; i++) {
            double[] c = Shapes.randomCentre(rnd, 1);
            SphericalPolygon p = Shapes.rectangle(c[0], c[1], rnd.nextDouble() + 0.01, rnd.nextDouble() + 0.01,
                    rnd.nextDouble() * 90);
            String json = p.toJson();
            assertEquals(p, SphericalPolygon.fromJson(json));
            assertEquals(p, SkyRegion.fromJson(json));
            assertEquals(p.hashCode(), SphericalPolygon.fromJson(json).hashCode());
        }
        assertEquals("{\"type\":\"polygon\",\"vertices\":[[9,-1],[11,-1],[11,1],[9,1]]}", SQUARE.toJson());
        SphericalPolygon spaced = SphericalPolygon.fromJson(
                " { \"vertices\" : [ [9, -1.0], [11,-1], [ 11, 1 ],[9,1e0] ], \"type\": \"polygon\" } ");
        assertEquals(SQUARE, spaced);
        SphericalCircle circle = new SphericalCircle(359.25, -41.5, 0.125);
        assertEquals("{\"type\":\"circle\",\"center\":[359.25,-41.5],\"radius\":0.125}", circle.toJson());
        assertEquals(circle, SkyRegion.fromJson(circle.toJson()));
        assertEquals(circle, SphericalCircle.fromJson(circle.toJson()));
        assertThrows(IllegalArgumentException.class, () -> SkyRegion.fromJson("{\"type\":\"box\"}"));
        assertThrows(IllegalArgumentException.class, () -> SkyRegion.fromJson("{\"type\":\"polygon\"}"));
        assertThrows(IllegalArgumentException.class, () -> SkyRegion.fromJson("[1,2]"));
        assertThrows(IllegalArgumentException.class, () -> SkyRegion.fromJson("{\"type\":\"circle\",\"center\""));
        assertThrows(IllegalArgumentException.class, () -> SphericalPolygon.fromJson(circle.toJson()));
    }
}
