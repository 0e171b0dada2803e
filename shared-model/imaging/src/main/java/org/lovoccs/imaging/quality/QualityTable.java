package org.lovoccs.imaging.quality;

import nom.tam.fits.BasicHDU;
import nom.tam.fits.BinaryTable;
import nom.tam.fits.BinaryTableHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.FitsException;
import nom.tam.fits.FitsFactory;
import nom.tam.fits.Header;
import nom.tam.util.FitsOutputStream;
import org.lovoccs.imaging.fits.FitsHeaders;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * check_visit's and select_visit's tables as FITS binary tables: one row per CCD with its {@link CcdQuality} and a
 * verdict ({@code passed}, {@code reason}: check_visit's cuts for {@code ccdQuality}, select_visit's decision for
 * {@code selectVisitDetectors}). One band per table ({@code BAND} in the header). astropy reads it with
 * {@code Table.read(path, hdu=EXTNAME)}.
 */
public final class QualityTable {

    /** One CCD and its verdict; {@code reason} is empty when it passed. */
    public record Row(CcdQuality ccd, boolean passed, String reason) {
    }

    /** A read table: its band, rows and header (for the cards a task added). */
    public record Table(String band, List<Row> rows, Header header) {
    }

    private QualityTable() {
    }

    /**
     * @param extname the HDU's name ({@code CCD_QUALITY}, {@code SELECT_VISIT})
     * @param extra   cards to add to the table's header (config, X-ray peak), or null
     */
    public static byte[] toBytes(String extname, String band, List<Row> rows, Header extra) throws IOException {
        int n = rows.size();
        long[] visit = new long[n];
        int[] detector = new int[n];
        double[] fwhm = new double[n];
        double[] e = new double[n];
        int[] fitted = new int[n];
        int[] refs = new int[n];
        double[] ra = new double[n];
        double[] dec = new double[n];
        double[][] cornerRa = new double[n][4];
        double[][] cornerDec = new double[n][4];
        boolean[] passed = new boolean[n];
        String[] reason = new String[n];
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            CcdQuality q = r.ccd();
            if (!band.equals(q.band())) {
                throw new IllegalArgumentException("a quality table holds one band (" + band + "); visit " + q.visit()
                        + " detector " + q.detector() + " is in " + q.band());
            }
            visit[i] = q.visit();
            detector[i] = q.detector();
            fwhm[i] = q.fwhmPixels();
            e[i] = q.ellipticity();
            fitted[i] = q.starsFitted();
            refs[i] = q.referenceStars();
            ra[i] = q.raDeg();
            dec[i] = q.decDeg();
            for (int k = 0; k < 4; k++) {
                cornerRa[i][k] = q.corners()[2 * k];
                cornerDec[i][k] = q.corners()[2 * k + 1];
            }
            passed[i] = r.passed();
            // a blank string cell reads back as "": keep one character so that every column has a width
            reason[i] = r.reason() == null || r.reason().isEmpty() ? "-" : r.reason();
        }
        String[][] meta = {
                {"visit", "", "visit (exposure) number"},
                {"detector", "", "detector number"},
                {"fwhm", "pix", "median Moffat FWHM of reference stars (NaN: none fit)"},
                {"ellipticity", "", "|(median e1, median e2)| of the Moffat fits"},
                {"stars_fitted", "", "reference stars whose Moffat fit converged"},
                {"reference_stars", "", "reference stars matched on the CCD"},
                {"ra", "deg", "RA of the CCD centre"},
                {"dec", "deg", "Dec of the CCD centre"},
                {"corner_ra", "deg", "RA of the four corners"},
                {"corner_dec", "deg", "Dec of the four corners"},
                {"passed", "", "passes (check_visit: the cuts; select_visit: kept)"},
                {"reason", "", "why it did not pass; '-' when it did"}};
        try {
            FitsFactory.setUseAsciiTables(false);
            BinaryTable table = BinaryTable.fromColumnMajor(new Object[] {visit, detector, fwhm, e, fitted, refs, ra,
                    dec, cornerRa, cornerDec, passed, reason});
            BinaryTableHDU hdu = table.toHDU();
            Header h = hdu.getHeader();
            for (int c = 0; c < meta.length; c++) {
                // a TTYPE card whose comment does not fit one record is continued by nom-tam-fits with the long-string
                // convention, which mangles the column's name ('fwhm    &'): the comments above are kept short enough
                if (11 + Math.max(8, meta[c][0].length() + 2) + 3 + meta[c][2].length() > 80) {
                    throw new IllegalStateException("the comment of column " + meta[c][0] + " is too long for its card");
                }
                hdu.setColumnName(c, meta[c][0], meta[c][2]);
                if (!meta[c][1].isEmpty()) {
                    h.addValue("TUNIT" + (c + 1), meta[c][1], "unit of " + meta[c][0]);
                }
            }
            h.addValue("EXTNAME", extname, "LoVoCCS quality table");
            h.addValue("BAND", band, "band of every row");
            if (extra != null) {
                var it = extra.iterator();
                while (it.hasNext()) {
                    h.addLine(it.next());
                }
            }
            Fits f = new Fits();
            f.addHDU(Fits.makeHDU(FitsHeaders.primary()));
            f.addHDU(hdu);
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (FitsOutputStream out = new FitsOutputStream(bytes)) {
                f.write(out);
            }
            return bytes.toByteArray();
        } catch (FitsException ex) {
            throw new IOException("cannot build the " + extname + " table: " + ex.getMessage(), ex);
        }
    }

    public static void write(String extname, String band, List<Row> rows, Header extra, OutputStream out)
            throws IOException {
        out.write(toBytes(extname, band, rows, extra));
    }

    /** Reads a table this class wrote; {@code what} names it in errors. */
    public static Table read(byte[] fits, String what) throws IOException {
        try (Fits f = new Fits(new ByteArrayInputStream(fits))) {
            BasicHDU<?>[] hdus = f.read();
            BinaryTableHDU hdu = null;
            for (BasicHDU<?> b : hdus) {
                if (b instanceof BinaryTableHDU t && t.getHeader().containsKey("BAND")) {
                    hdu = t;
                }
            }
            if (hdu == null) {
                throw new IOException(what + " is not a quality table (no binary table with BAND)");
            }
            String band = hdu.getHeader().getStringValue("BAND").trim();
            long[] visit = (long[]) column(hdu, "visit", what);
            int[] detector = (int[]) column(hdu, "detector", what);
            double[] fwhm = (double[]) column(hdu, "fwhm", what);
            double[] e = (double[]) column(hdu, "ellipticity", what);
            int[] fitted = (int[]) column(hdu, "stars_fitted", what);
            int[] refs = (int[]) column(hdu, "reference_stars", what);
            double[] ra = (double[]) column(hdu, "ra", what);
            double[] dec = (double[]) column(hdu, "dec", what);
            double[][] cornerRa = (double[][]) column(hdu, "corner_ra", what);
            double[][] cornerDec = (double[][]) column(hdu, "corner_dec", what);
            boolean[] passed = (boolean[]) column(hdu, "passed", what);
            String[] reason = (String[]) column(hdu, "reason", what);
            List<Row> rows = new ArrayList<>(visit.length);
            for (int i = 0; i < visit.length; i++) {
                double[] corners = new double[8];
                for (int k = 0; k < 4; k++) {
                    corners[2 * k] = cornerRa[i][k];
                    corners[2 * k + 1] = cornerDec[i][k];
                }
                String why = reason[i] == null ? "" : reason[i].trim();
                rows.add(new Row(new CcdQuality(visit[i], detector[i], band, fwhm[i], e[i], fitted[i], refs[i], ra[i],
                        dec[i], corners), passed[i], "-".equals(why) ? "" : why));
            }
            return new Table(band, rows, hdu.getHeader());
        } catch (FitsException ex) {
            throw new IOException("cannot read " + what + ": " + ex.getMessage(), ex);
        }
    }

    private static Object column(BinaryTableHDU hdu, String name, String what) throws IOException, FitsException {
        int c = hdu.findColumn(name);
        if (c < 0) {
            throw new IOException(what + ": the quality table has no column '" + name + "'");
        }
        return hdu.getData().getColumn(c);
    }
}
