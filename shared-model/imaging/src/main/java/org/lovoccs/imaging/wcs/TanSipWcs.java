package org.lovoccs.imaging.wcs;

import nom.tam.fits.Header;
import org.lovoccs.imaging.fits.FitsHeaders;

/**
 * TAN-SIP (Shupe et al. 2005): with (u, v) = FITS pixel - CRPIX, the intermediate world coordinates are
 * CD · (u + f(u, v), v + g(u, v)) with f = sum A_p_q u^p v^q and g = sum B_p_q u^p v^q over 2 <= p + q <= order (the
 * linear terms are allowed too, as some writers emit them), then the gnomonic projection. Coefficients are in pixels.
 */
public final class TanSipWcs extends DistortedTanWcs {

    private final double[][] a;
    private final double[][] b;

    /**
     * @param a {@code a[p][q]} = A_p_q, a square array of size A_ORDER + 1
     * @param b {@code b[p][q]} = B_p_q, a square array of size B_ORDER + 1
     */
    public TanSipWcs(TanWcs tan, double[][] a, double[][] b) {
        super(tan);
        this.a = copy(a);
        this.b = copy(b);
    }

    public int aOrder() {
        return a.length - 1;
    }

    public int bOrder() {
        return b.length - 1;
    }

    /** A_p_q (0 outside the order). */
    public double a(int p, int q) {
        return p + q < a.length ? a[p][q] : 0;
    }

    /** B_p_q (0 outside the order). */
    public double b(int p, int q) {
        return p + q < b.length ? b[p][q] : 0;
    }

    @Override
    void intermediate(double u, double v, double[] out) {
        double du = poly(a, u, v);
        double dv = poly(b, u, v);
        double uu = u + du;
        double vv = v + dv;
        out[0] = tan.cd11() * uu + tan.cd12() * vv;
        out[1] = tan.cd21() * uu + tan.cd22() * vv;
    }

    private static double poly(double[][] c, double u, double v) {
        int n = c.length;
        double sum = 0;
        double up = 1;
        for (int p = 0; p < n; p++) {
            double vq = 1;
            for (int q = 0; p + q < n; q++) {
                sum += c[p][q] * up * vq;
                vq *= v;
            }
            up *= u;
        }
        return sum;
    }

    @Override
    public void addTo(Header h) {
        WcsHeaders.removeWcs(h);
        tan.addTo(h);
        FitsHeaders.add(h, "CTYPE1", "RA---TAN-SIP", "gnomonic projection with SIP distortion");
        FitsHeaders.add(h, "CTYPE2", "DEC--TAN-SIP", "gnomonic projection with SIP distortion");
        writePoly(h, "A", a);
        writePoly(h, "B", b);
    }

    private static void writePoly(Header h, String name, double[][] c) {
        FitsHeaders.add(h, name + "_ORDER", c.length - 1, "SIP polynomial order, axis " + (name.equals("A") ? 1 : 2));
        for (int p = 0; p < c.length; p++) {
            for (int q = 0; p + q < c.length; q++) {
                if (c[p][q] != 0) {
                    FitsHeaders.add(h, name + "_" + p + "_" + q, c[p][q], "SIP coefficient [pixel]");
                }
            }
        }
    }

    /** Reads TAN-SIP from a header whose CTYPEs are RA---TAN-SIP / DEC--TAN-SIP (see {@link WcsHeaders#read}). */
    static TanSipWcs fromHeader(Header h, TanWcs tan) {
        return new TanSipWcs(tan, readPoly(h, "A"), readPoly(h, "B"));
    }

    private static double[][] readPoly(Header h, String name) {
        if (!h.containsKey(name + "_ORDER")) {
            throw new IllegalArgumentException("TAN-SIP header lacks " + name + "_ORDER (the SIP polynomial order)");
        }
        int order = h.getIntValue(name + "_ORDER");
        if (order < 0 || order > 9) {
            throw new IllegalArgumentException(name + "_ORDER = " + order + " is outside 0..9");
        }
        double[][] c = new double[order + 1][order + 1];
        for (int p = 0; p <= order; p++) {
            for (int q = 0; p + q <= order; q++) {
                c[p][q] = h.getDoubleValue(name + "_" + p + "_" + q, 0.0);
            }
        }
        return c;
    }

    private static double[][] copy(double[][] c) {
        if (c.length == 0) {
            throw new IllegalArgumentException("a SIP polynomial needs order >= 0");
        }
        double[][] out = new double[c.length][];
        for (int i = 0; i < c.length; i++) {
            if (c[i].length != c.length) {
                throw new IllegalArgumentException("SIP coefficients must be a square (order + 1)^2 array");
            }
            out[i] = c[i].clone();
        }
        return out;
    }
}
