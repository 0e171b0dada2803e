package org.lovoccs.butler.sky;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The cover never misses a touched pixel (dense sampling), adds only near pixels, and is fast. */
class PixelizationTest {

    /** The pixel bounding circle (BULGE x farthest corner) contains densely sampled pixel boundaries. */
    @Test
    void pixelEdgesStayInsideTheBoundingCircle() {
        Random rnd = new Random(2);
        double worst = 0;
        for (int order = 0; order <= 14; order++) {
            long np = Healpix.npix(order);
            int n = order <= 3 ? (int) np : 3000;
            for (int i = 0; i < n; i++) {
                long p = order <= 3 ? i : Math.floorMod(rnd.nextLong(), np);
                worst = Math.max(worst, bulge(order, p));
            }
        }
        System.out.printf("largest pixel boundary distance / largest corner distance: %.6f (BULGE %.3f)%n", worst,
                Pixelization.BULGE);
        assertTrue(worst * 1.02 < Pixelization.BULGE, "pixel edges bow out by " + worst);
    }

    static double bulge(int order, long pix) {
        double[] c = new double[3];
        double[] corners = new double[12];
        Healpix.pix2vec(order, pix, c);
        Healpix.cornerVecs(order, pix, corners);
        double rc = 0;
        for (int i = 0; i < 4; i++) {
            rc = Math.max(rc, Vec.chordAngle(c, 0, corners, 3 * i));
        }
        int face = (int) (pix >>> (2 * order));
        long in = pix & ((1L << (2 * order)) - 1);
        double inv = 1.0 / (1L << order);
        double x0 = Healpix.compact(in) * inv;
        double y0 = Healpix.compact(in >>> 1) * inv;
        double[] q = new double[3];
        double rb = 0;
        int m = 64;
        for (int k = 0; k <= m; k++) {
            double f = k * inv / m;
            double[][] pts = {{x0 + f, y0}, {x0 + f, y0 + inv}, {x0, y0 + f}, {x0 + inv, y0 + f}};
            for (double[] xy : pts) {
                Healpix.faceToVec(face, xy[0], xy[1], q, 0);
                rb = Math.max(rb, Vec.chordAngle(c, 0, q, 0));
            }
        }
        return rb / rc;
    }

    @Test
    void wholeSphereAndFullyContainedPixels() {
        // a region containing whole pixels expands them to ranges: the cover is sorted and distinct
        SphericalPolygon big = Shapes.rectangle(45, 20, 40, 40, 10);
        long[] p = Pixelization.cover(big, 6);
        for (int i = 1; i < p.length; i++) {
            assertTrue(p[i] > p[i - 1]);
        }
        double area = p.length * Healpix.pixelAreaDeg2(6);
        assertTrue(area > 1600 && area < 2000, "area " + area);
        long[] ranges = Pixelization.coverRanges(big, 6);
        long n = 0;
        for (int i = 0; i < ranges.length; i += 2) {
            n += ranges[i + 1] - ranges[i];
        }
        assertEquals(p.length, n);
        assertTrue(ranges.length / 2 < p.length / 4, "ranges " + ranges.length / 2 + " pixels " + p.length);
        // a small circle in one pixel
        double[] centre = Healpix.pix2ang(10, 123456);
        long[] one = Pixelization.cover(new SphericalCircle(centre[0], centre[1], 1e-4), 10);
        assertArrayEquals(new long[] {123456}, one);
    }

