package org.lovoccs.objectstore;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Passes bytes through while hashing them, so a stream can be checksummed in the same pass that reads
 * it. {@link #skip} reads through (skipped bytes are hashed too). {@link #takeChecksum()} returns the
 * {@code sha256:<hex>} of the bytes since the previous call, so one stream yields a checksum per
 * segment (per HDU of a FITS file). Not thread-safe.
 */
public final class Sha256InputStream extends FilterInputStream {
    private final MessageDigest digest;
    private final byte[] scratch = new byte[1 << 16];
    private long count;

    public Sha256InputStream(InputStream in) {
        super(in);
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            digest.update((byte) b);
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            digest.update(b, off, n);
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        int r = read(scratch, 0, (int) Math.min(scratch.length, Math.max(0, n)));
        return Math.max(r, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Bytes read (or skipped) through this stream so far. */
    public long count() {
        return count;
    }

    /** {@code sha256:<hex>} of the bytes read since the last call (or since the start), then starts afresh. */
    public String takeChecksum() {
        return "sha256:" + HexFormat.of().formatHex(digest.digest());
    }
}
