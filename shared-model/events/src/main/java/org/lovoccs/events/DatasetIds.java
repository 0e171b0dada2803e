package org.lovoccs.events;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Deterministic dataset IDs, as daf_butler makes them for raws and pipeline outputs: a UUIDv5 (SHA-1,
 * RFC 4122) over {@code dataset_type=<name>,run=<run>,<dim>=<value>,...} with the required data-ID
 * keys sorted by name, in a fixed namespace. The same type, run and data ID always give the same ID,
 * which is what makes ingestion and output recording idempotent.
 */
public final class DatasetIds {
    /** The project's namespace for dataset IDs (a UUIDv5 of the DNS name "lovoccs.org" in the DNS namespace). */
    public static final UUID NAMESPACE = nameUuid(UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "lovoccs.org");

    public static UUID deterministic(DatasetType type, String run, DataId dataId) {
        String name = "dataset_type=" + type.name() + ",run=" + run + "," + type.required(dataId).canonical();
        return nameUuid(NAMESPACE, name);
    }

    /** A quantum's ID: UUIDv5 over the task label, the cluster and the quantum's data ID. */
    public static UUID quantum(String taskLabel, String cluster, DataId dataId) {
        return nameUuid(NAMESPACE, "quantum=" + taskLabel + ",cluster=" + cluster + "," + dataId.canonical());
    }

    /** RFC 4122 version-5 (SHA-1) name-based UUID. */
    public static UUID nameUuid(UUID namespace, String name) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            ByteBuffer ns = ByteBuffer.allocate(16);
            ns.putLong(namespace.getMostSignificantBits()).putLong(namespace.getLeastSignificantBits());
            sha1.update(ns.array());
            byte[] h = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
            h[6] = (byte) ((h[6] & 0x0f) | 0x50);
            h[8] = (byte) ((h[8] & 0x3f) | 0x80);
            ByteBuffer bb = ByteBuffer.wrap(h, 0, 16);
            return new UUID(bb.getLong(), bb.getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every Java runtime", e);
        }
    }

    private DatasetIds() {
    }
}
