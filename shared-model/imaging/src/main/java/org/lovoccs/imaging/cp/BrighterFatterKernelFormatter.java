package org.lovoccs.imaging.cp;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import nom.tam.fits.Header;
import nom.tam.fits.HeaderCard;
import nom.tam.util.Cursor;
import nom.tam.util.FitsOutputStream;
import org.lovoccs.imaging.fits.FitsBlocks;
import org.lovoccs.imaging.fits.FitsHeaders;
import org.lovoccs.imaging.fits.FitsImageIO;

/**
 * A {@link BrighterFatterKernel} as multi-extension FITS:
 * <ol start="0">
 *   <li>primary HDU without data: {@link BrighterFatterKernel#metadata()} (CALIBTYP = bfk, DETPOS, CCDNUM, BFKRAD,
 *   BFKNPAIR, BFKMEAN, the pairs' EXPNUMs and levels in HISTORY);</li>
 *   <li>{@code KERNEL}: BITPIX = -64, (2r+1) x (2r+1), BUNIT 1/electron, lag (0, 0) at the centre pixel
 *   (FITS pixel r+1, r+1), x = column;</li>
 *   <li>{@code XCORR}: BITPIX = -64, the measured C_diff / (2 mu^2) = Laplacian of the kernel, 1/electron;</li>
 *   <li>{@code XCORRERR}: BITPIX = -64, its standard error across pairs (NaN with one pair).</li>
 * </ol>
 * Doubles because kernel values span 1e-7 to 1e-11 1/e- and the XCORR zero sum is a difference of such values.
 */
public final class BrighterFatterKernelFormatter {

    private static final Set<String> STRUCTURAL = Set.of("SIMPLE", "XTENSION", "BITPIX", "NAXIS", "NAXIS1", "NAXIS2",
            "EXTEND", "PCOUNT", "GCOUNT", "END", "BZERO", "BSCALE", "EXTNAME");

    private BrighterFatterKernelFormatter() {
    }

    /** Writes {@code k} to {@code out} (not closed). */
    public static void write(BrighterFatterKernel k, OutputStream out) throws IOException {
        FitsOutputStream fits = new FitsOutputStream(out);
        Header primary = FitsHeaders.primary();
        Cursor<String, HeaderCard> it = k.metadata().iterator();
        while (it.hasNext()) {
            HeaderCard card = it.next();
            if (STRUCTURAL.contains(card.getKey())) {
                continue;
            }
            if (card.isCommentStyleCard()) {
                primary.seekTail();
                primary.addLine(card.copy());
            } else {
                FitsHeaders.put(primary, card.copy());
            }
        }
        FitsImageIO.writeHeader(fits, primary);
        int side = 2 * k.radius() + 1;
        writeHdu(fits, "KERNEL", "brighter-fatter kernel K", k.kernel(), side);
        writeHdu(fits, "XCORR", "C_diff/(2 mu^2) = Laplacian of K", k.xcorr(), side);
        writeHdu(fits, "XCORRERR", "standard error of XCORR across pairs", k.xcorrError(), side);
        fits.flush();
    }

    private static void writeHdu(FitsOutputStream fits, String name, String what, double[] data, int side)
            throws IOException {
        Header h = FitsHeaders.imageExtension(-64, side, side);
        FitsHeaders.add(h, "EXTNAME", name, "extension name");
        FitsHeaders.add(h, "BUNIT", "1/electron", what);
        // a complete linear WCS of the lags (a CRPIX alone is an incomplete WCS to fitsverify): lag = pixel - centre
        FitsHeaders.add(h, "CTYPE1", "LAGX", "column lag, pixels");
        FitsHeaders.add(h, "CTYPE2", "LAGY", "row lag, pixels");
        FitsHeaders.add(h, "CRPIX1", (side + 1) / 2.0, "lag 0 column (FITS 1-based)");
        FitsHeaders.add(h, "CRPIX2", (side + 1) / 2.0, "lag 0 row (FITS 1-based)");
        FitsHeaders.add(h, "CRVAL1", 0.0, "lag at CRPIX1");
        FitsHeaders.add(h, "CRVAL2", 0.0, "lag at CRPIX2");
        FitsHeaders.add(h, "CDELT1", 1.0, "one pixel of lag per column");
        FitsHeaders.add(h, "CDELT2", 1.0, "one pixel of lag per row");
        FitsImageIO.writeHeader(fits, h);
        fits.write(data, 0, data.length);
        FitsBlocks.padData(fits, 8L * data.length);
    }

