package org.lovoccs.objectstore;

import io.minio.BucketExistsArgs;
import io.minio.CopyObjectArgs;
import io.minio.CopySource;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * S3-compatible object storage for pixels and tables (minio-java; path-style addressing, so it works
 * against MinIO, S3Proxy or AWS). Every failure is an {@link ObjectStoreException} whose message names
 * the operation, the {@code s3://bucket/key} and the endpoint. Thread-safe.
 */
public final class ObjectStore {
    private final MinioClient client;
    private final ArrayPutClient arrayPut;
    private final String endpoint;

    public ObjectStore(String endpoint, String accessKey, String secretKey) {
        this.endpoint = endpoint;
        this.client = MinioClient.builder().endpoint(endpoint).credentials(accessKey, secretKey)
                .region("us-east-1").build();
        this.arrayPut = new ArrayPutClient(MinioAsyncClient.builder().endpoint(endpoint)
                .credentials(accessKey, secretKey).region("us-east-1").build(), SIGNED_PAYLOAD);
    }

    /**
     * A PUT whose body is the caller's array. minio-java's putObject reads its stream into a part buffer that grows
     * by doubling (a 100 MB calexp is copied about twice and a 128 MB array allocated) before it hashes and sends it;
     * in the isr worker that copying was 12% of the CPU (JFR, bench/process-ccd-services). Here the array is sent as
     * it is. The request is minio-java's own (signing, headers, errors), reached through the protected calls its
     * putObject ends in.
     *
     * <p>Unless {@code signedPayload}, the body is sent with {@code x-amz-content-sha256: UNSIGNED-PAYLOAD} (the
     * headers are signed, the body is not), as minio-java does itself over HTTPS. Over plain HTTP minio-java signs the
     * body's SHA-256 and sends its MD5, and a server that checks the signature must then hold the whole body before
     * it can answer: S3Proxy reads each signed body into one array and hashes it, which with 100 MB products was a
     * large share of its CPU and its garbage collections (docs/benchmarks.md). The body's integrity then rests on
     * TCP's checksums and on the readers' checks against the checksum the registry records
     * ({@link #readChecked}).
     */
    private static final class ArrayPutClient extends MinioAsyncClient {
        private final boolean signedPayload;

        ArrayPutClient(MinioAsyncClient client, boolean signedPayload) {
            super(client);
            this.signedPayload = signedPayload;
        }

        void put(String bucket, String key, byte[] bytes, String contentType, Map<String, String> userMetadata)
                throws Exception {
            com.google.common.collect.Multimap<String, String> headers =
                    com.google.common.collect.LinkedListMultimap.create();
            headers.put("Content-Type", contentType);
            userMetadata.forEach((k, v) -> headers.put("x-amz-meta-" + k, v));
            try {
                // the region as minio-java's own calls resolve it (the client's, us-east-1, without a request)
                String region = getRegionAsync(bucket, null).get();
                // minio-java checks the response's status: an error completes the future exceptionally
                executeAsync(io.minio.http.Method.PUT, bucket, key, region, httpHeaders(headers), null, bytes,
                        bytes.length).get().close();
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }

        /**
         * minio-java's request, for an unsigned payload: built with an empty body (its headers, date and token), then
         * given the array as its body and {@code UNSIGNED-PAYLOAD} as the content hash the signature covers, without
         * the MD5. executeAsync signs what this returns.
         */
        @Override
        protected okhttp3.Request createRequest(okhttp3.HttpUrl url, io.minio.http.Method method,
                                                okhttp3.Headers headers, Object body, int length,
                                                io.minio.credentials.Credentials credentials)
                throws io.minio.errors.InsufficientDataException, io.minio.errors.InternalException,
                java.io.IOException, java.security.NoSuchAlgorithmException {
            if (signedPayload || method != io.minio.http.Method.PUT || !(body instanceof byte[] bytes)) {
                return super.createRequest(url, method, headers, body, length, credentials);
            }
            okhttp3.Request empty = super.createRequest(url, method, headers, new byte[0], 0, credentials);
            String type = headers.get("Content-Type");
            okhttp3.MediaType mediaType = type == null ? null : okhttp3.MediaType.parse(type);
            return empty.newBuilder()
                    .removeHeader("Content-MD5")
                    .header("x-amz-content-sha256", "UNSIGNED-PAYLOAD")
                    .method(method.toString(), new ChunkedArrayBody(bytes, length, mediaType))
                    .build();
        }
    }

    /**
     * A request body written to the connection 64 KB at a time. okhttp's body of an array writes it in one call,
     * which copies the whole array into newly allocated 8 KB buffer segments before the first byte is sent (okio's
     * pool keeps 64 KB); 13,000 segments for a 100 MB product, 4% of the isr worker's CPU in a JFR profile. Written in
     * chunks, each is sent before the next is copied, and the segments are reused.
     */
    private static final class ChunkedArrayBody extends okhttp3.RequestBody {
        private static final int CHUNK = 64 << 10;
        private final byte[] bytes;
        private final int length;
        private final okhttp3.MediaType mediaType;

        ChunkedArrayBody(byte[] bytes, int length, okhttp3.MediaType mediaType) {
            this.bytes = bytes;
            this.length = length;
            this.mediaType = mediaType;
        }

        @Override
        public okhttp3.MediaType contentType() {
            return mediaType;
        }

        @Override
        public long contentLength() {
            return length;
        }

        @Override
        public void writeTo(okio.BufferedSink sink) throws java.io.IOException {
            for (int off = 0; off < length; off += CHUNK) {
                sink.write(bytes, off, Math.min(CHUNK, length - off));
                sink.emit();
            }
        }
    }

    /** Where the store is and the keys to it. */
    public record Credentials(String endpoint, String accessKey, String secretKey) {
        /**
         * From {@code LOVOCCS_S3_ENDPOINT}, {@code LOVOCCS_S3_ACCESS_KEY}, {@code LOVOCCS_S3_SECRET_KEY}; unset, the
         * embedded stack's (stack/stack.sh).
         */
        public static Credentials fromEnvironment() {
            return new Credentials(System.getenv().getOrDefault("LOVOCCS_S3_ENDPOINT", "http://127.0.0.1:19000"),
                    System.getenv().getOrDefault("LOVOCCS_S3_ACCESS_KEY", "lovoccs"),
                    System.getenv().getOrDefault("LOVOCCS_S3_SECRET_KEY", "lovoccs-secret"));
        }

        @Override
        public String toString() {
            return "Credentials[endpoint=" + endpoint + ", accessKey=" + accessKey + ", secretKey=(hidden)]";
        }
    }

    /** From {@link Credentials#fromEnvironment()}. */
    public static ObjectStore fromEnvironment() {
        Credentials c = Credentials.fromEnvironment();
        return new ObjectStore(c.endpoint(), c.accessKey(), c.secretKey());
    }

    public String endpoint() {
        return endpoint;
    }

    public void ensureBucket(String bucket) {
        call("create bucket", bucket, "", () -> {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            }
            return null;
        });
    }

    /** minio-java's smallest part. */
    private static final long MIN_PART = 5L << 20;
    /**
     * The largest object sent in one PUT ({@code LOVOCCS_S3_SINGLE_PUT_MAX_MB}, default 100): S3Proxy refuses a signed
     * request body over 128 MB ({@code s3proxy.v4-max-non-chunked-request-size}: MaxMessageLengthExceeded) and holds
     * it in memory to check its signature; MinIO and AWS take up to 5 GiB.
     */
    private static final long SINGLE_PUT_MAX = Long.getLong("lovoccs.s3.single-put-max-mb",
            Long.parseLong(System.getenv().getOrDefault("LOVOCCS_S3_SINGLE_PUT_MAX_MB", "100"))) << 20;
    /**
     * Whether array PUTs sign their body's SHA-256 over plain HTTP ({@code LOVOCCS_S3_SIGNED_PAYLOAD=true}), for a
     * store that refuses {@code UNSIGNED-PAYLOAD}; by default they do not (see {@link ArrayPutClient}).
     */
    private static final boolean SIGNED_PAYLOAD = Boolean.parseBoolean(System.getProperty("lovoccs.s3.signed-payload",
            System.getenv().getOrDefault("LOVOCCS_S3_SIGNED_PAYLOAD", "false")));
    /** The part size of larger objects. */
    private static final long PART = 64L << 20;

    /**
     * The part size for an object of {@code size} bytes: the whole object (one PUT) up to {@link #SINGLE_PUT_MAX},
     * else 64 MiB parts. minio-java's default (-1) sends a 64 MB object as a multipart upload of 5 MiB parts, which
     * S3Proxy's filesystem store writes twice (0.8-1.1 s per 64 MB against 0.4-0.5 s in one PUT here).
     */
    static long partSize(long size) {
        return size <= SINGLE_PUT_MAX ? Math.max(MIN_PART, size) : PART;
    }

    public void put(String bucket, String key, byte[] bytes, String contentType, Map<String, String> userMetadata) {
        Map<String, String> meta = userMetadata == null ? Map.of() : userMetadata;
        if (bytes.length <= SINGLE_PUT_MAX) {
            call("put", bucket, key, bytes.length, () -> {
                arrayPut.put(bucket, key, bytes, contentType, meta);
                return null;
            });
            return;
        }
        call("put", bucket, key, bytes.length, () -> client.putObject(PutObjectArgs.builder().bucket(bucket)
                .object(key).stream(new ByteArrayInputStream(bytes), bytes.length, partSize(bytes.length))
                .contentType(contentType).userMetadata(meta).build()));
    }

    public void put(String bucket, String key, Path file, String contentType) {
        long size;
        try {
            size = Files.size(file);
        } catch (java.io.IOException e) {
            throw new ObjectStoreException("S3 put s3://" + bucket + "/" + key + ": cannot read " + file + ": " + e, e);
        }
        call("put", bucket, key, size, () -> {
            try (InputStream in = Files.newInputStream(file)) {
                return client.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                        .stream(in, size, partSize(size)).contentType(contentType).build());
            }
        });
    }

    /**
     * Reads {@code s3://bucket/key}, or a {@code file:///path} registered by {@code ingest-raws --transfer direct},
     * whole or the byte range {@code offset + length}, and checks it against the checksum recorded for it
     * ({@code sha256:<hex>}, skipped when null).
     *
     * @param what what the bytes are, for the message (e.g. {@code raw {exposure=..., detector=...}})
     * @throws IllegalStateException when the bytes do not match: the stored object changed or is damaged
     */
    public byte[] readChecked(String s3Uri, Long offset, Long length, String checksum, String what) {
        byte[] bytes;
        if (s3Uri.startsWith("file:")) {
            bytes = LocalFiles.read(s3Uri, offset, length, what);
        } else {
            if (!s3Uri.startsWith("s3://") || s3Uri.indexOf('/', 5) < 0) {
                throw new IllegalArgumentException(what + ": not an s3://bucket/key or file:/// URI: " + s3Uri);
            }
            String bucket = s3Uri.substring(5, s3Uri.indexOf('/', 5));
            String key = s3Uri.substring(s3Uri.indexOf('/', 5) + 1);
            bytes = offset == null ? get(bucket, key) : getRange(bucket, key, offset, length);
        }
        if (checksum != null && !checksum.equals(Checksums.sha256(bytes))) {
            throw new IllegalStateException(what + " " + s3Uri + (offset == null ? "" : " bytes " + offset + "+"
                    + length) + " do not match the checksum recorded in the registry (" + checksum + "): the"
                    + " stored object changed or is damaged");
        }
        return bytes;
    }

    public byte[] get(String bucket, String key) {
        return call("get", bucket, key, () -> {
            try (GetObjectResponse r = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
                String length = r.headers().get("Content-Length");
                return length == null ? r.readAllBytes() : readExactly(r, Long.parseLong(length));
            }
        });
    }

    /** Bytes {@code [offset, offset+length)} of the object (an HTTP range request). */
    public byte[] getRange(String bucket, String key, long offset, long length) {
        return call("get range " + offset + "+" + length + " of", bucket, key, () -> {
            try (GetObjectResponse r = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key)
                    .offset(offset).length(length).build())) {
                return readExactly(r, length);
            }
        });
    }

    /**
     * The {@code length} bytes of a response, read straight into one array of that size: {@code readAllBytes} grows
     * and copies its buffers, which cost as much CPU as the transfer itself on a 64 MB object.
     */
    private static byte[] readExactly(InputStream in, long length) throws java.io.IOException {
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("object of " + length + " bytes is too large to read into memory");
        }
        byte[] b = new byte[(int) length];
        int n = 0;
        while (n < b.length) {
            int r = in.read(b, n, b.length - n);
            if (r < 0) {
                throw new IllegalStateException("asked for " + length + " bytes, got " + n);
            }
            n += r;
        }
        if (in.read() >= 0) {
            throw new IllegalStateException("asked for " + length + " bytes, got more");
        }
        return b;
    }

    /** A stream over the whole object; the caller closes it. */
    public InputStream open(String bucket, String key) {
        return call("get", bucket, key, () -> client.getObject(GetObjectArgs.builder().bucket(bucket).object(key)
                .build()));
    }

    /** The object's description, or empty when there is no such object. */
    public Optional<ObjectInfo> stat(String bucket, String key) {
        return call("stat", bucket, key, () -> {
            try {
                StatObjectResponse s = client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
                return Optional.of(new ObjectInfo(bucket, key, s.size(), s.etag(), s.userMetadata()));
            } catch (ErrorResponseException e) {
                if ("NoSuchKey".equals(e.errorResponse().code()) || "NoSuchObject".equals(e.errorResponse().code())) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    /** Every object under {@code prefix}, recursively. */
    public List<ObjectInfo> list(String bucket, String prefix) {
        return call("list", bucket, prefix, () -> {
            List<ObjectInfo> out = new ArrayList<>();
            for (Result<Item> r : client.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix)
                    .recursive(true).build())) {
                Item i = r.get();
                if (!i.isDir()) {
                    out.add(new ObjectInfo(bucket, i.objectName(), i.size(), i.etag(), Map.of()));
                }
            }
            return out;
        });
    }

    /** Server-side copy: the bytes do not pass through this process. */
    public void copy(String fromBucket, String fromKey, String toBucket, String toKey) {
        copy(fromBucket, fromKey, toBucket, toKey, null);
    }

    /**
     * Server-side copy that happens only if the source still has ETag {@code etag} (null: any), so what
     * is copied is exactly what was checked; a changed source fails the copy.
     */
    public void copy(String fromBucket, String fromKey, String toBucket, String toKey, String etag) {
        CopySource.Builder source = CopySource.builder().bucket(fromBucket).object(fromKey);
        if (etag != null) {
            source.matchETag(etag);
        }
        call("copy s3://" + fromBucket + "/" + fromKey + " to", toBucket, toKey, () -> client.copyObject(
                CopyObjectArgs.builder().bucket(toBucket).object(toKey).source(source.build()).build()));
    }

    public void remove(String bucket, String key) {
        call("remove", bucket, key, () -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
            return null;
        });
    }

    private interface S3Call<T> {
        T run() throws Exception;
    }

    private <T> T call(String op, String bucket, String key, S3Call<T> c) {
        return call(op, bucket, key, 0, c);
    }

    /** {@code bytes}: what the call writes, if it writes (a full disk is one with less than twice that free). */
    private <T> T call(String op, String bucket, String key, long bytes, S3Call<T> c) {
        try {
            return c.run();
        } catch (ObjectStoreException e) {
            throw e;
        } catch (Exception e) {
            String hint = e instanceof ErrorResponseException r && "InternalError".equals(r.errorResponse().code())
                    ? internalErrorHint(storeDir(), Math.max(MIN_FREE_BYTES, 2 * bytes)) : "";
            throw new ObjectStoreException("S3 " + op + " s3://" + bucket + "/" + key + " at " + endpoint
                    + " failed: " + e + hint, e);
        }
    }

    /** Below this much free space, the store's disk is called full. */
    static final long MIN_FREE_BYTES = 256L << 20;

    /** {@code LOVOCCS_S3_STORE_DIR}: where the embedded S3 server keeps its objects ({@code stack.sh env}), or null. */
    private static Path storeDir() {
        String d = System.getenv("LOVOCCS_S3_STORE_DIR");
        return d == null || d.isBlank() ? null : Path.of(d);
    }

    /**
     * What to add to an S3 InternalError's message. S3Proxy answers a full disk with InternalError ("An internal
     * error occurred. Try again."), which says nothing of the cause: with the store's directory known, its free
     * space tells; without it, the hint names the possibility.
     */
    static String internalErrorHint(Path storeDir, long minFree) {
        if (storeDir != null && Files.isDirectory(storeDir)) {
            try {
                long free = Files.getFileStore(storeDir).getUsableSpace();
                if (free < minFree) {
                    return String.format(" -- the object store's disk is full: %d MB free at %s. Free space (./lovoccs"
                            + " clean removes every object of the embedded store; or delete a cluster's runs), then"
                            + " run what failed again (./lovoccs pipetask retry CLUSTER)", free >> 20, storeDir);
                }
                return String.format(" -- the object store's disk has %d MB free at %s, so not a full disk: see the S3"
                        + " server's log (.lovoccs/logs/s3proxy.log for the embedded one)", free >> 20, storeDir);
            } catch (java.io.IOException ignored) {
                // fall through to the general hint
            }
        }
        return " -- S3Proxy answers InternalError when its disk is full, among other causes: check the free space of"
                + " its store and its log";
    }
}
