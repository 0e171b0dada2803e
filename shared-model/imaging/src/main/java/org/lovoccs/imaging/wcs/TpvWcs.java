package org.lovoccs.imaging.wcs;

import nom.tam.fits.Header;
import org.lovoccs.imaging.fits.FitsHeaders;

/**
 * TPV (the TAN + polynomial convention of SCAMP and the NOAO/DECam community pipeline, registered at the FITS
 * registry as "TPV"): with (x, y) = CD · (FITS pixel - CRPIX) in degrees and r = sqrt(x^2 + y^2), the intermediate
 * coordinates are xi = sum_k PV1_k T_k(x, y) and eta = sum_k PV2_k T_k(y, x) (the axes swapped for the second), then
 * the gnomonic projection. T_0..T_39 are 1; x, y, r; x^2, xy, y^2; x^3, x^2 y, x y^2, y^3, r^3; then for n = 4..7
 * the n + 1 monomials x^n, x^(n-1) y, ..., y^n, with r^5 after the fifth order and r^7 after the seventh.
 *
 * <p>Absent coefficients are 0, except PVi_1, which is 1 when absent, so that a header with no PV keywords is a
 * plain TAN.
 */
public final class TpvWcs extends DistortedTanWcs {

    /** Number of TPV terms (orders up to 7). */
    public static final int TERMS = 40;

    private final double[] pv1;
    private final double[] pv2;

    /** @param pv1 PV1_0..PV1_39 (shorter arrays are padded with 0); @param pv2 PV2_0..PV2_39 likewise */
    public TpvWcs(TanWcs tan, double[] pv1, double[] pv2) {
        super(tan);
        this.pv1 = pad(pv1);
        this.pv2 = pad(pv2);
    }

    /** PV1_k (k in 0..39). */
    public double pv1(int k) {
        return pv1[k];
    }

    /** PV2_k (k in 0..39). */
    public double pv2(int k) {
        return pv2[k];
    }

    @Override
    void intermediate(double u, double v, double[] out) {
        double x = tan.cd11() * u + tan.cd12() * v;
        double y = tan.cd21() * u + tan.cd22() * v;
        out[0] = evaluate(pv1, x, y);
        out[1] = evaluate(pv2, y, x);
    }

    /** sum_k c_k T_k(x, y), with T_k as in the class comment. */
    static double evaluate(double[] c, double x, double y) {
        double r = Math.sqrt(x * x + y * y);
        double sum = c[0] + c[1] * x + c[2] * y + c[3] * r;
        int k = 4;
        for (int n = 2; n <= 7; n++) {
            // the monomials x^(n-i) y^i, i = 0..n
            double xp = 1;
            double[] xpow = new double[n + 1];
            for (int i = 0; i <= n; i++) {
                xpow[i] = xp;
                xp *= x;
            }
            double yp = 1;
            for (int i = 0; i <= n; i++) {
                sum += c[k++] * xpow[n - i] * yp;
                yp *= y;
            }
            if (n == 3 || n == 5 || n == 7) {
                sum += c[k++] * Math.pow(r, n);
            }
        }
        return sum;
    }

    @Override
    public void addTo(Header h) {
        WcsHeaders.removeWcs(h);
        tan.addTo(h);
        FitsHeaders.add(h, "CTYPE1", "RA---TPV", "gnomonic projection with TPV distortion");
        FitsHeaders.add(h, "CTYPE2", "DEC--TPV", "gnomonic projection with TPV distortion");
        for (int axis = 1; axis <= 2; axis++) {
            double[] c = axis == 1 ? pv1 : pv2;
            for (int k = 0; k < TERMS; k++) {
                if (c[k] != 0 || k == 1) {
                    FitsHeaders.add(h, "PV" + axis + "_" + k, c[k], "TPV distortion coefficient");
                }
            }
        }
    }

    /** Reads TPV from a header whose CTYPEs are RA---TPV / DEC--TPV (see {@link WcsHeaders#read}). */
    static TpvWcs fromHeader(Header h, TanWcs tan) {
        double[][] pv = new double[2][TERMS];
        for (int axis = 1; axis <= 2; axis++) {
            for (int k = 0; k < TERMS; k++) {
                pv[axis - 1][k] = h.getDoubleValue("PV" + axis + "_" + k, k == 1 ? 1.0 : 0.0);
            }
            for (int k = TERMS; k < 100; k++) {
                if (h.containsKey("PV" + axis + "_" + k)) {
                    throw new IllegalArgumentException("TPV coefficient PV" + axis + "_" + k
                            + " is beyond the 7th order (PVi_0..PVi_39) that TPV defines");
                }
            }
        }
        return new TpvWcs(tan, pv[0], pv[1]);
    }

    private static double[] pad(double[] c) {
        if (c.length > TERMS) {
            throw new IllegalArgumentException("TPV has " + TERMS + " terms per axis, got " + c.length);
        }
        double[] out = new double[TERMS];
        System.arraycopy(c, 0, out, 0, c.length);
        return out;
    }
}