    /** Writes {@code k} to a file, replacing it. */
    public static void write(BrighterFatterKernel k, Path path) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16)) {
            write(k, out);
        }
    }

    /** The file's bytes. */
    public static byte[] toBytes(BrighterFatterKernel k) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        write(k, bos);
        return bos.toByteArray();
    }

    /** Reads a file. */
    public static BrighterFatterKernel read(Path path) throws IOException {
        return read(Files.readAllBytes(path));
    }

    /**
     * Reads a file written by {@link #write}.
     *
     * @throws IOException if CALIBTYP is not bfk, or KERNEL, XCORR or XCORRERR is missing, not square, or not -64
     */
    public static BrighterFatterKernel read(byte[] bytes) throws IOException {
        Header metadata = null;
        double[] kernel = null;
        double[] xcorr = null;
        double[] err = null;
        int side = -1;
        int pos = 0;
        while (pos < bytes.length) {
            int len = FitsBlocks.headerLength(bytes, pos, bytes.length - pos);
            if (len < 0) {
                break;
            }
            Header header = FitsBlocks.parseHeader(bytes, pos, len);
            int data = pos + len;
            long n = FitsBlocks.padded(FitsBlocks.dataLength(header));
            if (metadata == null) {
                metadata = new Header();
                Cursor<String, HeaderCard> it = header.iterator();
                while (it.hasNext()) {
                    HeaderCard card = it.next();
                    if (!STRUCTURAL.contains(card.getKey())) {
                        if (card.isCommentStyleCard()) {
                            metadata.seekTail();
                            metadata.addLine(card.copy());
                        } else {
                            FitsHeaders.put(metadata, card.copy());
                        }
                    }
                }
            } else {
                String name = header.getStringValue("EXTNAME", "").trim();
                if (name.equals("KERNEL") || name.equals("XCORR") || name.equals("XCORRERR")) {
                    int w = header.getIntValue("NAXIS1", 0);
                    int h = header.getIntValue("NAXIS2", 0);
                    if (header.getIntValue("BITPIX", 0) != -64 || w != h || w % 2 == 0 || (side > 0 && w != side)) {
                        throw new IOException(name + " is BITPIX " + header.getIntValue("BITPIX", 0) + ", " + w
                                + "x" + h + ": expected -64 and the same odd square size as the other planes");
                    }
                    side = w;
                    if (data + 8L * w * h > bytes.length) {
                        throw new IOException(name + " is truncated");
                    }
                    double[] v = new double[w * h];
                    ByteBuffer.wrap(bytes, data, 8 * w * h).order(ByteOrder.BIG_ENDIAN).asDoubleBuffer().get(v);
                    switch (name) {
                        case "KERNEL" -> kernel = v;
                        case "XCORR" -> xcorr = v;
                        default -> err = v;
                    }
                }
            }
            pos = (int) (data + n);
        }
        if (metadata == null || !BrighterFatterKernel.CALIBTYP.equalsIgnoreCase(
                metadata.getStringValue("CALIBTYP", "").trim())) {
            throw new IOException("primary header has no CALIBTYP = '" + BrighterFatterKernel.CALIBTYP
                    + "': not a brighter-fatter kernel");
        }
        if (kernel == null || xcorr == null || err == null) {
            throw new IOException("missing HDU " + (kernel == null ? "KERNEL" : xcorr == null ? "XCORR" : "XCORRERR"));
        }
        return new BrighterFatterKernel((side - 1) / 2, kernel, xcorr, err, metadata.getIntValue("BFKNPAIR", 0),
                metadata.getDoubleValue("BFKMEAN", Double.NaN), metadata);
    }
}
