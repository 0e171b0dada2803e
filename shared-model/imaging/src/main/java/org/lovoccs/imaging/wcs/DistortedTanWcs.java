package org.lovoccs.imaging.wcs;

/**
 * A gnomonic projection preceded by a polynomial distortion of the intermediate coordinates (SIP or TPV). Subclasses
 * give the distorted intermediate world coordinates of a pixel offset from CRPIX; projection and the inverse are
 * shared.
 *
 * <p>The inverse (sky to pixel) is solved by Newton's method on the full forward model, starting from the linear
 * solution, so that it agrees with the forward mapping to far below a milliarcsecond: SIP's AP/BP reverse
 * polynomials, when a header has them, are only a fitted approximation of the inverse and are not used for it
 * (astropy's {@code all_world2pix} also iterates).
 */
abstract sealed class DistortedTanWcs implements SkyWcs permits TanSipWcs, TpvWcs {

    private static final int MAX_ITERATIONS = 30;
    /** Convergence in pixels: 1e-9 px is ~0.3 nano-arcsec at DECam's scale. */
    private static final double TOLERANCE_PX = 1e-9;
    /** Finite-difference step for the Jacobian, pixels: the distortions are low-order polynomials. */
    private static final double STEP_PX = 0.5;

    protected final TanWcs tan;

    DistortedTanWcs(TanWcs tan) {
        this.tan = tan;
    }

    @Override
    public TanWcs linear() {
        return tan;
    }

    /**
     * Distorted intermediate world coordinates (xi, eta) in degrees of the pixel offset (u, v) = (FITS pixel - CRPIX),
     * into {@code out[0..1]}.
     */
    abstract void intermediate(double u, double v, double[] out);

    @Override
    public double[] pixelToSky(double x, double y) {
        double[] w = new double[2];
        intermediate(x + 1 - tan.crpix1(), y + 1 - tan.crpix2(), w);
        double[] sky = new double[2];
        Gnomonic.toSkyRadians(tan.crval1(), tan.crval2(), Math.toRadians(w[0]), Math.toRadians(w[1]), sky);
        return sky;
    }

    @Override
    public double[] skyToPixel(double raDeg, double decDeg) {
        double[] t = new double[2];
        Gnomonic.toTangentRadians(tan.crval1(), tan.crval2(), raDeg, decDeg, t);
        if (Double.isNaN(t[0])) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double xi = Math.toDegrees(t[0]);
        double eta = Math.toDegrees(t[1]);
        double[] start = tan.skyToPixel(raDeg, decDeg);
        double u = start[0] + 1 - tan.crpix1();
        double v = start[1] + 1 - tan.crpix2();
        double[] w = new double[2];
        double[] wu = new double[2];
        double[] wv = new double[2];
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            intermediate(u, v, w);
            intermediate(u + STEP_PX, v, wu);
            intermediate(u, v + STEP_PX, wv);
            double j11 = (wu[0] - w[0]) / STEP_PX;
            double j12 = (wv[0] - w[0]) / STEP_PX;
            double j21 = (wu[1] - w[1]) / STEP_PX;
            double j22 = (wv[1] - w[1]) / STEP_PX;
            double det = j11 * j22 - j12 * j21;
            double rx = xi - w[0];
            double ry = eta - w[1];
            double du = (j22 * rx - j12 * ry) / det;
            double dv = (-j21 * rx + j11 * ry) / det;
            u += du;
            v += dv;
            if (!Double.isFinite(u) || !Double.isFinite(v)) {
                break;
            }
            if (Math.abs(du) < TOLERANCE_PX && Math.abs(dv) < TOLERANCE_PX) {
                return new double[] {u + tan.crpix1() - 1, v + tan.crpix2() - 1};
            }
        }
        return new double[] {Double.NaN, Double.NaN};
    }
}
