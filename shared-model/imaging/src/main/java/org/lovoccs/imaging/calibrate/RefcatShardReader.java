package org.lovoccs.imaging.calibrate;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import nom.tam.fits.BasicHDU;
import nom.tam.fits.BinaryTableHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.FitsException;
import org.lovoccs.imaging.astrometry.ReferenceStar;
import org.lovoccs.imaging.photometry.PhotometricReference;

/**
 * Reads the shards of a reference catalogue ({@code butler ingest-refcat}: each shard a FITS binary table with the
 * input catalogue's columns) into what calibrate matches against. Positions from {@code ra}/{@code dec} (degrees) or
 * LSST's {@code coord_ra}/{@code coord_dec} (radians, or degrees when TUNIT says so); the id from {@code source_id},
 * {@code id} or the row number.
 */
public final class RefcatShardReader {

    private RefcatShardReader() {
    }

    /**
     * The astrometric reference stars of one shard, with the magnitude of {@code magField} (LSST's
     * {@code anyFilterMapsToThis}: {@code phot_g_mean} reads {@code phot_g_mean_mag}, or {@code phot_g_mean} itself).
     */
    public static List<ReferenceStar> astrometric(byte[] fits, String magField, String what) throws IOException {
        Table t = table(fits, what);
        double[] mag = t.doubles(t.has(magField + "_mag") ? magField + "_mag" : magField);
        List<ReferenceStar> out = new ArrayList<>(t.rows());
        for (int i = 0; i < t.rows(); i++) {
            if (Double.isFinite(t.ra[i]) && Double.isFinite(t.dec[i])) {
                out.add(new ReferenceStar(t.id[i], t.ra[i], t.dec[i], mag[i]));
            }
        }
        return out;
    }

    /** The photometric references of one shard in a band: columns {@code <band>_mag} and {@code <band>_magErr}. */
    public static List<PhotometricReference> photometric(byte[] fits, String band, String what) throws IOException {
        Table t = table(fits, what);
        String m = band + "_mag";
        if (!t.has(m)) {
            throw new IOException(what + " has no column " + m + " (columns " + t.names() + "): it is not a"
                    + " photometric reference catalogue of band " + band);
        }
        double[] mag = t.doubles(m);
        double[] err = t.has(band + "_magErr") ? t.doubles(band + "_magErr") : null;
        List<PhotometricReference> out = new ArrayList<>(t.rows());
        for (int i = 0; i < t.rows(); i++) {
            double e = err == null ? Double.NaN : err[i];
            if (Double.isFinite(t.ra[i]) && Double.isFinite(t.dec[i]) && Double.isFinite(mag[i])) {
                out.add(new PhotometricReference(t.id[i], t.ra[i], t.dec[i], mag[i], e));
            }
        }
        return out;
    }

    /** A shard's table with its positions in degrees and ids. */
    private static final class Table {
        final BinaryTableHDU hdu;
        final String what;
        long[] id;
        double[] ra;
        double[] dec;

        Table(BinaryTableHDU hdu, String what) {
            this.hdu = hdu;
            this.what = what;
        }

        int rows() {
            return hdu.getNRows();
        }

        boolean has(String name) {
            return hdu.findColumn(name) >= 0;
        }

        List<String> names() {
            List<String> n = new ArrayList<>();
            for (int c = 0; c < hdu.getNCols(); c++) {
                n.add(hdu.getColumnName(c));
            }
            return n;
        }

        double[] doubles(String name) throws IOException {
            int c = hdu.findColumn(name);
            if (c < 0) {
                throw new IOException(what + " has no column " + name + " (columns " + names() + ")");
            }
            try {
                Object col = hdu.getData().getColumn(c);
                int n = rows();
                double[] out = new double[n];
                for (int i = 0; i < n; i++) {
                    if (col instanceof double[] d) {
                        out[i] = d[i];
                    } else if (col instanceof float[] f) {
                        out[i] = f[i];
                    } else if (col instanceof long[] l) {
                        out[i] = l[i];
                    } else if (col instanceof int[] k) {
                        out[i] = k[i];
                    } else if (col instanceof short[] s) {
                        out[i] = s[i];
                    } else {
                        throw new IOException(what + " column " + name + " is not a numeric scalar column");
                    }
                }
                return out;
            } catch (FitsException e) {
                throw new IOException(what + ": cannot read column " + name + ": " + e.getMessage(), e);
            }
        }

        String unit(String name) {
            int c = hdu.findColumn(name);
            String u = hdu.getHeader().getStringValue("TUNIT" + (c + 1));
            return u == null ? "" : u.trim().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static Table table(byte[] fits, String what) throws IOException {
        try (Fits f = new Fits(new ByteArrayInputStream(fits))) {
            BasicHDU<?>[] hdus = f.read();
            for (BasicHDU<?> h : hdus) {
                if (h instanceof BinaryTableHDU b) {
                    Table t = new Table(b, what);
                    String raCol = t.has("ra") ? "ra" : "coord_ra";
                    String decCol = t.has("dec") ? "dec" : "coord_dec";
                    t.ra = t.doubles(raCol);
                    t.dec = t.doubles(decCol);
                    boolean radians = raCol.equals("coord_ra") ? !t.unit(raCol).startsWith("deg")
                            : t.unit(raCol).startsWith("rad");
                    if (radians) {
                        for (int i = 0; i < t.ra.length; i++) {
                            t.ra[i] = Math.toDegrees(t.ra[i]);
                            t.dec[i] = Math.toDegrees(t.dec[i]);
                        }
                    }
                    t.id = new long[t.rows()];
                    String idCol = t.has("source_id") ? "source_id" : t.has("id") ? "id" : null;
                    Object ids = idCol == null ? null : b.getData().getColumn(b.findColumn(idCol));
                    double[] asDouble = ids == null || ids instanceof long[] ? null : t.doubles(idCol);
                    for (int i = 0; i < t.id.length; i++) {
                        t.id[i] = ids instanceof long[] l ? l[i] : asDouble == null ? i + 1 : (long) asDouble[i];
                    }
                    return t;
                }
            }
            throw new IOException(what + " has no binary table");
        } catch (FitsException e) {
            throw new IOException("cannot read " + what + ": " + e.getMessage(), e);
        }
    }
}
