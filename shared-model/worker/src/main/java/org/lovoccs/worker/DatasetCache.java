package org.lovoccs.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

import org.lovoccs.events.DatasetRef;
import org.lovoccs.events.StorageLocation;

/**
 * A worker's local copy of the inputs it reads again and again: the master calibrations and curated calibrations
 * every CCD of every visit reads (a master bias or flat is 68 MB per CCD, read once per exposure of the cluster), kept
 * on the worker's own disk so that a later exposure reads them there instead of through the object store (the daf_butler
 * datastore cache does the same for remote butlers).
 *
 * <p>The cache is addressed by content: an entry is the bytes whose SHA-256 the registry recorded, stored under that
 * checksum once the object store's bytes were checked against it. A dataset type the cache is not for, or a dataset
 * without a recorded checksum, is never cached. An entry's file name also holds the CRC-32C of its bytes, checked on
 * every read (a damaged file is removed and the dataset read from the store again, said so in the worker's log);
 * CRC-32C costs a hundredth of the SHA-256 the store's read checks. Files are written under a temporary name and
 * moved into place, so two quanta reading the same dataset at once never see half a file. Least recently used entries
 * are removed once the cache holds more than its limit; nothing is cached while the disk it is on has less than
 * {@code minFreeBytes} free. The entries left by an earlier run of the worker (the same directory) are used again.
 */
public final class DatasetCache {
    private static final Logger LOG = Logger.getLogger(DatasetCache.class.getName());
    private static final Pattern ENTRY = Pattern.compile("([0-9a-f]{64})\\.([0-9a-f]{8})\\.bin");
    private static final String SHA256 = "sha256:";

    private record Entry(Path file, long size, int crc, AtomicLong lastUsed) {
    }

    /** What this thread's reads took from the cache since {@link #resetThreadCounts()}. */
    public record Counts(int hits, long hitBytes, int misses) {
    }

    private static final class ThreadCounts {
        int hits;
        long hitBytes;
        int misses;
    }

    private final Path dir;
    private final long maxBytes;
    private final long minFreeBytes;
    private final Set<String> datasetTypes;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong totalBytes = new AtomicLong();
    private final AtomicLong clock = new AtomicLong();
    private final ThreadLocal<ThreadCounts> counts = ThreadLocal.withInitial(ThreadCounts::new);
    private volatile boolean warnedDiskFull;

