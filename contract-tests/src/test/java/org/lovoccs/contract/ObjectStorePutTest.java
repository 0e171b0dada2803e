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
 * as an {@link ObjectStoreException} naming the operation and the object.
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
            assertEquals(large.length, store.stat(TestServers.REPO, key + "/large.fits").orElseThrow().size());
        } finally {
            store.remove(TestServers.REPO, key + "/small.fits");
            store.remove(TestServers.REPO, key + "/large.fits");
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
