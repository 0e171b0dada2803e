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
 * A {@link PsfModel} as FITS: an empty primary HDU, then {@code EXTNAME = 'PSF_BASIS'}, a BITPIX = -32 cube of
 * {@code NAXIS1 = NAXIS2 = size} and {@code NAXIS3 = terms}: plane t is the coefficient image of polynomial term t
 * (1, u, v, u^2, u v, v^2, ...; PSFEx's PSF_MASK in image form). Its header carries {@code PSFTYPE = 'PIXPOLY'},
 * {@code POLDEG} (degree), {@code POLZERO1}/{@code POLSCAL1} and {@code POLZERO2}/{@code POLSCAL2} (u = (x - POLZERO1)
 * / POLSCAL1 with 0-based pixel x, as PSFEx's keywords but 0-based), {@code PSFNSTAR}.
 */
public final class PsfModelFormatter {

    private PsfModelFormatter() {
    }

    public static void write(PsfModel model, Path path) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(path)) {
            write(model, out);
        }
    }

    /** Writes the model to a stream (left open). */
    public static void write(PsfModel model, OutputStream out) throws IOException {
        int n = model.size();
        float[][] c = model.coefficients();
        float[][][] cube = new float[c.length][n][n];
        for (int t = 0; t < c.length; t++) {
            for (int j = 0; j < n; j++) {
                System.arraycopy(c[t], j * n, cube[t][j], 0, n);
            }
        }
        try {
            BasicHDU<?> hdu = Fits.makeHDU(cube);
            Header h = hdu.getHeader();
            h.addValue("EXTNAME", "PSF_BASIS", "PSF pixel basis");
            h.addValue("PSFTYPE", "PIXPOLY", "pixel basis with polynomial variation");
            h.addValue("POLDEG", model.spatialOrder(), "polynomial degree in (x, y)");
            h.addValue("POLZERO1", model.xOffset(), "u = (x - POLZERO1) / POLSCAL1, 0-based x");
            h.addValue("POLSCAL1", model.xScale(), "pixels");
            h.addValue("POLZERO2", model.yOffset(), "v = (y - POLZERO2) / POLSCAL2, 0-based y");
            h.addValue("POLSCAL2", model.yScale(), "pixels");
            h.addValue("PSFNSTAR", model.starCount(), "stars in the fit");
            h.insertComment("plane t: term t of 1, u, v, u^2, u v, v^2, ...; kernel centre at the middle pixel");
            Header p = new Header();
            FitsHeaders.add(p, "PSFTYPE", "PIXPOLY", "see the PSF_BASIS extension");
            CharacterizeFits.write(out, p, hdu);
        } catch (FitsException e) {
            throw new IOException("cannot build the PSF HDU: " + e.getMessage(), e);
        }
    }

    public static PsfModel read(Path path) throws IOException {
        return read(CharacterizeFits.read(path), path);
    }

    /** The same from a file's bytes (an icExp or calexp read from object storage); {@code what} names it in errors. */
    public static PsfModel read(byte[] fits, String what) throws IOException {
        return read(CharacterizeFits.read(fits, what), what);
    }

    private static PsfModel read(BasicHDU<?>[] hdus, Object path) throws IOException {
        BasicHDU<?> hdu = CharacterizeFits.hdu(hdus, "PSF_BASIS", path);
        Header h = hdu.getHeader();
        if (!"PIXPOLY".equals(h.getStringValue("PSFTYPE", "").trim())) {
            throw new IOException(path + ": PSFTYPE = '" + h.getStringValue("PSFTYPE") + "', expected 'PIXPOLY'");
        }
        int order = CharacterizeFits.requireInt(h, "POLDEG", path);
        float[][][] cube = (float[][][]) hdu.getKernel();
        int n = cube[0].length;
        float[][] c = new float[cube.length][n * n];
        for (int t = 0; t < cube.length; t++) {
            for (int j = 0; j < n; j++) {
                System.arraycopy(cube[t][j], 0, c[t], j * n, n);
            }
        }
        return new PsfModel(n, order, CharacterizeFits.requireDouble(h, "POLZERO1", path),
                CharacterizeFits.requireDouble(h, "POLSCAL1", path), CharacterizeFits.requireDouble(h, "POLZERO2", path),
                CharacterizeFits.requireDouble(h, "POLSCAL2", path), c, h.getIntValue("PSFNSTAR", 0));
    }
}
