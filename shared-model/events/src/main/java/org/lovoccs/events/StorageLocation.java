package org.lovoccs.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where a dataset's bytes are: an {@code s3://bucket/key} URI and, for a dataset that is one HDU of a
 * multi-extension file (a raw detector), the byte range of that HDU (header and data) in the object.
 *
 * @param uri        {@code s3://bucket/key}
 * @param byteOffset first byte of the dataset in the object, or null for the whole object
 * @param byteLength number of bytes from {@code byteOffset}, or null for the whole object
 * @param checksum   {@code sha256:<hex>} of exactly those bytes, or null when not known
 * @param stored     null or true: the bytes are (or are to be) at {@code uri}; false: the dataset is held in its
 *                   job's memory and handed to the quanta after it there, not written to the object store (in a
 *                   {@code quantum.ready} output: the orchestrator asks for that; in a {@code quantum.finished}
 *                   output and the registry: it was not written). The worker writes it after all if a quantum of its
 *                   job that reads it fails, so that its retry can read it ({@code lovoccs.orchestrator.held-in-job})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StorageLocation(String uri, Long byteOffset, Long byteLength, String checksum, Boolean stored) {
    public StorageLocation(String uri, Long byteOffset, Long byteLength, String checksum) {
        this(uri, byteOffset, byteLength, checksum, null);
    }

    public static StorageLocation whole(String uri, String checksum) {
        return new StorageLocation(uri, null, null, checksum, null);
    }

    /** Whether the dataset is held in its job's memory only, not written to {@code uri}. */
    public boolean held() {
        return Boolean.FALSE.equals(stored);
    }

    /** This location, the dataset held in its job's memory only ({@code stored = false}). */
    public StorageLocation asHeld() {
        return new StorageLocation(uri, byteOffset, byteLength, checksum, Boolean.FALSE);
    }

    public String bucket() {
        return S3Uri.parse(uri).bucket();
    }

    public String key() {
        return S3Uri.parse(uri).key();
    }
}
