package org.lovoccs.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovoccs.events.DataId;
import org.lovoccs.events.DatasetRef;
import org.lovoccs.events.StorageLocation;
import org.lovoccs.objectstore.Checksums;

/** The worker's dataset cache on its own: what it keeps, what it serves, and what it does with a damaged entry. */
class DatasetCacheTest {
    @TempDir
    Path dir;

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static DatasetRef ref(String type, byte[] content) {
        return new DatasetRef(UUID.randomUUID(), type, "DECam/calib/X", DataId.of(Map.of("detector", 1)),
                StorageLocation.whole("s3://repo/" + type + "/" + UUID.randomUUID() + ".fits",
                        content == null ? null : Checksums.sha256(content)));
    }

    /** A fetch from "the object store" that counts how often it is called. */
    private static java.util.function.Supplier<byte[]> fetch(byte[] content, AtomicInteger calls) {
        return () -> {
            calls.incrementAndGet();
            return content.clone();
        };
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void aSecondReadOfACachedTypeIsServedFromDiskWithTheSameBytes() {
        DatasetCache cache = new DatasetCache(dir, 1 << 20, 0, Set.of("bias"));
        byte[] bias = bytes(100_000, 1);
        AtomicInteger calls = new AtomicInteger();
        DatasetRef r = ref("bias", bias);
        assertArrayEquals(bias, cache.read(r, fetch(bias, calls)));
        assertEquals(1, calls.get());
        assertEquals(new DatasetCache.Counts(0, 0, 1), cache.threadCounts());
        // another ref (another URI, e.g. the same bias certified in another collection) with the same checksum
        assertArrayEquals(bias, cache.read(ref("bias", bias), fetch(bias, calls)));
        assertEquals(1, calls.get(), "the second read must not reach the object store");
        assertEquals(new DatasetCache.Counts(1, bias.length, 1), cache.threadCounts());
        cache.resetThreadCounts();
        assertEquals(new DatasetCache.Counts(0, 0, 0), cache.threadCounts());
    }

    @Test
    void typesItIsNotForAndDatasetsWithoutAChecksumAreNeverKept() throws IOException {
        DatasetCache cache = new DatasetCache(dir, 1 << 20, 0, Set.of("bias"));
        byte[] raw = bytes(5000, 2);
        AtomicInteger calls = new AtomicInteger();
        cache.read(ref("raw", raw), fetch(raw, calls));
        cache.read(ref("raw", raw), fetch(raw, calls));
        cache.read(ref("bias", null), fetch(raw, calls));
        cache.read(ref("bias", null), fetch(raw, calls));
        assertEquals(4, calls.get());
        assertEquals(List.of(), files());
        assertEquals(0, cache.size());
    }

    @Test
    void aDamagedEntryIsRemovedAndTheDatasetReadFromTheStoreAgain() throws IOException {
        DatasetCache cache = new DatasetCache(dir, 1 << 20, 0, Set.of("flat"));
        byte[] flat = bytes(50_000, 3);
        AtomicInteger calls = new AtomicInteger();
        DatasetRef r = ref("flat", flat);
        cache.read(r, fetch(flat, calls));
        Path entry = files().get(0);
        try (RandomAccessFile f = new RandomAccessFile(entry.toFile(), "rw")) {
            f.seek(20_000);
            int b = f.read();
            f.seek(20_000);
            f.write(b ^ 0x10); // one bit flipped on disk
        }
        assertArrayEquals(flat, cache.read(r, fetch(flat, calls)), "the store's bytes, not the damaged file's");
        assertEquals(2, calls.get());
        // kept again, whole
        assertArrayEquals(flat, cache.read(r, fetch(flat, calls)));
        assertEquals(2, calls.get());
        assertArrayEquals(flat, Files.readAllBytes(files().get(0)));
        // a truncated entry too
        try (RandomAccessFile f = new RandomAccessFile(files().get(0).toFile(), "rw")) {
            f.setLength(100);
        }
        assertArrayEquals(flat, cache.read(r, fetch(flat, calls)));
        assertEquals(3, calls.get());
    }

    @Test
    void theLeastRecentlyUsedEntriesGoWhenTheLimitIsPassed() {
        DatasetCache cache = new DatasetCache(dir, 250_000, 0, Set.of("bias"));
        byte[][] b = {bytes(100_000, 10), bytes(100_000, 11), bytes(100_000, 12)};
        DatasetRef[] r = {ref("bias", b[0]), ref("bias", b[1]), ref("bias", b[2])};
        AtomicInteger calls = new AtomicInteger();
        cache.read(r[0], fetch(b[0], calls));
        cache.read(r[1], fetch(b[1], calls));
        cache.read(r[0], fetch(b[0], calls)); // 0 used after 1
        assertEquals(2, calls.get());
        cache.read(r[2], fetch(b[2], calls)); // 300 kB > 250 kB: 1, the least recently used, goes
        assertEquals(3, calls.get());
        assertEquals(2, cache.size());
        assertEquals(200_000, cache.bytes());
        cache.read(r[0], fetch(b[0], calls));
        cache.read(r[2], fetch(b[2], calls));
        assertEquals(3, calls.get(), "0 and 2 are still there");
        cache.read(r[1], fetch(b[1], calls));
        assertEquals(4, calls.get(), "1 was removed");
    }

    @Test
    void aNewCacheOnTheSameDirectoryUsesWhatAnEarlierOneKeptAndDropsHalfWrittenFiles() throws IOException {
        byte[] bias = bytes(10_000, 4);
        AtomicInteger calls = new AtomicInteger();
        new DatasetCache(dir, 1 << 20, 0, Set.of("bias")).read(ref("bias", bias), fetch(bias, calls));
        Files.write(dir.resolve(".tmp-" + UUID.randomUUID()), bytes(10, 5)); // a write the restart interrupted
        DatasetCache again = new DatasetCache(dir, 1 << 20, 0, Set.of("bias"));
        assertEquals(1, again.size());
        assertArrayEquals(bias, again.read(ref("bias", bias), fetch(bias, calls)));
        assertEquals(1, calls.get());
        assertEquals(1, files().size(), "the temporary file is removed");
    }

    @Test
    void nothingIsAddedWhenTheDiskHasLessFreeThanAsked() throws IOException {
        DatasetCache cache = new DatasetCache(dir, 1 << 20, Long.MAX_VALUE / 2, Set.of("bias"));
        byte[] bias = bytes(1000, 6);
        AtomicInteger calls = new AtomicInteger();
        assertArrayEquals(bias, cache.read(ref("bias", bias), fetch(bias, calls)));
        assertArrayEquals(bias, cache.read(ref("bias", bias), fetch(bias, calls)));
        assertEquals(2, calls.get());
        assertEquals(List.of(), files());
    }

    @Test
    void zeroGigabytesTurnsTheCacheOff() {
        assertEquals(null, DatasetCache.open(dir.toString(), 0, 5, List.of("bias")));
        DatasetCache c = DatasetCache.open(dir.resolve("sub").toString(), 0.5, 0, List.of("bias", "flat"));
        assertTrue(c.caches(ref("flat", bytes(10, 7))));
        assertFalse(c.caches(ref("raw", bytes(10, 7))));
        assertEquals(500_000_000L, c.maxBytes());
    }
}
