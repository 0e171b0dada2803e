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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StorageLocation(String uri, Long byteOffset, Long byteLength, String checksum) {
    public static StorageLocation whole(String uri, String checksum) {
        return new StorageLocation(uri, null, null, checksum);
    }

    public String bucket() {
        return S3Uri.parse(uri).bucket();
    }

    public String key() {
        return S3Uri.parse(uri).key();
    }
}
