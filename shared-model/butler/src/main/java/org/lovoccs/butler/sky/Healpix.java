package org.lovoccs.butler.sky;

/**
 * The HEALPix pixelization of the sphere in the NESTED numbering scheme (Gorski et al. 2005, ApJ 622, 759).
 *
 * <p>At order {@code k} (0..29) the sphere is cut into {@code 12 * 4^k} pixels of equal area, {@code nside = 2^k}
 * pixels along each side of the 12 base pixels ("faces"). In the NESTED scheme the pixel index is
 * {@code face * nside^2 + interleave(ix, iy)} where {@code (ix, iy)} are the pixel's coordinates inside its face, so
 * the four children of pixel {@code p} at order {@code k} are {@code 4p .. 4p+3} at order {@code k+1} and the parent
 * is {@code p >> 2}. Every pixel of order {@code k} is thus a contiguous range of pixels at any finer order, which is
 * what makes a btree index on pixel numbers useful for overlap queries.
 *
 * <p>Angles are RA/Dec in degrees (RA is wrapped into [0, 360); Dec must lie in [-90, 90]). HEALPix colatitude
 * {@code theta = 90 - Dec} and longitude {@code phi = RA}. The arithmetic of {@link #ang2pix} mirrors the reference
 * implementation's, so that points are assigned to the same pixel as healpy's {@code ang2pix(..., nest=True,
 * lonlat=True)} (checked by the tests).
 *
 * <p>All methods are static, thread-safe and allocation-light.
 */
public final class Healpix {

    /** The largest supported order: nside = 2^29, pixel indices need 62 bits. */
    public static final int MAX_ORDER = 29;

    private static final double TWO_THIRDS = 2.0 / 3.0;
    private static final double HALF_PI = Math.PI / 2;
    private static final double INV_HALF_PI = 2.0 / Math.PI;
    /** Ring of each base pixel's southern corner, in units of nside (0 = north pole, 4 = south pole). */
    private static final int[] FACE_RING = {2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4};
    /** Longitude of each face's centre in units of pi/4. */
    private static final int[] FACE_PHI = {1, 3, 5, 7, 0, 2, 4, 6, 1, 3, 5, 7};

    private Healpix() {
    }

    // ------------------------------------------------------------------ argument checks

    static void checkOrder(int order) {
        if (order < 0 || order > MAX_ORDER) {
            throw new IllegalArgumentException("HEALPix order " + order + " is out of range: valid orders are 0.."
                    + MAX_ORDER);
        }
    }

    static void checkPixel(int order, long pix) {
        checkOrder(order);
        long n = npix(order);
        if (pix < 0 || pix >= n) {
            throw new IllegalArgumentException("HEALPix pixel " + pix + " is out of range at order " + order
                    + ": valid pixels are 0.." + (n - 1));
        }
    }

    static void checkAngles(double raDeg, double decDeg) {
        if (!Double.isFinite(raDeg)) {
            throw new IllegalArgumentException("RA " + raDeg + " is not a finite number of degrees");
        }
        if (!(decDeg >= -90.0 && decDeg <= 90.0)) {
            throw new IllegalArgumentException("Dec " + decDeg + " is out of range: valid Dec is -90..90 degrees");
        }
    }

    // ------------------------------------------------------------------ sizes

    /** {@code 2^order}, the number of pixels along a side of a base pixel. */
    public static long nside(int order) {
        checkOrder(order);
        return 1L << order;
    }

    /** The number of pixels on the sphere at this order: {@code 12 * 4^order}. */
    public static long npix(int order) {
        checkOrder(order);
        return 12L << (2 * order);
    }

    /**
     * The mean pixel size at this order in degrees: the square root of a pixel's area, {@code sqrt(4 pi / npix)}
     * (about 58.6 deg / 2^order; 0.229 deg at order 8, 0.0573 deg = 3.4' at order 10).
     */
    public static double pixelSizeDeg(int order) {
        return Math.toDegrees(Math.sqrt(4 * Math.PI / npix(order)));
    }

    /** The area of one pixel at this order, in square degrees. */
    public static double pixelAreaDeg2(int order) {
        double s = pixelSizeDeg(order);
        return s * s;
    }

    // ------------------------------------------------------------------ hierarchy

    /** The pixel at the coarser {@code toOrder} that contains pixel {@code pix} of {@code fromOrder}. */
    public static long parent(long pix, int fromOrder, int toOrder) {
        checkPixel(fromOrder, pix);
        checkOrder(toOrder);
        if (toOrder > fromOrder) {
            throw new IllegalArgumentException("parent: toOrder " + toOrder + " must be 0.." + fromOrder
                    + " (not finer than fromOrder " + fromOrder + ")");
        }
        return pix >>> (2 * (fromOrder - toOrder));
    }