    /**
     * @param dir          the cache's directory (made if missing); its entries from an earlier run are used again
     * @param maxBytes     most bytes kept; least recently used entries are removed beyond it
     * @param minFreeBytes nothing is added while the directory's disk has less than this free
     * @param datasetTypes the dataset types cached (e.g. bias, flat)
     */
    public DatasetCache(Path dir, long maxBytes, long minFreeBytes, Set<String> datasetTypes) {
        if (maxBytes <= 0 || minFreeBytes < 0) {
            throw new IllegalArgumentException("the dataset cache needs maxBytes > 0 and minFreeBytes >= 0, got "
                    + maxBytes + " and " + minFreeBytes);
        }
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.minFreeBytes = minFreeBytes;
        this.datasetTypes = Set.copyOf(datasetTypes);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the worker's dataset cache directory " + dir + ": "
                    + e.getMessage() + "; set lovoccs.worker.cache.dir (LOVOCCS_WORKER_CACHE_DIR) to a writable"
                    + " directory, or lovoccs.worker.cache.max-gb=0 to run without the cache", e);
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalStateException("the worker's dataset cache directory " + dir + " is not writable; set"
                    + " lovoccs.worker.cache.dir (LOVOCCS_WORKER_CACHE_DIR) to a writable directory, or"
                    + " lovoccs.worker.cache.max-gb=0 to run without the cache");
        }
        load();
    }

    /**
     * The cache a service's configuration asks for, or null when {@code maxGb} is 0 (no cache); says what it holds in
     * the service's log.
     *
     * @param dir          {@code lovoccs.worker.cache.dir}
     * @param maxGb        {@code lovoccs.worker.cache.max-gb}, GB (10^9 bytes); 0 turns the cache off
     * @param minFreeGb    {@code lovoccs.worker.cache.min-free-gb}
     * @param datasetTypes {@code lovoccs.worker.cache.dataset-types}
     */
    public static DatasetCache open(String dir, double maxGb, double minFreeGb, java.util.Collection<String> datasetTypes) {
        if (!(maxGb >= 0) || !(minFreeGb >= 0)) {
            throw new IllegalArgumentException("lovoccs.worker.cache.max-gb and min-free-gb must be >= 0 (GB), got "
                    + maxGb + " and " + minFreeGb);
        }
        if (maxGb == 0 || datasetTypes.isEmpty()) {
            LOG.info("dataset cache: off (lovoccs.worker.cache.max-gb=0 or no dataset types): every input is read from"
                    + " the object store");
            return null;
        }
        DatasetCache c = new DatasetCache(Path.of(dir), (long) (maxGb * 1e9), (long) (minFreeGb * 1e9),
                Set.copyOf(datasetTypes));
        LOG.info(String.format(Locale.ROOT, "dataset cache at %s: %d entries, %.2f GB of at most %.2f GB, for %s",
                c.dir(), c.size(), c.bytes() / 1e9, maxGb, String.join(", ", new java.util.TreeSet<>(datasetTypes))));
        return c;
    }

    /** The entries an earlier run left, oldest first in the LRU order; temporary files of an interrupted write removed. */
    private void load() {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                files.add(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the worker's dataset cache " + dir + ": " + e.getMessage(), e);
        }
        files.sort(Comparator.comparingLong(DatasetCache::modified));
        for (Path p : files) {
            Matcher m = ENTRY.matcher(p.getFileName().toString());
            try {
                if (m.matches()) {
                    long size = Files.size(p);
                    entries.put(m.group(1), new Entry(p, size, Integer.parseUnsignedInt(m.group(2), 16),
                            new AtomicLong(clock.incrementAndGet())));
                    totalBytes.addAndGet(size);
                } else if (p.getFileName().toString().startsWith(".tmp-")) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                LOG.warning("dataset cache: cannot use " + p + ": " + e.getMessage());
            }
        }
        evict();
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Whether a dataset is one the cache keeps: a cached type with a recorded SHA-256. */
    public boolean caches(DatasetRef ref) {
        StorageLocation loc = ref.location();
        return datasetTypes.contains(ref.datasetType()) && loc != null && loc.checksum() != null
                && loc.checksum().startsWith(SHA256) && loc.checksum().length() == SHA256.length() + 64;
    }

    /**
     * The dataset's bytes from the cache when it holds them, else from {@code fetch} (which must return the bytes
     * already checked against the dataset's recorded checksum), kept for the next read.
     */
    public byte[] read(DatasetRef ref, Supplier<byte[]> fetch) {
        if (!caches(ref)) {
            return fetch.get();
        }
        String key = ref.location().checksum().substring(SHA256.length());
        Entry e = entries.get(key);
        if (e != null) {
            byte[] bytes = readEntry(key, e, ref);
            if (bytes != null) {
                ThreadCounts c = counts.get();
                c.hits++;
                c.hitBytes += bytes.length;
                return bytes;
            }
        }
        byte[] bytes = fetch.get();
        counts.get().misses++;
        put(key, bytes);
        return bytes;
    }

    /** An entry's bytes, or null (and the entry removed) when its file is gone or damaged. */
    private byte[] readEntry(String key, Entry e, DatasetRef ref) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(e.file());
        } catch (IOException ex) {
            // removed meanwhile to make room (another quantum), or the disk failed: read from the store
            drop(key, e, null);
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        if (bytes.length != e.size() || (int) crc.getValue() != e.crc()) {
            drop(key, e, "dataset cache: " + e.file() + " (" + ref.datasetType() + " " + ref.dataId() + ") is damaged"
                    + " (" + bytes.length + " bytes, CRC-32C " + String.format(Locale.ROOT, "%08x", (int) crc.getValue())
                    + ", written as " + e.size() + " bytes, " + String.format(Locale.ROOT, "%08x", e.crc()) + "): removed,"
                    + " read from the object store instead; check the disk of " + dir);
            return null;
        }
        e.lastUsed().set(clock.incrementAndGet());
        return bytes;
    }

    private void drop(String key, Entry e, String warning) {
        if (entries.remove(key, e)) {
            totalBytes.addAndGet(-e.size());
        }
        try {
            Files.deleteIfExists(e.file());
        } catch (IOException ex) {
            LOG.warning("dataset cache: cannot remove " + e.file() + ": " + ex.getMessage());
        }
        if (warning != null) {
            LOG.warning(warning);
        }
    }

    private void put(String key, byte[] bytes) {
        if (bytes.length > maxBytes || entries.containsKey(key)) {
            return;
        }
        try {
            if (Files.getFileStore(dir).getUsableSpace() - bytes.length < minFreeBytes) {
                if (!warnedDiskFull) {
                    warnedDiskFull = true;
                    LOG.warning("dataset cache: the disk of " + dir + " has less than " + minFreeBytes / (1 << 20)
                            + " MB free: nothing more is cached until it has (inputs are read from the object store"
                            + " as without the cache); free the disk or lower lovoccs.worker.cache.min-free-gb");
                }
                return;
            }
            warnedDiskFull = false;
            CRC32C crc = new CRC32C();
            crc.update(bytes);
            int c = (int) crc.getValue();
            Path file = dir.resolve(key + "." + String.format(Locale.ROOT, "%08x", c) + ".bin");
            Path tmp = dir.resolve(".tmp-" + UUID.randomUUID());
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException ex) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            Entry e = new Entry(file, bytes.length, c, new AtomicLong(clock.incrementAndGet()));
            if (entries.putIfAbsent(key, e) == null) {
                totalBytes.addAndGet(bytes.length);
                evict();
            }
        } catch (IOException ex) {
            // a cache that cannot write costs only the reads it would have saved
            LOG.warning("dataset cache: cannot write to " + dir + ": " + ex.getMessage() + " (the input was read from"
                    + " the object store and is used as is)");
        }
    }

    /** Removes least recently used entries until the cache holds at most its limit. */
    private synchronized void evict() {
        if (totalBytes.get() <= maxBytes) {
            return;
        }
        List<java.util.Map.Entry<String, Entry>> byAge = new ArrayList<>(entries.entrySet());
        byAge.sort(Comparator.comparingLong(x -> x.getValue().lastUsed().get()));
        for (var x : byAge) {
            if (totalBytes.get() <= maxBytes) {
                break;
            }
            drop(x.getKey(), x.getValue(), null);
        }
    }

    /** Starts this thread's counts afresh (a quantum starts). */
    public void resetThreadCounts() {
        counts.remove();
    }

    /** What this thread read through the cache since the last reset. */
    public Counts threadCounts() {
        ThreadCounts c = counts.get();
        return new Counts(c.hits, c.hitBytes, c.misses);
    }

    public Path dir() {
        return dir;
    }

    /** Entries held now. */
    public int size() {
        return entries.size();
    }

    /** Bytes held now. */
    public long bytes() {
        return totalBytes.get();
    }

    public long maxBytes() {
        return maxBytes;
    }
}
