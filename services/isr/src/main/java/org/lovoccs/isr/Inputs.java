package org.lovoccs.isr;

import org.lovoccs.events.DatasetRef;
import org.lovoccs.events.S3Uri;
import org.lovoccs.events.StorageLocation;
import org.lovoccs.objectstore.Checksums;
import org.lovoccs.objectstore.ObjectStore;

/** Reads a quantum's input dataset from object storage, whole or its byte range, checked against its checksum. */
final class Inputs {
    static byte[] read(ObjectStore store, DatasetRef ref) {
        StorageLocation loc = ref.location();
        S3Uri uri = S3Uri.parse(loc.uri());
        byte[] bytes = loc.byteOffset() == null ? store.get(uri.bucket(), uri.key())
                : store.getRange(uri.bucket(), uri.key(), loc.byteOffset(), loc.byteLength());
        if (loc.checksum() != null && !loc.checksum().equals(Checksums.sha256(bytes))) {
            throw new IllegalStateException(ref.datasetType() + " " + loc.uri() + (loc.byteOffset() == null ? ""
                    : " bytes " + loc.byteOffset() + "+" + loc.byteLength()) + " do not match the checksum recorded"
                    + " in the registry (" + loc.checksum() + "): the stored dataset changed or is damaged");
        }
        return bytes;
    }

    private Inputs() {
    }
}
