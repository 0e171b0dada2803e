package org.lovoccs.butler.sky;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Pure tests of the NESTED scheme: sizes, hierarchy, round trips, continuity; healpy checks are in HealpixPeerTest. */
class HealpixTest {

    @Test
    void sizes() {
        assertEquals(12, Healpix.npix(0));
        assertEquals(48, Healpix.npix(1));
        assertEquals(12L * 1024 * 1024, Healpix.npix(10));
        assertEquals(12L << 58, Healpix.npix(29));
        assertEquals(1L << 29, Healpix.nside(29));
        // mean pixel size sqrt(4 pi sr / npix): 58.63 deg at order 0, 3.44' at order 10
        assertEquals(58.6323, Healpix.pixelSizeDeg(0), 1e-4);
        assertEquals(3.4354, Healpix.pixelSizeDeg(10) * 60, 1e-4);
        assertEquals(4 * Math.PI * Math.pow(180 / Math.PI, 2), Healpix.pixelAreaDeg2(7) * Healpix.npix(7), 1e-6);
    }

    @Test
    void argumentsAreValidatedWithTheirRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Healpix.npix(30));
        assertTrue(e.getMessage().contains("0..29"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Healpix.ang2pix(-1, 0, 0));
        assertTrue(e.getMessage().contains("0..29"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Healpix.ang2pix(5, 10, 90.5));
        assertTrue(e.getMessage().contains("-90..90"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Healpix.ang2pix(5, Double.NaN, 0));
        assertTrue(e.getMessage().contains("finite"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Healpix.pix2ang(2, 192));
        assertTrue(e.getMessage().contains("0..191"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Healpix.corners(2, -1));
        assertTrue(e.getMessage().contains("0..191"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Healpix.parent(5, 1, 2));
        assertTrue(e.getMessage().contains("0..1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Healpix.children(5, 1, 0));
        assertTrue(e.getMessage().contains("1..11"), e.getMessage());
    }

    @Test
    void hierarchy() {
        assertArrayEquals(new long[] {20, 21, 22, 23}, Healpix.children(5, 3, 4));
        assertEquals(64, Healpix.children(5, 3, 6).length);
        assertEquals(5 * 64, Healpix.children(5, 3, 6)[0]);
        assertEquals(5, Healpix.parent(23, 4, 3));
        assertEquals(11, Healpix.parent(Healpix.npix(29) - 1, 29, 0));
        Random rnd = new Random(7);
        for (int i = 0; i < 2000; i++) {
            double ra = rnd.nextDouble() * 360;
            double dec = Math.toDegrees(Math.asin(2 * rnd.nextDouble() - 1));
            long fine = Healpix.ang2pix(20, ra, dec);
            for (int k = 0; k < 20; k++) {
                assertEquals(Healpix.ang2pix(k, ra, dec), Healpix.parent(fine, 20, k),
                        "parent at order " + k + " of (" + ra + ", " + dec + ")");
            }
        }
    }

    @Test
    void bitInterleavingRoundTrips() {
        Random rnd = new Random(1);
        for (int i = 0; i < 10000; i++) {
            long x = rnd.nextInt() & 0x1FFFFFFFL;
            assertEquals(x, Healpix.compact(Healpix.spread(x)));
            assertEquals(x, Healpix.compact(Healpix.spread(x) << 1 >>> 1));
        }
    }

    @Test
    void pixelCentresRoundTrip() {
        Random rnd = new Random(42);
        for (int order = 0; order <= 29; order++) {
            long np = Healpix.npix(order);
            for (int i = 0; i < 3000; i++) {
                long p = i < 12 ? i * (np / 12) + (i % 3 == 0 ? 0 : np / 12 - 1) : Math.floorMod(rnd.nextLong(), np);
                double[] c = Healpix.pix2ang(order, p);
                assertEquals(p, Healpix.ang2pix(order, c[0], c[1]), "order " + order + " pixel " + p);
                double[] v = Healpix.pix2vec(order, p);
                assertEquals(p, Healpix.vec2pix(order, v[0], v[1], v[2]), "vec order " + order + " pixel " + p);
            }
        }
    }

    @Test
    void everyPixelAtLowOrdersRoundTripsAndCornersSurroundTheCentre() {
        for (int order = 0; order <= 5; order++) {
            double size = Healpix.pixelSizeDeg(order);
            for (long p = 0; p < Healpix.npix(order); p++) {
                double[] c = Healpix.pix2ang(order, p);
                assertEquals(p, Healpix.ang2pix(order, c[0], c[1]));
                // a point 1% of the way from the centre to each corner is still in the pixel
                for (double[] corner : Healpix.corners(order, p)) {
                    double[] a = Healpix.raDecToVec(c[0], c[1]);
                    double[] b = Healpix.raDecToVec(corner[0], corner[1]);
                    double d = Math.toDegrees(Vec.angle(a, b));
                    assertTrue(d < 1.5 * size, "corner distance " + d + " vs size " + size);
                    double[] m = {0.99 * a[0] + 0.01 * b[0], 0.99 * a[1] + 0.01 * b[1], 0.99 * a[2] + 0.01 * b[2]};
                    assertEquals(p, Healpix.vec2pix(order, m[0], m[1], m[2]));
                }
            }
        }
    }

    @Test
    void raWrapsAndPolesAreOnePixel() {
        for (int order : new int[] {0, 3, 10, 29}) {
            assertEquals(Healpix.ang2pix(order, 0, 12.3), Healpix.ang2pix(order, 360, 12.3));
            assertEquals(Healpix.ang2pix(order, 10, -33), Healpix.ang2pix(order, -350, -33));
            assertEquals(Healpix.ang2pix(order, 10, -33), Healpix.ang2pix(order, 730, -33));
            // poles: the northern pole is the last pixel of face 0..3 (the corner), whatever the RA
            long north = Healpix.ang2pix(order, 0, 90);
            assertEquals(Healpix.nside(order) * Healpix.nside(order) - 1, north);
            long south = Healpix.ang2pix(order, 0, -90);
            assertEquals(8 * Healpix.nside(order) * Healpix.nside(order), south);
        }
    }

    /** Points a small step apart fall in the same pixel or in pixels that share at least one corner. */
    @Test
    void neighbouringPointsMapToTheSameOrAdjacentPixels() {
        Random rnd = new Random(3);
        int adjacentPairs = 0;
        for (int order : new int[] {0, 1, 4, 8, 10, 14, 20}) {
            double step = Healpix.pixelSizeDeg(order) * 0.05;
            for (int i = 0; i < 4000; i++) {
                double ra = rnd.nextDouble() * 360;
                double dec = i % 10 == 0 ? 90 - rnd.nextDouble() * 3 * step // near the poles
                        : Math.toDegrees(Math.asin(2 * rnd.nextDouble() - 1));
                double[] a = Healpix.raDecToVec(ra, dec);
                double[] dir = {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
                double[] t = Vec.cross(a, dir);
                t = Vec.scale(t, Math.toRadians(step) / Vec.norm(t));
                double[] b = {a[0] + t[0], a[1] + t[1], a[2] + t[2]};
                long pa = Healpix.vec2pix(order, a[0], a[1], a[2]);
                long pb = Healpix.vec2pix(order, b[0], b[1], b[2]);
                if (pa != pb) {
                    adjacentPairs++;
                    assertTrue(shareCorner(order, pa, pb), "order " + order + ": pixels " + pa + " and " + pb
                            + " of points " + step + " deg apart near (" + ra + ", " + dec + ") are not adjacent");
                }
            }
        }
        assertTrue(adjacentPairs > 500, "too few boundary crossings tested: " + adjacentPairs);
    }

    static boolean shareCorner(int order, long p, long q) {
        double[] a = new double[12];
        double[] b = new double[12];
        Healpix.cornerVecs(order, p, a);
        Healpix.cornerVecs(order, q, b);
        double tol = Math.max(1e-6 * Math.toRadians(Healpix.pixelSizeDeg(order)), 1e-13);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                if (Vec.chordAngle(a, 3 * i, b, 3 * j) < tol) {
                    return true;
                }
            }
        }
        return false;
    }
}
