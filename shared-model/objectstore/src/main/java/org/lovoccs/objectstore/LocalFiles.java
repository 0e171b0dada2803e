package org.lovoccs.objectstore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Datasets registered in place ({@code butler ingest-raws --transfer direct} of a local folder) have
 * {@code file:///absolute/path} URIs. They are readable only where that path is mounted, so every failure names
 * the machine and the path, and what to do about it.
 */
public final class LocalFiles {

    /** The path of a {@code file:///...} URI; rejects anything else. */
    public static Path path(String fileUri) {
        URI u;
        try {
            u = URI.create(fileUri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a file:/// URI: " + fileUri + " (" + e.getMessage() + ")");
        }
        if (!"file".equals(u.getScheme()) || u.getPath() == null || !u.getPath().startsWith("/")
                || (u.getAuthority() != null && !u.getAuthority().isEmpty())) {
            throw new IllegalArgumentException("not a file:/// URI with an absolute path: " + fileUri);
        }
        return Path.of(u);
    }

    /** The name of this machine, for messages about files that are not on it. */
    public static String host() {
        String pod = System.getenv("HOSTNAME");
        if (pod != null && !pod.isBlank()) {
            return pod;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "this machine";
        }
    }

    /**
     * The whole file, or {@code length} bytes from {@code offset}.
     *
     * @throws IllegalStateException the file is not there or is shorter than the registered range
     */
    static byte[] read(String fileUri, Long offset, Long length, String what) {
        Path p = path(fileUri);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            long from = offset == null ? 0 : offset;
            long n = offset == null ? ch.size() : length;
            if (from + n > ch.size() || n > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException(what + ": " + p + " on " + host() + " has " + ch.size()
                        + " bytes, the registry recorded bytes " + from + "+" + n + ": the file changed after it"
                        + " was ingested; ingest it again");
            }
            ByteBuffer buf = ByteBuffer.allocate((int) n);
            while (buf.hasRemaining()) {
                if (ch.read(buf, from + buf.position()) < 0) {
                    throw new IllegalStateException(what + ": " + p + " ended early on " + host());
                }
            }
            return buf.array();
        } catch (NoSuchFileException e) {
            throw new IllegalStateException(what + " was registered in place at " + fileUri + " (ingest-raws"
                    + " --transfer direct), but " + p + " does not exist on " + host() + ": run the workers where"
                    + " that folder is mounted at the same path (on Kubernetes a shared volume, see"
                    + " docs/butler.md#ingest-raws), or ingest the raws again with --transfer copy");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p + " on " + host() + " (" + what + "): " + e, e);
        }
    }

    private LocalFiles() {
    }
}
