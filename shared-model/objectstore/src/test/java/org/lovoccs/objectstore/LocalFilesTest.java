package org.lovoccs.objectstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Datasets registered in place ({@code file:///}) are read by the worker shell's {@link ObjectStore#readChecked}. */
class LocalFilesTest {

    @TempDir
    Path dir;

    // never contacted: file:// reads do not touch the object store
    private final ObjectStore store = new ObjectStore("http://127.0.0.1:9", "k", "s");

    @Test
    void readsAByteRangeAndChecksIt() throws Exception {
        Path f = dir.resolve("raw.fits");
        Files.write(f, "0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        byte[] hdu = "456789".getBytes(StandardCharsets.US_ASCII);
        byte[] read = store.readChecked(f.toUri().toString(), 4L, 6L, Checksums.sha256(hdu), "raw {detector=1}");
        assertArrayEquals(hdu, read);
        assertArrayEquals(Files.readAllBytes(f), store.readChecked(f.toUri().toString(), null, null, null, "whole"));
    }

    @Test
    void aChangedFileIsAChecksumMismatch() throws Exception {
        Path f = dir.resolve("raw.fits");
        Files.write(f, "0123456789".getBytes(StandardCharsets.US_ASCII));
        String recorded = Checksums.sha256("0123".getBytes(StandardCharsets.US_ASCII));
        Files.write(f, "X123456789".getBytes(StandardCharsets.US_ASCII));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> store.readChecked(f.toUri().toString(), 0L, 4L, recorded, "raw {detector=1}"));
        assertTrue(e.getMessage().contains("do not match the checksum recorded"), e.getMessage());
    }

    @Test
    void aMissingFileNamesTheMachineThePathAndWhatToDo() {
        Path f = dir.resolve("gone/raw.fits");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> store.readChecked(f.toUri().toString(), 0L, 10L, null, "raw {detector=1}"));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist on " + LocalFiles.host()), e.getMessage());
        assertTrue(e.getMessage().contains("--transfer copy"), e.getMessage());
    }

    @Test
    void aRangeBeyondTheFileSaysItChanged() throws Exception {
        Path f = dir.resolve("short.fits");
        Files.write(f, new byte[10]);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> store.readChecked(f.toUri().toString(), 8L, 4L, null, "raw {detector=1}"));
        assertTrue(e.getMessage().contains("has 10 bytes") && e.getMessage().contains("changed"), e.getMessage());
    }

    @Test
    void onlyAbsoluteFileUrisAreAccepted() {
        assertThrows(IllegalArgumentException.class, () -> LocalFiles.path("file://otherhost/data/raw.fits"));
        assertThrows(IllegalArgumentException.class, () -> LocalFiles.path("http://x/raw.fits"));
    }
}
