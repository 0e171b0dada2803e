package org.lovoccs.objectstore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ObjectStorePartSizeTest {

    @Test
    void ccdSizedObjectsGoInOnePutAndLargerOnesInPartsS3ProxyAccepts() {
        long mib = 1L << 20;
        assertEquals(5 * mib, ObjectStore.partSize(1000), "minio-java's smallest part for a small object");
        assertEquals(64 * mib, ObjectStore.partSize(64 * mib), "a postISRCCD in one PUT");
        assertEquals(100 * mib, ObjectStore.partSize(100 * mib), "a calexp with a plain mask in one PUT");
        // over S3Proxy's 128 MB limit on a signed request body: 64 MiB parts
        assertEquals(64 * mib, ObjectStore.partSize(100 * mib + 1));
        assertEquals(64 * mib, ObjectStore.partSize(1100 * mib), "a 62-CCD raw");
    }
}
