package org.lovoccs.events;

/** An {@code s3://bucket/key} address. */
public record S3Uri(String bucket, String key) {
    public static S3Uri parse(String uri) {
        if (uri == null || !uri.startsWith("s3://") || uri.indexOf('/', 5) < 0) {
            throw new IllegalArgumentException("not an s3://bucket/key URI: " + uri);
        }
        int slash = uri.indexOf('/', 5);
        return new S3Uri(uri.substring(5, slash), uri.substring(slash + 1));
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }
}
