package org.lovoccs.imaging.characterize;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import nom.tam.fits.BasicHDU;
import nom.tam.fits.BinaryTable;
import nom.tam.fits.BinaryTableHDU;
import nom.tam.fits.FitsException;
import nom.tam.fits.Header;
import org.lovoccs.imaging.photometry.PhotoCalibration;
import org.lovoccs.imaging.wcs.SkyWcs;

/**
 * A {@link SourceCatalog} (icSrc) as a FITS binary table, {@code EXTNAME = 'SOURCES'}, after an empty primary HDU.
 * Columns (TTYPE, TUNIT): {@code id} (K), {@code parent} (K), {@code x}, {@code y} (D, pix, 0-based: FITS pixel =
 * value + 1), {@code ra}, {@code dec} (D, deg; only when a WCS is given), {@code flux}, {@code flux_err} (D, the
 * image's unit), {@code ixx}, {@code iyy}, {@code ixy} (D, pix2), {@code peak} (D), {@code area} (J, pix),
 * {@code flags} (J, the {@link SourceFlag} bits, described by {@code FLAGBITn} keywords) and one logical column per
 * flag ({@code flag_edge}, ...). The aperture radius is the {@code APRADIUS} keyword.
 */
public final class SourceCatalogFormatter {

    private SourceCatalogFormatter() {
    }

