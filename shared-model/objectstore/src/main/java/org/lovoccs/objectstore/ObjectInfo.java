package org.lovoccs.objectstore;

import java.util.Map;

/** What the store says of one object: key, size in bytes, ETag and user metadata (keys lower-case). */
public record ObjectInfo(String bucket, String key, long size, String etag, Map<String, String> userMetadata) {
}
