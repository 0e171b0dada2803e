package org.lovoccs.butler.sky;

import java.util.Arrays;

/**
 * Covers sky regions with HEALPix NESTED pixels at a fixed order, for the registry's spatial index: each region is
 * stored with the pixels it touches; two regions can only overlap if they share a pixel.
 *
 * <p>{@link #cover} is conservative: it never misses a pixel that intersects the region, and it may add a few pixels
 * that only come close to it (within about one pixel). It works top-down from the 12 base pixels and descends only
 * into pixels whose bounding circle meets the region; pixels whose bounding circle lies wholly inside the region are
 * expanded to their range of descendants without further tests.
 *
 * <p>Each pixel's bounding circle is centred on the pixel centre with a radius {@link #BULGE} times the largest
 * centre-to-corner angle: HEALPix pixel edges are not great circles and may bow outwards a little past the chord
 * between corners (the tests measure the bow on dense samples of pixel boundaries).
 */
public final class Pixelization {

    /**
     * Factor on the centre-to-corner radius that bounds the whole pixel, edges included. On dense samples of the
     * boundaries of every pixel of orders 0-3 and random pixels of orders 4-14 the farthest boundary point is a
     * corner (ratio 1.000000, see PixelizationTest); 1.05 is a safety margin that costs a few extra pixels.
     */
    static final double BULGE = 1.05;

    private Pixelization() {
    }

    /** The sorted NESTED pixels at {@code order} that the polygon touches (see {@link #cover(SkyRegion, int)}). */
    public static long[] cover(SphericalPolygon region, int order) {
        return cover((SkyRegion) region, order);
    }

    /**
     * The sorted, distinct NESTED pixels at {@code order} (0..29) that the region touches: every pixel that shares a
     * point with the region is present; a pixel that does not may be present if it lies within about one pixel
     * size of the region.
     */
    public static long[] cover(SkyRegion region, int order) {
        Healpix.checkOrder(order);
        if (region == null) {
            throw new IllegalArgumentException("cover: region is null");
        }
        Walk w = new Walk(region, order);
        for (int face = 0; face < 12; face++) {
            w.visit(0, face);
        }
        return Arrays.copyOf(w.out, w.size);
    }

    /**
     * The pixels of {@link #cover} as half-open ranges [start, end) of consecutive indices, flattened into
     * {start0, end0, start1, end1, ...}: the compact form for large regions.
     */
    public static long[] coverRanges(SkyRegion region, int order) {
        long[] p = cover(region, order);
        long[] r = new long[2 * p.length];
        int k = 0;
        for (int i = 0; i < p.length; i++) {
            if (k > 0 && r[k - 1] == p[i]) {
                r[k - 1]++;
            } else {
                r[k++] = p[i];
                r[k++] = p[i] + 1;
            }
        }
        return Arrays.copyOf(r, k);
    }

    /** The depth-first walk; children are visited in index order, so the output comes out sorted. */
    private static final class Walk {
        final SkyRegion region;
        final int order;
        final double[] bc;
        final double bcCos;
        final double bcR;
        final double[] centre = new double[3];
        final double[] corners = new double[12];
        long[] out = new long[64];
        int size;

        Walk(SkyRegion region, int order) {
            this.region = region;
            this.order = order;
            SphericalCircle b = region.boundingCircle();
            this.bc = b.centerVec();
            this.bcR = b.radiusRad();
            this.bcCos = Math.cos(bcR);
        }

        void visit(int k, long pix) {
            Healpix.pix2vec(k, pix, centre);
            Healpix.cornerVecs(k, pix, corners);
            double rmax = 0;
            for (int i = 0; i < 4; i++) {
                rmax = Math.max(rmax, Vec.chordAngle(centre, 0, corners, 3 * i));
            }
            double radius = rmax * BULGE + 1e-15;
            // quick rejection against the region's bounding circle
            double sumR = radius + bcR;
            if (sumR < Math.PI && Vec.dot(centre, bc) < Math.cos(sumR) - 1e-15) {
                return;
            }
            SkyRegion.Relation rel = region.relateCap(centre, radius);
            if (rel == SkyRegion.Relation.DISJOINT) {
                return;
            }
            if (k == order) {
                add(pix, pix + 1);
                return;
            }
            if (rel == SkyRegion.Relation.CONTAINS_CAP) {
                long first = Healpix.firstChild(pix, k, order);
                add(first, first + (1L << (2 * (order - k))));
                return;
            }
            long c0 = pix << 2;
            for (int c = 0; c < 4; c++) {
                visit(k + 1, c0 + c);
            }
        }

        void add(long from, long to) {
            long n = to - from;
            if (size + n > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("cover: region needs more than 2^31 pixels at order " + order
                        + "; use a coarser order");
            }
            if (size + n > out.length) {
                out = Arrays.copyOf(out, (int) Math.max(out.length * 2L, size + n));
            }
            for (long p = from; p < to; p++) {
                out[size++] = p;
            }
        }
    }
}