    /**
     * The pixels at the finer {@code toOrder} inside pixel {@code pix} of {@code fromOrder}, in increasing order (a
     * contiguous range of {@code 4^(toOrder - fromOrder)} indices; at most 4^10 may be asked for at once).
     */
    public static long[] children(long pix, int fromOrder, int toOrder) {
        checkPixel(fromOrder, pix);
        checkOrder(toOrder);
        if (toOrder < fromOrder || toOrder - fromOrder > 10) {
            throw new IllegalArgumentException("children: toOrder " + toOrder + " must be " + fromOrder + ".."
                    + Math.min(MAX_ORDER, fromOrder + 10) + " (at most 10 orders finer than fromOrder)");
        }
        int shift = 2 * (toOrder - fromOrder);
        long[] out = new long[1 << shift];
        long first = pix << shift;
        for (int i = 0; i < out.length; i++) {
            out[i] = first + i;
        }
        return out;
    }

    /** The first pixel at {@code toOrder} (finer) inside {@code pix} of {@code fromOrder}; the range is 4^d long. */
    static long firstChild(long pix, int fromOrder, int toOrder) {
        return pix << (2 * (toOrder - fromOrder));
    }

    // ------------------------------------------------------------------ bit interleaving

    /** Spreads the low 32 bits of v to the even bits of the result. */
    static long spread(long v) {
        v &= 0xFFFFFFFFL;
        v = (v | (v << 16)) & 0x0000FFFF0000FFFFL;
        v = (v | (v << 8)) & 0x00FF00FF00FF00FFL;
        v = (v | (v << 4)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v << 2)) & 0x3333333333333333L;
        v = (v | (v << 1)) & 0x5555555555555555L;
        return v;
    }

    /** Inverse of {@link #spread}: gathers the even bits of v. */
    static long compact(long v) {
        v &= 0x5555555555555555L;
        v = (v | (v >>> 1)) & 0x3333333333333333L;
        v = (v | (v >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v >>> 4)) & 0x00FF00FF00FF00FFL;
        v = (v | (v >>> 8)) & 0x0000FFFF0000FFFFL;
        v = (v | (v >>> 16)) & 0x00000000FFFFFFFFL;
        return v;
    }

    static long xyf2nest(int order, long ix, long iy, int face) {
        return ((long) face << (2 * order)) + spread(ix) + (spread(iy) << 1);
    }

    // ------------------------------------------------------------------ angle -> pixel

    /** The NESTED pixel at {@code order} that contains the point (RA, Dec) in degrees. */
    public static long ang2pix(int order, double raDeg, double decDeg) {
        checkOrder(order);
        checkAngles(raDeg, decDeg);
        // as healpy with lonlat=True: theta = pi/2 - radians(dec), phi = radians(ra)
        double theta = HALF_PI - Math.toRadians(decDeg);
        double phi = Math.toRadians(raDeg);
        double z = Math.cos(theta);
        boolean nearPole = theta < 0.01 || theta > Math.PI - 0.01;
        return loc2pix(order, z, phi, nearPole ? Math.sin(theta) : Double.NaN);
    }

    /** The NESTED pixel containing the unit vector (x, y, z) (need not be normalised, must not be zero). */
    public static long vec2pix(int order, double x, double y, double z) {
        checkOrder(order);
        double r = Math.sqrt(x * x + y * y + z * z);
        if (!(r > 0) || !Double.isFinite(r)) {
            throw new IllegalArgumentException("vec2pix: vector (" + x + ", " + y + ", " + z
                    + ") must be finite and non-zero");
        }
        double cz = z / r;
        double phi = Math.atan2(y, x);
        double sth = Math.sqrt(x * x + y * y) / r;
        return loc2pix(order, cz, phi, Math.abs(cz) > 0.99 ? sth : Double.NaN);
    }

    /** z = cos(theta), phi longitude in radians (any value), sth = sin(theta) or NaN when not needed. */
    private static long loc2pix(int order, double z, double phi, double sth) {
        long nside = 1L << order;
        double za = Math.abs(z);
        double tt = phi * INV_HALF_PI;
        if (tt < 0 || tt >= 4.0) { // into [0, 4)
            tt = tt % 4.0;
            if (tt < 0) {
                tt += 4.0;
                if (tt == 4.0) {
                    tt = 0.0;
                }
            }
        }
        if (za <= TWO_THIRDS) { // equatorial belt
            double t1 = nside * (0.5 + tt);
            double t2 = nside * (z * 0.75);
            long jp = (long) (t1 - t2); // index of the ascending edge line
            long jm = (long) (t1 + t2); // index of the descending edge line
            long ifp = jp >> order;
            long ifm = jm >> order;
            int face;
            if (ifp == ifm) {
                face = (int) (ifp | 4);
            } else if (ifp < ifm) {
                face = (int) ifp;
            } else {
                face = (int) (ifm + 8);
            }
            long ix = jm & (nside - 1);
            long iy = nside - (jp & (nside - 1)) - 1;
            return xyf2nest(order, ix, iy, face);
        }
        // polar caps
        int ntt = Math.min(3, (int) tt);
        double tp = tt - ntt;
        double tmp = (za < 0.99 || Double.isNaN(sth))
                ? nside * Math.sqrt(3 * (1 - za))
                : nside * sth / Math.sqrt((1.0 + za) / 3.0);
        long jp = Math.min((long) (tp * tmp), nside - 1);
        long jm = Math.min((long) ((1.0 - tp) * tmp), nside - 1);
        if (z >= 0) {
            return xyf2nest(order, nside - jm - 1, nside - jp - 1, ntt);
        }
        return xyf2nest(order, jp, jm, ntt + 8);
    }

    // ------------------------------------------------------------------ pixel -> angle

    /** The centre of pixel {@code pix} at {@code order}: {RA, Dec} in degrees, RA in [0, 360). */
    public static double[] pix2ang(int order, long pix) {
        checkPixel(order, pix);
        double[] v = new double[3];
        pix2vec(order, pix, v);
        return vecToRaDec(v);
    }

    /** The centre of pixel {@code pix} at {@code order} as a unit vector {x, y, z}. */
    public static double[] pix2vec(int order, long pix) {
        checkPixel(order, pix);
        double[] v = new double[3];
        pix2vec(order, pix, v);
        return v;
    }

    /** Unchecked: writes the centre's unit vector into {@code out}. */
    static void pix2vec(int order, long pix, double[] out) {
        int shift = 2 * order;
        int face = (int) (pix >>> shift);
        long inFace = pix & ((1L << shift) - 1);
        long ix = compact(inFace);
        long iy = compact(inFace >>> 1);
        double inv = 1.0 / (1L << order);
        faceToVec(face, (ix + 0.5) * inv, (iy + 0.5) * inv, out, 0);
    }

    /**
     * The four corners of pixel {@code pix} at {@code order}, {RA, Dec} in degrees, in the order north, west, south,
     * east (as healpy's {@code boundaries(nside, pix, step=1, nest=True)}). The pixel's edges between the corners
     * are not great circles in general.
     */
    public static double[][] corners(int order, long pix) {
        checkPixel(order, pix);
        double[] v = new double[12];
        cornerVecs(order, pix, v);
        double[][] out = new double[4][];
        double[] one = new double[3];
        for (int i = 0; i < 4; i++) {
            System.arraycopy(v, 3 * i, one, 0, 3);
            out[i] = vecToRaDec(one);
        }
        return out;
    }

    /** Unchecked: the four corner unit vectors (N, W, S, E) packed into {@code out[0..11]}. */
    static void cornerVecs(int order, long pix, double[] out) {
        int shift = 2 * order;
        int face = (int) (pix >>> shift);
        long inFace = pix & ((1L << shift) - 1);
        double inv = 1.0 / (1L << order);
        double x0 = compact(inFace) * inv;
        double y0 = compact(inFace >>> 1) * inv;
        double x1 = x0 + inv;
        double y1 = y0 + inv;
        faceToVec(face, x1, y1, out, 0);
        faceToVec(face, x0, y1, out, 3);
        faceToVec(face, x0, y0, out, 6);
        faceToVec(face, x1, y0, out, 9);
    }

    /**
     * A point on base pixel {@code face} at face coordinates (x, y) in [0, 1] (x along the face's south-east edge
     * from its south corner, y along its south-west edge) as a unit vector written to out[off..off+2].
     */
    static void faceToVec(int face, double x, double y, double[] out, int off) {
        double jr = FACE_RING[face] - x - y; // ring coordinate in units of nside: 0 north pole .. 4 south pole
        double nr;
        double z;
        double sth;
        if (jr < 1) {
            nr = jr;
            double t = nr * nr / 3.0;
            z = 1 - t;
            sth = Math.sqrt(t * (2 - t));
        } else if (jr > 3) {
            nr = 4 - jr;
            double t = nr * nr / 3.0;
            z = t - 1;
            sth = Math.sqrt(t * (2 - t));
        } else {
            nr = 1;
            z = (2 - jr) * TWO_THIRDS;
            sth = Math.sqrt((1 - z) * (1 + z));
        }
        double t = FACE_PHI[face] * nr + x - y;
        if (t < 0) {
            t += 8;
        } else if (t >= 8) {
            t -= 8;
        }
        double phi = nr < 1e-15 ? 0 : (Math.PI / 4) * t / nr;
        out[off] = sth * Math.cos(phi);
        out[off + 1] = sth * Math.sin(phi);
        out[off + 2] = z;
    }

    // ------------------------------------------------------------------ conversions

    /** {RA, Dec} in degrees (RA in [0, 360)) of a unit vector. */
    static double[] vecToRaDec(double[] v) {
        double ra = Math.toDegrees(Math.atan2(v[1], v[0]));
        if (ra < 0) {
            ra += 360.0;
            if (ra >= 360.0) {
                ra = 0.0;
            }
        }
        double dec = Math.toDegrees(Math.atan2(v[2], Math.hypot(v[0], v[1])));
        return new double[] {ra, dec};
    }

    /** Unit vector of (RA, Dec) in degrees. */
    static double[] raDecToVec(double raDeg, double decDeg) {
        double ra = Math.toRadians(raDeg);
        double dec = Math.toRadians(decDeg);
        double c = Math.cos(dec);
        return new double[] {c * Math.cos(ra), c * Math.sin(ra), Math.sin(dec)};
    }
}
