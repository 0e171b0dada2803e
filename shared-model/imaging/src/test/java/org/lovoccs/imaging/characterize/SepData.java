package org.lovoccs.imaging.characterize;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import nom.tam.fits.BasicHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.FitsException;
import nom.tam.fits.Header;
import org.lovoccs.imaging.ImageF;

/** SExtractor's answer on a real image, from ../shared/data/sep (kbarbary/sep's test data, LGPL-3.0). */
final class SepData {

    /** The folder, whichever worktree depth the tests run from; null when absent. */
    static Path folder() {
        for (String p : new String[] {"/work/shared/data/sep", "../../../shared/data/sep", "../../shared/data/sep",
                "../shared/data/sep"}) {
            Path d = Path.of(p);
            if (Files.isRegularFile(d.resolve("image.fits"))) {
                return d;
            }
        }
        return null;
    }

    /** A primary-HDU image with BSCALE/BZERO applied (FITS row 1 = image row 0). */
    static ImageF readImage(Path file) throws IOException {
        try (Fits fits = new Fits(file.toFile())) {
            BasicHDU<?> hdu = fits.readHDU();
            Header h = hdu.getHeader();
            double bscale = h.getDoubleValue("BSCALE", 1.0);
            double bzero = h.getDoubleValue("BZERO", 0.0);
            Object kernel = hdu.getKernel();
            int height = java.lang.reflect.Array.getLength(kernel);
            int width = java.lang.reflect.Array.getLength(java.lang.reflect.Array.get(kernel, 0));
            ImageF out = new ImageF(width, height);
            for (int y = 0; y < height; y++) {
                Object row = java.lang.reflect.Array.get(kernel, y);
                for (int x = 0; x < width; x++) {
                    double v = ((Number) java.lang.reflect.Array.get(row, x)).doubleValue();
                    out.set(x, y, (float) (bzero + bscale * v));
                }
            }
            return out;
        } catch (FitsException e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** One object of image.cat: 0-based pixel position (SExtractor's X_IMAGE - 1) and FLAGS. */
    record SexObject(int number, double x, double y, double fluxAper, int flags) {
    }

    /** image.cat (ASCII_HEAD): columns NUMBER, X_IMAGE, Y_IMAGE, ..., FLUX_APER is column 13, FLAGS the last. */
    static List<SexObject> readCatalog(Path file) throws IOException {
        List<SexObject> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] f = t.split("\\s+");
            out.add(new SexObject(Integer.parseInt(f[0]), Double.parseDouble(f[1]) - 1, Double.parseDouble(f[2]) - 1,
                    Double.parseDouble(f[12]), Integer.parseInt(f[f.length - 1])));
        }
        return out;
    }

    private SepData() {
    }
}
