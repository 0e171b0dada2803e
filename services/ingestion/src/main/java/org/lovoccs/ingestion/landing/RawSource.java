package org.lovoccs.ingestion.landing;

import org.lovoccs.events.S3Uri;
import org.lovoccs.objectstore.LocalFiles;
import org.lovoccs.objectstore.ObjectInfo;
import org.lovoccs.objectstore.ObjectStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Optional;

/**
 * Where a raw to ingest is: an object in a bucket ({@code s3://bucket/key}) or a file on the ingestion service's
 * machine ({@code file:///absolute/path}). The checker reads either the same way, so landing and
 * {@code butler ingest-raws} share one code path.
 */
record RawSource(String uri, S3Uri object, Path file) {

    static RawSource object(String bucket, String key) {
        S3Uri o = new S3Uri(bucket, key);
        return new RawSource(o.toString(), o, null);
    }

    /**
     * @throws IllegalArgumentException not an {@code s3://bucket/key} or {@code file:///path} URI
     */
    static RawSource parse(String uri) {
        if (uri != null && uri.startsWith("s3://")) {
            return new RawSource(uri, S3Uri.parse(uri), null);
        }
        if (uri != null && uri.startsWith("file:")) {
            Path p = LocalFiles.path(uri);
            return new RawSource(p.toUri().toString(), null, p);
        }
        throw new IllegalArgumentException("a raw's location is an s3://bucket/key or a file:///absolute/path URI,"
                + " got '" + uri + "'");
    }

    boolean isLanding(String landingBucket) {
        return object != null && object.bucket().equals(landingBucket);
    }

    String key() {
        return object.key();
    }

    String fileName() {
        String s = object != null ? object.key() : file.getFileName().toString();
        return s.substring(s.lastIndexOf('/') + 1);
    }

    /** Size and a version tag (the ETag, or the file's modification time), or empty when it is not there. */
    Optional<ObjectInfo> stat(ObjectStore store) throws IOException {
        if (object != null) {
            return store.stat(object.bucket(), object.key());
        }
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return Optional.of(new ObjectInfo(null, file.toString(), a.size(), a.lastModifiedTime().toString(),
                Map.of()));
    }

    InputStream open(ObjectStore store) throws IOException {
        return object != null ? store.open(object.bucket(), object.key()) : Files.newInputStream(file);
    }

    /**
     * Puts the raw into the repository: server-side for an object, only if it still has the ETag that was checked;
     * an upload for a local file (a change after the check shows later as a checksum mismatch when a worker reads
     * the HDU, since every HDU's SHA-256 is recorded).
     */
    void copyTo(ObjectStore store, String bucket, String key, String etag) {
        if (object != null) {
            store.copy(object.bucket(), object.key(), bucket, key, etag);
        } else {
            store.put(bucket, key, file, "application/fits");
        }
    }
}
