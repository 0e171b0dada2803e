package org.lovoccs.imaging.characterize;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import nom.tam.fits.BasicHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.FitsException;
import nom.tam.fits.Header;
import org.lovoccs.imaging.fits.FitsHeaders;

/**
 * A {@link BackgroundModel} as FITS: an empty primary HDU with the geometry ({@code BGWIDTH}, {@code BGHEIGHT} = image
 * size, {@code MESHW}, {@code MESHH} = mesh size, {@code BGINTERP = 'NATURAL_BICUBIC_SPLINE'}), then two
 * {@code nx x ny} BITPIX = -32 images of the mesh nodes, {@code EXTNAME = 'BACKGROUND'} and {@code 'BACKRMS'} (node
 * (i, j) is FITS pixel (i + 1, j + 1)). The full-resolution maps are {@link BackgroundModel#renderLevel()} and
 * {@link BackgroundModel#renderRms()}.
 */
public final class BackgroundModelFormatter {

    private BackgroundModelFormatter() {
    }

    /** Writes {@code model} to {@code path}, replacing it. */
    public static void write(BackgroundModel model, Path path, String unit) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(path)) {
            write(model, out, unit);
        }
    }

    /** Writes the model to a stream (left open). */
    public static void write(BackgroundModel model, OutputStream out, String unit) throws IOException {
        Header p = new Header();
        FitsHeaders.add(p, "BGWIDTH", model.width(), "image columns");
        FitsHeaders.add(p, "BGHEIGHT", model.height(), "image rows");
        FitsHeaders.add(p, "MESHW", model.meshWidth(), "mesh columns (node spacing), pixels");
        FitsHeaders.add(p, "MESHH", model.meshHeight(), "mesh rows (node spacing), pixels");
        FitsHeaders.add(p, "BGINTERP", "NATURAL_BICUBIC_SPLINE", "interpolation between mesh centres");
        try {
            BasicHDU<?> level = image(model.meshLevels(), model.nx(), model.ny(), "BACKGROUND", unit,
                    "background at mesh centres");
            BasicHDU<?> rms = image(model.meshRms(), model.nx(), model.ny(), "BACKRMS", unit,
                    "background noise at mesh centres");
            CharacterizeFits.write(out, p, level, rms);
        } catch (FitsException e) {
            throw new IOException("cannot build the background HDUs: " + e.getMessage(), e);
        }
    }

    private static BasicHDU<?> image(float[] values, int nx, int ny, String extname, String unit, String what)
            throws FitsException {
        float[][] rows = new float[ny][nx];
        for (int j = 0; j < ny; j++) {
            System.arraycopy(values, j * nx, rows[j], 0, nx);
        }
        BasicHDU<?> hdu = Fits.makeHDU(rows);
        Header h = hdu.getHeader();
        h.addValue("EXTNAME", extname, what);
        if (unit != null && !unit.isEmpty()) {
            h.addValue("BUNIT", unit, "unit of the values");
        }
        return hdu;
    }

    /**
     * Reads a file written by {@link #write}.
     *
     * @throws IOException naming the missing keyword or HDU, or a grid that does not match the geometry
     */
    public static BackgroundModel read(Path path) throws IOException {
        return read(CharacterizeFits.read(path), path);
    }

    /** The same from a file's bytes (read from object storage); {@code what} names it in errors. */
    public static BackgroundModel read(byte[] fits, String what) throws IOException {
        return read(CharacterizeFits.read(fits, what), what);
    }

    private static BackgroundModel read(BasicHDU<?>[] hdus, Object path) throws IOException {
        Header p = hdus[0].getHeader();
        int w = CharacterizeFits.requireInt(p, "BGWIDTH", path);
        int h = CharacterizeFits.requireInt(p, "BGHEIGHT", path);
        int mw = CharacterizeFits.requireInt(p, "MESHW", path);
        int mh = CharacterizeFits.requireInt(p, "MESHH", path);
        float[][] level = (float[][]) CharacterizeFits.hdu(hdus, "BACKGROUND", path).getKernel();
        float[][] rms = (float[][]) CharacterizeFits.hdu(hdus, "BACKRMS", path).getKernel();
        int ny = level.length;
        int nx = level[0].length;
        if (nx != (w - 1) / mw + 1 || ny != (h - 1) / mh + 1 || rms.length != ny || rms[0].length != nx) {
            throw new IOException(path + ": mesh grid " + nx + "x" + ny + " does not fit a " + w + "x" + h
                    + " image with " + mw + "x" + mh + " meshes");
        }
        float[] l = new float[nx * ny];
        float[] r = new float[nx * ny];
        for (int j = 0; j < ny; j++) {
            System.arraycopy(level[j], 0, l, j * nx, nx);
            System.arraycopy(rms[j], 0, r, j * nx, nx);
        }
        return new BackgroundModel(w, h, mw, mh, nx, ny, l, r);
    }
}
