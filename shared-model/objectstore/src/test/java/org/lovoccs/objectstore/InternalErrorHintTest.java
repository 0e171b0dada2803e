package org.lovoccs.objectstore;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * S3Proxy answers a full disk with a bare InternalError ("An internal error occurred. Try again."): the message the
 * user reads must say whether the store's disk is full and what to do. Checked by hand against an S3Proxy on a 24 MB
 * tmpfs (stack/README.md, Troubleshooting); here, the three answers.
 */
class InternalErrorHintTest {

    @Test
    void aStoreBelowTheFreeSpaceFloorIsCalledFull(@TempDir Path dir) {
        String hint = ObjectStore.internalErrorHint(dir, Long.MAX_VALUE);
        assertTrue(hint.contains("disk is full") && hint.contains(dir.toString()) && hint.contains("./lovoccs clean")
                && hint.contains("pipetask retry"), hint);
    }

    @Test
    void aStoreWithRoomPointsAtTheServersLog(@TempDir Path dir) {
        String hint = ObjectStore.internalErrorHint(dir, 0);
        assertTrue(hint.contains("not a full disk") && hint.contains("s3proxy.log"), hint);
    }

    @Test
    void withoutTheStoreDirectoryTheHintNamesThePossibility() {
        String hint = ObjectStore.internalErrorHint(null, ObjectStore.MIN_FREE_BYTES);
        assertTrue(hint.contains("disk is full, among other causes"), hint);
        assertTrue(ObjectStore.internalErrorHint(Path.of("/no/such/dir"), 0).contains("among other causes"));
    }
}
