package org.lovoccs.imaging.characterize;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import nom.tam.fits.BasicHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.FitsException;
import nom.tam.fits.Header;
import nom.tam.util.FitsOutputStream;
import org.lovoccs.imaging.fits.FitsHeaders;

/** Shared plumbing of the characterization formatters: writing HDUs after an empty primary, finding HDUs by name. */
final class CharacterizeFits {

    private CharacterizeFits() {
    }

    /** Writes an empty primary HDU carrying {@code primaryCards}, then {@code hdus}, to {@code path} (replaced). */
    static void write(Path path, Header primaryCards, BasicHDU<?>... hdus) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream os = Files.newOutputStream(path)) {
            write(os, primaryCards, hdus);
        } catch (IOException e) {
            throw new IOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    /** The same, to a stream (left open): a worker writes the file's bytes straight to object storage. */
    static void write(OutputStream os, Header primaryCards, BasicHDU<?>... hdus) throws IOException {
        FitsOutputStream out = new FitsOutputStream(os);
        try {
            Fits fits = new Fits();
            Header primary = FitsHeaders.primary();
            if (primaryCards != null) {
                var it = primaryCards.iterator();
                while (it.hasNext()) {
                    FitsHeaders.put(primary, it.next().copy());
                }
            }
            fits.addHDU(Fits.makeHDU(primary));
            for (BasicHDU<?> h : hdus) {
                fits.addHDU(h);
            }
            fits.write(out);
            out.flush();
        } catch (FitsException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** All HDUs of a file. */
    static BasicHDU<?>[] read(Path path) throws IOException {
        // from memory, so every HDU's data are read now rather than deferred to a closed file
        return read(Files.readAllBytes(path), path.toString());
    }

    /** All HDUs of a file's bytes (read from object storage); {@code what} names it in errors. */
    static BasicHDU<?>[] read(byte[] bytes, String what) throws IOException {
        try (Fits fits = new Fits(new nom.tam.util.FitsInputStream(new java.io.ByteArrayInputStream(bytes)))) {
            return fits.read();
        } catch (FitsException e) {
            throw new IOException("cannot read " + what + ": " + e.getMessage(), e);
        }
    }

    /** The HDU with {@code EXTNAME = name}. */
    static BasicHDU<?> hdu(BasicHDU<?>[] hdus, String name, Object path) throws IOException {
        for (BasicHDU<?> h : hdus) {
            if (name.equals(h.getHeader().getStringValue("EXTNAME", "").trim())) {
                return h;
            }
        }
        throw new IOException(path + " has no HDU with EXTNAME = '" + name + "'");
    }

    static int requireInt(Header h, String key, Object path) throws IOException {
        if (!h.containsKey(key)) {
            throw new IOException(path + ": keyword " + key + " is missing");
        }
        return h.getIntValue(key);
    }

    static double requireDouble(Header h, String key, Object path) throws IOException {
        if (!h.containsKey(key)) {
            throw new IOException(path + ": keyword " + key + " is missing");
        }
        return h.getDoubleValue(key);
    }
}
