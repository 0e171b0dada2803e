package org.lovoccs.contract;

import java.util.Map;

import org.lovoccs.objectstore.ObjectStore;

/**
 * Run in its own JVM by {@link ObjectStorePutTest}, so that the object store's single-PUT limit and payload signing
 * can be set as system properties before the class reads them: PUTs {@code args[1]} bytes to {@code args[0]} in the
 * test repository and removes it. Exits 0 when the PUT succeeded; otherwise prints the error and exits 1.
 */
public final class ObjectStorePutProbe {

    private ObjectStorePutProbe() {
    }

    public static void main(String[] args) {
        ObjectStore store = TestServers.store();
        store.ensureBucket(TestServers.REPO);
        byte[] bytes = new byte[Integer.parseInt(args[1])];
        bytes[bytes.length - 1] = 1;
        try {
            store.put(TestServers.REPO, args[0], bytes, "application/octet-stream", Map.of());
            long size = store.stat(TestServers.REPO, args[0]).orElseThrow().size();
            store.remove(TestServers.REPO, args[0]);
            System.out.println("stored " + size + " bytes");
            System.exit(size == bytes.length ? 0 : 1);
        } catch (RuntimeException e) {
            System.out.println("refused: " + e.getMessage());
            System.exit(1);
        }
    }
}