    /** Dense sampling of random regions (CCD- to degree-sized, at poles, RA 0 and the +-41.8 deg transition). */
    @Test
    void neverMissesAPixelAndAddsOnlyNearOnes() {
        Random rnd = new Random(17);
        double[][] kinds = {{10, 0.15, 0.3}, {8, 2, 2}, {8, 0.5, 3}, {5, 10, 6}, {3, 30, 20}, {12, 0.05, 0.02}};
        long extraTotal = 0;
        long total = 0;
        for (double[] kind : kinds) {
            int order = (int) kind[0];
            double sizeRad = Math.toRadians(Healpix.pixelSizeDeg(order));
            for (int i = 0; i < 60; i++) {
                double[] c = Shapes.randomCentre(rnd, kind[1]);
                SphericalPolygon poly = Shapes.rectangle(c[0], c[1], kind[1] * (0.5 + rnd.nextDouble()),
                        kind[2] * (0.5 + rnd.nextDouble()), rnd.nextDouble() * 180);
                long[] cover = Pixelization.cover(poly, order);
                for (double[] q : Shapes.samplesInside(poly, rnd, 4000, 2000)) {
                    long pix = Healpix.vec2pix(order, q[0], q[1], q[2]);
                    assertTrue(Arrays.binarySearch(cover, pix) >= 0, "order " + order + " pixel " + pix
                            + " holds a point of " + poly + " but is not in its cover");
                }
                for (long pix : cover) {
                    double[] pc = Healpix.pix2vec(order, pix);
                    // centre within 2 mean pixel sizes of the region: within about one pixel of it
                    assertTrue(poly.relateCap(pc, 2 * sizeRad) != SkyRegion.Relation.DISJOINT,
                            "order " + order + " pixel " + pix + " is far from " + poly);
                    if (poly.relateCap(pc, 0.5 * sizeRad) == SkyRegion.Relation.DISJOINT) {
                        extraTotal++;
                    }
                }
                total += cover.length;
            }
        }
        System.out.printf("cover: %d pixels, %d (%.1f%%) with centre more than half a pixel outside the region%n",
                total, extraTotal, 100.0 * extraTotal / total);
    }

    /** Timing figures for the report (printed); generous bounds only, the machine is shared. */
    @Test
    void speed() {
        Random rnd = new Random(23);
        int n = 200_000;
        double[] ra = new double[n];
        double[] dec = new double[n];
        for (int i = 0; i < n; i++) {
            double[] p = Shapes.randomPoint(rnd);
            ra[i] = p[0];
            dec[i] = p[1];
        }
        long sink = 0;
        for (int rep = 0; rep < 3; rep++) { // warm-up, then measure the last
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink += Healpix.ang2pix(10, ra[i], dec[i]);
            }
            double ns = (System.nanoTime() - t0) / (double) n;
            if (rep == 2) {
                System.out.printf("ang2pix order 10: %.0f ns per point%n", ns);
                assertTrue(ns < 5000, "ang2pix " + ns + " ns");
            }
        }
        SphericalPolygon[] ccds = new SphericalPolygon[500];
        SphericalPolygon[] wide = new SphericalPolygon[100];
        for (int i = 0; i < ccds.length; i++) {
            double[] c = Shapes.randomPoint(rnd);
            ccds[i] = Shapes.rectangle(c[0], c[1], 9.0 / 60, 18.0 / 60, rnd.nextDouble() * 180); // a DECam CCD
        }
        for (int i = 0; i < wide.length; i++) {
            double[] c = Shapes.randomPoint(rnd);
            wide[i] = Shapes.rectangle(c[0], c[1], 2, 2, rnd.nextDouble() * 90);
        }
        for (int rep = 0; rep < 5; rep++) {
            long t0 = System.nanoTime();
            long pixels = 0;
            for (SphericalPolygon p : ccds) {
                pixels += Pixelization.cover(p, 10).length;
            }
            double usCcd = (System.nanoTime() - t0) / 1e3 / ccds.length;
            double ccdPix = pixels / (double) ccds.length;
            t0 = System.nanoTime();
            pixels = 0;
            for (SphericalPolygon p : wide) {
                pixels += Pixelization.cover(p, 8).length;
            }
            double usWide = (System.nanoTime() - t0) / 1e3 / wide.length;
            if (rep == 4) {
                System.out.printf("cover CCD 9'x18' at order 10: %.1f us, %.1f pixels; 2x2 deg at order 8: %.1f us,"
                        + " %.1f pixels%n", usCcd, ccdPix, usWide, pixels / (double) wide.length);
                assertTrue(usCcd < 1000, "CCD cover " + usCcd + " us");
                assertTrue(usWide < 20000, "2-degree cover " + usWide + " us");
            }
        }
        assertTrue(sink != 42);
    }
}
