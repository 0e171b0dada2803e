package org.lovoccs.imaging.isr;

import nom.tam.fits.BasicHDU;
import nom.tam.fits.BinaryTableHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.FitsException;
import nom.tam.util.FitsInputStream;
import org.lovoccs.imaging.PixelBox;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the curated calibrations that {@code butler write-curated-calibrations} writes (one FITS binary table per
 * detector: EXTNAME CROSSTALK, LINEARIZER or DEFECTS) into what {@link FullIsr} applies. A file of another type, or one
 * lacking a column, is refused with its name.
 */
public final class CuratedCalibrationReader {

    private CuratedCalibrationReader() {
    }

    /**
     * The terms of a crosstalk table whose victim is an amplifier of the table's CCD: rows with victim_ccd ==
     * source_ccd as intra-CCD {@link Crosstalk.Term}s, the others as {@link Crosstalk.InterTerm}s (source CCDNUM
     * source_ccd). A table holding rows of more than one victim CCD is refused.
     */
    public static Crosstalk crosstalk(byte[] fits) throws IOException {
        BinaryTableHDU t = table(fits, "CROSSTALK");
        long[] vCcd = longs(t, "victim_ccd");
        long[] sCcd = longs(t, "source_ccd");
        String[] vAmp = strings(t, "victim_amp");
        String[] sAmp = strings(t, "source_amp");
        double[] coeff = doubles(t, "coeff");
        List<Crosstalk.Term> terms = new ArrayList<>();
        List<Crosstalk.InterTerm> inter = new ArrayList<>();
        for (int i = 0; i < coeff.length; i++) {
            if (vCcd[i] != vCcd[0]) {
                throw new IOException("crosstalk table mixes victim CCDs " + vCcd[0] + " and " + vCcd[i]
                        + ": a curated crosstalk calibration is one CCD's");
            }
            if (vCcd[i] == sCcd[i]) {
                terms.add(new Crosstalk.Term(vAmp[i].trim(), sAmp[i].trim(), coeff[i]));
            } else {
                inter.add(new Crosstalk.InterTerm(vAmp[i].trim(), (int) sCcd[i], sAmp[i].trim(), coeff[i]));
            }
        }
        return new Crosstalk(terms, inter);
    }

    /** A linearizer table (model QUADEXP; its reference signal must be {@link Linearizer#S}). */
    public static Linearizer linearizer(byte[] fits) throws IOException {
        BinaryTableHDU t = table(fits, "LINEARIZER");
        String[] amp = strings(t, "amp_name");
        String[] type = strings(t, "linearity_type");
        double[] alpha = doubles(t, "alpha");
        double[] delta = doubles(t, "delta");
        double[] tau = doubles(t, "tau");
        double[] sRef = doubles(t, "s_ref");
        Map<String, Linearizer.Params> byAmp = new HashMap<>();
        for (int i = 0; i < amp.length; i++) {
            if (!type[i].trim().equals("QUADEXP")) {
                throw new IOException("linearizer amplifier " + amp[i].trim() + ": linearity_type '" + type[i].trim()
                        + "' is not supported (QUADEXP is)");
            }
            if (sRef[i] != Linearizer.S) {
                throw new IOException("linearizer amplifier " + amp[i].trim() + ": s_ref " + sRef[i] + " ADU, the"
                        + " model is for " + Linearizer.S);
            }
            byAmp.put(amp[i].trim(), new Linearizer.Params(alpha[i], delta[i], tau[i]));
        }
        return new Linearizer(byAmp);
    }

    /** The defect boxes (0-based, assembled CCD). */
    public static List<PixelBox> defects(byte[] fits) throws IOException {
        BinaryTableHDU t = table(fits, "DEFECTS");
        long[] x0 = longs(t, "x0");
        long[] y0 = longs(t, "y0");
        long[] w = longs(t, "width");
        long[] h = longs(t, "height");
        List<PixelBox> out = new ArrayList<>();
        for (int i = 0; i < x0.length; i++) {
            out.add(new PixelBox((int) x0[i], (int) y0[i], (int) w[i], (int) h[i]));
        }
        return out;
    }

    private static BinaryTableHDU table(byte[] fits, String extname) throws IOException {
        try (Fits f = new Fits(new FitsInputStream(new ByteArrayInputStream(fits)))) {
            for (BasicHDU<?> hdu : f.read()) {
                if (hdu instanceof BinaryTableHDU t && extname.equals(t.getHeader().getStringValue("EXTNAME"))) {
                    return t;
                }
            }
        } catch (FitsException e) {
            throw new IOException("not a FITS file: " + e.getMessage(), e);
        }
        throw new IOException("no " + extname + " table in the file: is it a curated " + extname.toLowerCase()
                + " calibration?");
    }

    private static Object column(BinaryTableHDU t, String name) throws IOException {
        int c = t.findColumn(name);
        if (c < 0) {
            throw new IOException(t.getHeader().getStringValue("EXTNAME") + " table lacks column '" + name + "'");
        }
        try {
            return t.getColumn(c);
        } catch (FitsException e) {
            throw new IOException("cannot read column '" + name + "': " + e.getMessage(), e);
        }
    }

    private static long[] longs(BinaryTableHDU t, String name) throws IOException {
        Object o = column(t, name);
        if (o instanceof long[] l) {
            return l;
        }
        if (o instanceof int[] i) {
            long[] l = new long[i.length];
            for (int k = 0; k < i.length; k++) {
                l[k] = i[k];
            }
            return l;
        }
        throw new IOException("column '" + name + "' is not an integer column");
    }

    private static double[] doubles(BinaryTableHDU t, String name) throws IOException {
        if (column(t, name) instanceof double[] d) {
            return d;
        }
        throw new IOException("column '" + name + "' is not a double column");
    }

    private static String[] strings(BinaryTableHDU t, String name) throws IOException {
        if (column(t, name) instanceof String[] s) {
            return s;
        }
        throw new IOException("column '" + name + "' is not a string column");
    }
}