    /**
     * @param wcs       when not null, ra and dec columns are added
     * @param fluxUnit  unit of flux and peak, e.g. "electron"
     * @param apertureRadius radius of the flux aperture, pixels (recorded as APRADIUS)
     */
    public static void write(SourceCatalog catalog, SkyWcs wcs, String fluxUnit, double apertureRadius, Path path)
            throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(path)) {
            write(catalog, wcs, fluxUnit, apertureRadius, out);
        }
    }

    /**
     * How calibrate turns a source's aperture flux into a calibrated magnitude (src): the flux less the background
     * offset times the aperture's area, times the aperture correction at the source, through the zero point.
     */
    public record Calibration(ApertureCorrection apCorr, double backgroundOffset, PhotoCalibration photo,
                              PsfFlux.Catalogue psfFlux) {

        /** Without PSF fluxes (no psf_* columns). */
        public Calibration(ApertureCorrection apCorr, double backgroundOffset, PhotoCalibration photo) {
            this(apCorr, backgroundOffset, photo, null);
        }

        /** Aperture-corrected total flux, electrons. */
        public double totalFlux(Source s) {
            return apCorr.totalFlux(s, backgroundOffset);
        }
    }

    /** Writes the catalogue to a stream (left open). */
    public static void write(SourceCatalog catalog, SkyWcs wcs, String fluxUnit, double apertureRadius,
                             OutputStream out)
            throws IOException {
        write(catalog, wcs, fluxUnit, apertureRadius, null, out);
    }

    /**
     * Writes the catalogue to a stream (left open); with a {@link Calibration} (src) the columns {@code apcorr},
     * {@code flux_total}, {@code flux_total_err} (electron) and {@code mag}, {@code mag_err} (AB) follow the flux
     * columns, and the zero point is in {@code MAGZERO} (AB mag of 1 e-/s), {@code MAGZERR}, {@code EXPZERO}.
     */
    public static void write(SourceCatalog catalog, SkyWcs wcs, String fluxUnit, double apertureRadius,
                             Calibration calibration, OutputStream out)
            throws IOException {
        int n = catalog.size();
        long[] id = new long[n];
        long[] parent = new long[n];
        double[] x = new double[n];
        double[] y = new double[n];
        double[] ra = new double[n];
        double[] dec = new double[n];
        double[] flux = new double[n];
        double[] fluxErr = new double[n];
        double[] ixx = new double[n];
        double[] iyy = new double[n];
        double[] ixy = new double[n];
        double[] peak = new double[n];
        int[] area = new int[n];
        int[] flags = new int[n];
        SourceFlag[] all = SourceFlag.values();
        boolean[][] logical = new boolean[all.length][n];
        for (int i = 0; i < n; i++) {
            Source s = catalog.get(i);
            id[i] = s.id();
            parent[i] = s.parentId();
            x[i] = s.x();
            y[i] = s.y();
            if (wcs != null) {
                double[] sky = wcs.pixelToSky(s.x(), s.y());
                ra[i] = sky[0];
                dec[i] = sky[1];
            }
            flux[i] = s.flux();
            fluxErr[i] = s.fluxErr();
            ixx[i] = s.ixx();
            iyy[i] = s.iyy();
            ixy[i] = s.ixy();
            peak[i] = s.peakValue();
            area[i] = s.footprintArea();
            flags[i] = s.flags();
            for (SourceFlag f : all) {
                logical[f.ordinal()][i] = s.has(f);
            }
        }
        List<Object> data = new ArrayList<>();
        List<String[]> meta = new ArrayList<>();
        add(data, meta, id, "id", "", "source number, 1-based");
        add(data, meta, parent, "parent", "", "id of the parent source, 0 for none");
        add(data, meta, x, "x", "pix", "centroid column, 0-based");
        add(data, meta, y, "y", "pix", "centroid row, 0-based");
        if (wcs != null) {
            add(data, meta, ra, "ra", "deg", "right ascension (ICRS)");
            add(data, meta, dec, "dec", "deg", "declination (ICRS)");
        }
        add(data, meta, flux, "flux", fluxUnit, "circular aperture flux");
        add(data, meta, fluxErr, "flux_err", fluxUnit, "aperture flux 1-sigma error");
        if (calibration != null) {
            double[] apc = new double[n];
            double[] total = new double[n];
            double[] totalErr = new double[n];
            double[] mag = new double[n];
            double[] magErr = new double[n];
            for (int i = 0; i < n; i++) {
                Source s = catalog.get(i);
                apc[i] = calibration.apCorr().at(s.x(), s.y());
                total[i] = calibration.totalFlux(s);
                totalErr[i] = s.fluxErr() * apc[i];
                mag[i] = total[i] > 0 ? calibration.photo().magnitude(total[i]) : Double.NaN;
                magErr[i] = total[i] > 0 ? 2.5 / Math.log(10) * totalErr[i] / total[i] : Double.NaN;
            }
            add(data, meta, apc, "apcorr", "", "aperture correction applied to flux_total");
            add(data, meta, total, "flux_total", "electron", "aperture-corrected total flux");
            add(data, meta, totalErr, "flux_total_err", "electron", "its 1-sigma error");
            add(data, meta, mag, "mag", "mag(AB)", "calibrated AB magnitude, NaN for flux_total <= 0");
            add(data, meta, magErr, "mag_err", "mag", "1-sigma error (photon noise, not the zero point's)");
            PsfFlux.Catalogue pf = calibration.psfFlux();
            if (pf != null) {
                if (pf.results().size() != n) {
                    throw new IllegalArgumentException(pf.results().size() + " PSF fluxes for " + n + " sources");
                }
                double[] pFlux = new double[n];
                double[] pErr = new double[n];
                double[] pApc = new double[n];
                double[] pMag = new double[n];
                double[] pMagErr = new double[n];
                boolean[] pFlag = new boolean[n];
                for (int i = 0; i < n; i++) {
                    Source s = catalog.get(i);
                    PsfFlux.Result r = pf.results().get(i);
                    pFlux[i] = r.flux();
                    pErr[i] = r.fluxErr();
                    pFlag[i] = r.flagged();
                    pApc[i] = pf.apCorr() == null ? Double.NaN : pf.apCorr().at(s.x(), s.y());
                    double pTotal = pf.totalFlux(i, s);
                    pMag[i] = pTotal > 0 ? calibration.photo().magnitude(pTotal) : Double.NaN;
                    pMagErr[i] = pTotal > 0 ? 2.5 / Math.log(10) * r.fluxErr() / r.flux() : Double.NaN;
                }
                add(data, meta, pFlux, "psf_flux", fluxUnit, "PSF model flux (least squares at the centroid)");
                add(data, meta, pErr, "psf_flux_err", fluxUnit, "PSF flux 1-sigma error");
                add(data, meta, pApc, "psf_apcorr", "", "aperture correction of the PSF flux");
                add(data, meta, pMag, "psf_mag", "mag(AB)", "calibrated PSF magnitude, NaN if unusable");
                add(data, meta, pMagErr, "psf_mag_err", "mag", "1-sigma error (photon noise)");
                add(data, meta, pFlag, "psf_flux_flag", "", "PSF flux off the CCD or masked (> 5% of sum P^2)");
            }
        }
        add(data, meta, ixx, "ixx", "pix2", "adaptive second moment xx");
        add(data, meta, iyy, "iyy", "pix2", "adaptive second moment yy");
        add(data, meta, ixy, "ixy", "pix2", "adaptive second moment xy");
        add(data, meta, peak, "peak", fluxUnit, "peak pixel value");
        add(data, meta, area, "area", "pix", "footprint area");
        add(data, meta, flags, "flags", "", "flag bits, see FLAGBITn");
        for (SourceFlag f : all) {
            add(data, meta, logical[f.ordinal()], f.columnName(), "", "flag bit " + f.bit());
        }
        try {
            BinaryTable table = BinaryTable.fromColumnMajor(data.toArray());
            BinaryTableHDU hdu = table.toHDU();
            Header h = hdu.getHeader();
            for (int c = 0; c < meta.size(); c++) {
                hdu.setColumnName(c, meta.get(c)[0], meta.get(c)[2]);
                if (!meta.get(c)[1].isEmpty()) {
                    h.addValue("TUNIT" + (c + 1), meta.get(c)[1], "unit of " + meta.get(c)[0]);
                }
            }
            h.addValue("EXTNAME", "SOURCES", "icSrc source catalogue");
            h.addValue("APRADIUS", apertureRadius, "flux aperture radius, pixels");
            if (calibration != null) {
                h.addValue("MAGZERO", calibration.photo().zeroPoint(), "AB mag of 1 e-/s (aperture-corrected)");
                h.addValue("MAGZERR", calibration.photo().zeroPointErr(), "1-sigma error of MAGZERO");
                h.addValue("EXPZERO", calibration.photo().exposureZeroPoint(), "AB mag of 1 e- in this exposure");
                h.addValue("BKGOFFS", calibration.backgroundOffset(), "[electron] background offset removed");
            }
            for (SourceFlag f : all) {
                h.addValue("FLAGBIT" + f.bit(), f.name(), "meaning of bit " + f.bit() + " of flags");
            }
            CharacterizeFits.write(out, null, hdu);
        } catch (FitsException e) {
            throw new IOException("cannot build the source table: " + e.getMessage(), e);
        }
    }

    private static void add(List<Object> data, List<String[]> meta, Object column, String name, String unit,
                            String description) {
        data.add(column);
        meta.add(new String[] {name, unit == null ? "" : unit, description});
    }

    /**
     * Reads the columns this class writes (ra/dec, if present, are not part of {@link Source}).
     *
     * @throws IOException naming a missing column
     */
    public static SourceCatalog read(Path path) throws IOException {
        return read(CharacterizeFits.read(path), path.toString());
    }

    /** The same from a file's bytes (read from object storage); {@code what} names it in errors. */
    public static SourceCatalog read(byte[] fits, String what) throws IOException {
        return read(CharacterizeFits.read(fits, what), what);
    }

    private static SourceCatalog read(BasicHDU<?>[] hdus, String path) throws IOException {
        BinaryTableHDU hdu = (BinaryTableHDU) CharacterizeFits.hdu(hdus, "SOURCES", path);
        try {
            long[] id = (long[]) column(hdu, "id", path);
            long[] parent = (long[]) column(hdu, "parent", path);
            double[] x = (double[]) column(hdu, "x", path);
            double[] y = (double[]) column(hdu, "y", path);
            double[] flux = (double[]) column(hdu, "flux", path);
            double[] fluxErr = (double[]) column(hdu, "flux_err", path);
            double[] ixx = (double[]) column(hdu, "ixx", path);
            double[] iyy = (double[]) column(hdu, "iyy", path);
            double[] ixy = (double[]) column(hdu, "ixy", path);
            double[] peak = (double[]) column(hdu, "peak", path);
            int[] area = (int[]) column(hdu, "area", path);
            int[] flags = (int[]) column(hdu, "flags", path);
            List<Source> out = new ArrayList<>(id.length);
            for (int i = 0; i < id.length; i++) {
                out.add(new Source(id[i], parent[i], x[i], y[i], flux[i], fluxErr[i], ixx[i], iyy[i], ixy[i], peak[i],
                        area[i], flags[i]));
            }
            return new SourceCatalog(out);
        } catch (FitsException e) {
            throw new IOException("cannot read the source table of " + path + ": " + e.getMessage(), e);
        }
    }

    private static Object column(BinaryTableHDU hdu, String name, String path) throws IOException, FitsException {
        int c = hdu.findColumn(name);
        if (c < 0) {
            throw new IOException(path + ": the SOURCES table has no column '" + name + "'");
        }
        return hdu.getData().getColumn(c);
    }
}
