package org.lovoccs.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.lovoccs.objectstore.ObjectInfo;
import org.lovoccs.objectstore.ObjectStore;
import org.lovoccs.objectstore.ObjectStoreException;

/**
 * {@link ObjectStore#put(String, String, byte[], String, Map)} against the embedded S3 server: an array up to the
 * single-PUT size goes as the request body itself (not through minio-java's part buffer), so what must hold is what
 * any PUT gives: the same bytes back, the size, the content type's object stored, the user metadata, and S3's errors
 * as an {@link ObjectStoreException} naming the operation and the object. The body goes unsigned
 * ({@code UNSIGNED-PAYLOAD}) unless {@code LOVOCCS_S3_SIGNED_PAYLOAD=true}: the server's ETag must still be the MD5 of
 * the bytes sent, and the request's signature must still be checked.
 */
class ObjectStorePutTest {

    @Test
    void anArrayPutIsReadBackWithItsMetadata() {
        ObjectStore store = TestServers.store();
        store.ensureBucket(TestServers.REPO);
        String key = "tests/object-store-put/" + System.nanoTime();
        byte[] small = "SIMPLE  =                    T".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        store.put(TestServers.REPO, key + "/small.fits", small, "application/fits", Map.of("run", "put-test"));
        // a CCD plane's worth of bytes, one PUT
        byte[] large = new byte[32 << 20];
        new Random(5).nextBytes(large);
        store.put(TestServers.REPO, key + "/large.fits", large, "application/fits", null);
        try {
            assertArrayEquals(small, store.get(TestServers.REPO, key + "/small.fits"));
            assertArrayEquals(large, store.get(TestServers.REPO, key + "/large.fits"));
            ObjectInfo info = store.stat(TestServers.REPO, key + "/small.fits").orElseThrow();
            assertEquals(small.length, info.size());
            assertEquals("put-test", info.userMetadata().get("run"), info.userMetadata().toString());
            ObjectInfo largeInfo = store.stat(TestServers.REPO, key + "/large.fits").orElseThrow();
            assertEquals(large.length, largeInfo.size());
            // a single PUT's ETag is the MD5 the server computed of what it received
            assertEquals(md5Hex(large), largeInfo.etag().replace("\"", ""), "ETag of the 32 MB object");
            assertEquals(md5Hex(small), info.etag().replace("\"", ""), "ETag of the small object");
        } finally {
            store.remove(TestServers.REPO, key + "/small.fits");
            store.remove(TestServers.REPO, key + "/large.fits");
        }
    }

    @Test
    void aPutSignedWithTheWrongSecretIsRefused() {
        ObjectStore good = TestServers.store();
        good.ensureBucket(TestServers.REPO);
        ObjectStore.Credentials keys = ObjectStore.Credentials.fromEnvironment();
        ObjectStore wrong = new ObjectStore(good.endpoint(), keys.accessKey(), keys.secretKey() + "-not");
        String key = "tests/object-store-put/" + System.nanoTime() + "/refused.fits";
        ObjectStoreException e = assertThrows(ObjectStoreException.class,
                () -> wrong.put(TestServers.REPO, key, new byte[1 << 20], "application/fits", Map.of()));
        assertTrue(e.getMessage().contains("SignatureDoesNotMatch") || e.getMessage().contains("AccessDenied"),
                e.getMessage());
        assertTrue(good.stat(TestServers.REPO, key).isEmpty(), "nothing was stored");
    }

    /**
     * An unsigned body is streamed, not held: a 130 MB array goes in one PUT (the single-PUT limit raised to 200 MB
     * for this JVM), where S3Proxy refuses a signed body over 128 MB because it must hold it to check its hash.
     */
    @Test
    void aBodyOverS3ProxysSignedLimitGoesInOnePut() throws Exception {
        String key = "tests/object-store-put/" + System.nanoTime() + "/130mb.bin";
        ProcessResult unsigned = probe(key, 130 << 20, "-Dlovoccs.s3.single-put-max-mb=200");
        assertEquals(0, unsigned.code(), unsigned.output());
        assertTrue(unsigned.output().contains("stored " + (130 << 20) + " bytes"), unsigned.output());
    }

    private record ProcessResult(int code, String output) {
    }

    private static ProcessResult probe(String key, int bytes, String... jvmOptions) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>();
        command.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx768m");
        command.addAll(java.util.List.of(jvmOptions));
        command.addAll(java.util.List.of("-cp", System.getProperty("java.class.path"),
                ObjectStorePutProbe.class.getName(), key, Integer.toString(bytes)));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        return new ProcessResult(p.waitFor(), out);
    }

    private static String md5Hex(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aPutToAMissingBucketSaysWhatFailed() {
        ObjectStore store = TestServers.store();
        String bucket = "lovoccs-no-such-bucket-" + Long.toHexString(System.nanoTime());
        ObjectStoreException e = assertThrows(ObjectStoreException.class,
                () -> store.put(bucket, "a/b.fits", new byte[10], "application/fits", Map.of()));
        assertTrue(e.getMessage().contains("S3 put s3://" + bucket + "/a/b.fits at " + store.endpoint())
                && e.getMessage().contains("NoSuchBucket"), e.getMessage());
    }
}
