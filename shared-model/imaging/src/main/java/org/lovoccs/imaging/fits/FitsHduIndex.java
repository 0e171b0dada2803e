package org.lovoccs.imaging.fits;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import nom.tam.fits.Header;

/**
 * Lists the HDUs of a FITS file with their byte ranges, reading only the headers (data are skipped).
 */
public final class FitsHduIndex {

    private FitsHduIndex() {
    }

    /**
     * The HDUs of a FITS file held in memory.
     *
     * @throws IOException if the bytes do not start with a FITS primary header, a header is malformed, or the file
     *                     ends inside an HDU
     */
    public static List<HduSpan> scan(byte[] fits) throws IOException {
        List<HduSpan> spans = new ArrayList<>();
        long offset = 0;
        while (offset < fits.length) {
            int off = (int) offset;
            int headerBytes = FitsBlocks.headerLength(fits, off, fits.length - off);
            if (headerBytes < 0) {
                throw new FitsTruncatedException("HDU " + spans.size() + " at byte " + offset + ": no END card before end of file");
            }
            Header header = FitsBlocks.parseHeader(fits, off, headerBytes);
            checkFirstKeyword(spans.size(), FitsBlocks.keywordAt(fits, off));
            long dataBytes = FitsBlocks.padded(FitsBlocks.dataLength(header));
            HduSpan span = new HduSpan(spans.size(), offset, headerBytes, dataBytes, header);
            if (span.end() > fits.length) {
                throw new FitsTruncatedException("HDU " + spans.size() + " at byte " + offset + ": data truncated, file has "
                        + (fits.length - span.dataOffset()) + " of " + dataBytes + " data bytes");
            }
            spans.add(span);
            offset = span.end();
        }
        if (spans.isEmpty()) {
            throw new FitsTruncatedException("empty file");
        }
        return spans;
    }

    /** Called after each HDU of a stream has been consumed (header and padded data), before the next is read. */
    @FunctionalInterface
    public interface HduVisitor {
        void visit(HduSpan span) throws IOException;
    }

    /**
     * The HDUs of a FITS stream; data bytes are skipped, not kept.
     *
     * @throws IOException as {@link #scan(byte[])}
     */
    public static List<HduSpan> scan(InputStream in) throws IOException {
        return scan(in, span -> { });
    }

    /**
     * As {@link #scan(InputStream)}, calling {@code visitor} as each HDU ends; with a stream that hashes what it
     * passes (data are skipped through {@link InputStream#skip}), this checksums every HDU in one pass.
     */
    public static List<HduSpan> scan(InputStream in, HduVisitor visitor) throws IOException {
        List<HduSpan> spans = new ArrayList<>();
        long offset = 0;
        while (true) {
            byte[] headerBlocks = FitsBlocks.readHeaderBlocks(in);
            if (headerBlocks == null) {
                break;
            }
            checkFirstKeyword(spans.size(), FitsBlocks.keywordAt(headerBlocks, 0));
            Header header = FitsBlocks.parseHeader(headerBlocks, 0, headerBlocks.length);
            long dataBytes = FitsBlocks.padded(FitsBlocks.dataLength(header));
            long skipped = skip(in, dataBytes);
            if (skipped < dataBytes) {
                throw new FitsTruncatedException("HDU " + spans.size() + " at byte " + offset + ": data truncated, file has "
                        + skipped + " of " + dataBytes + " data bytes");
            }
            HduSpan span = new HduSpan(spans.size(), offset, headerBlocks.length, dataBytes, header);
            spans.add(span);
            visitor.visit(span);
            offset += headerBlocks.length + dataBytes;
        }
        if (spans.isEmpty()) {
            throw new FitsTruncatedException("empty file");
        }
        return spans;
    }

    private static long skip(InputStream in, long n) throws IOException {
        long done = 0;
        byte[] scratch = null;
        while (done < n) {
            long s = in.skip(n - done);
            if (s <= 0) {
                if (scratch == null) {
                    scratch = new byte[FitsBlocks.BLOCK_SIZE * 16];
                }
                int r = in.read(scratch, 0, (int) Math.min(scratch.length, n - done));
                if (r < 0) {
                    break;
                }
                s = r;
            }
            done += s;
        }
        return done;
    }

    static void checkFirstKeyword(int index, String keyword) throws IOException {
        String expected = index == 0 ? "SIMPLE" : "XTENSION";
        if (!expected.equals(keyword)) {
            throw new FitsFormatException("HDU " + index + ": first keyword is '" + keyword + "', expected " + expected
                    + (index == 0 ? " (not a FITS file)" : ""));
        }
    }

    /**
     * A FITS file followed by the extension HDUs of another (its primary HDU dropped): an image's file with a model's
     * HDUs appended (icExp and calexp with their PSF_BASIS).
     */
    public static byte[] appendExtensions(byte[] first, byte[] other) throws java.io.IOException {
        byte[] ext = extensions(other);
        if (ext.length == 0) {
            return first;
        }
        // one copy of the image's bytes (a calexp is ~100 MB)
        byte[] out = java.util.Arrays.copyOf(first, first.length + ext.length);
        System.arraycopy(ext, 0, out, first.length, ext.length);
        return out;
    }

    /** A FITS file's extension HDUs, whole, without its primary HDU (empty when it has none). */
    public static byte[] extensions(byte[] fits) throws java.io.IOException {
        List<HduSpan> hdus = scan(fits);
        if (hdus.size() < 2) {
            return new byte[0];
        }
        return java.util.Arrays.copyOfRange(fits, (int) hdus.get(1).offset(), fits.length);
    }
}
