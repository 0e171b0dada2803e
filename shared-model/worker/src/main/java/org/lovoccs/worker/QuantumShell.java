package org.lovoccs.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.lovoccs.events.DatasetRef;
import org.lovoccs.events.EventCodec;
import org.lovoccs.events.QuantumFinished;
import org.lovoccs.events.QuantumReady;
import org.lovoccs.events.QuantumStarted;
import org.lovoccs.events.S3Uri;
import org.lovoccs.events.StorageLocation;
import org.lovoccs.events.Topics;
import org.lovoccs.objectstore.Checksums;
import org.lovoccs.objectstore.ObjectStore;

/**
 * What every worker does around a task: publishes {@code quantum.started}, runs the task, writes the quantum's log
 * next to its outputs ({@code <RUN>/logs/<label>/<quantum>.log}) and publishes {@code quantum.finished} with the
 * outputs as written (URIs, checksums) and the metrics, or with the error. Workers never write the registry; a task's
 * failure is a failed quantum, never a lost message.
 */
public final class QuantumShell {
    private static final Logger LOG = Logger.getLogger(QuantumShell.class.getName());

    /**
     * What a task gives back: its outputs as written, its metrics, and the TAGGED collections the registry is to fill
     * (null for none).
     */
    public record Outcome(List<DatasetRef> outputs, Map<String, Double> metrics,
                          List<QuantumFinished.Association> associations) {
        public Outcome(List<DatasetRef> outputs, Map<String, Double> metrics) {
            this(outputs, metrics, null);
        }
    }

    /** A task: the quantum in, its outputs written, lines for the quantum's log appended to {@code log}. */
    public interface Task {
        Outcome run(QuantumReady quantum, StringBuilder log) throws Exception;
    }

    private final ObjectStore store;
    private final String worker;
    private final Consumer<String> started;
    private final Consumer<String> finished;
    private final DatasetCache cache;

    /**
     * @param worker   this worker's name in the events, e.g. {@code isr@1234@host}
     * @param started  sends a {@code quantum.started} message (and waits for the broker)
     * @param finished sends a {@code quantum.finished} message (and waits for the broker)
     */
    public QuantumShell(ObjectStore store, String worker, Consumer<String> started, Consumer<String> finished) {
        this(store, worker, started, finished, null);
    }

    /**
     * A shell whose reads of the datasets {@code cache} is for go through it (null: none): a later quantum reads
     * them from the worker's disk instead of the object store.
     */
    public QuantumShell(ObjectStore store, String worker, Consumer<String> started, Consumer<String> finished,
                        DatasetCache cache) {
        this.store = store;
        this.worker = worker;
        this.started = started;
        this.finished = finished;
        this.cache = cache;
    }

    /** The outputs a job's quanta write that a later quantum of the same job reads, held in memory. */
    private static final ThreadLocal<Handoff> HANDOFF = new ThreadLocal<>();

    /**
     * Runs a job: the quantum, then its {@link QuantumReady#followers() followers} in order (a quantum cluster, as
     * ctrl_bps groups isr, characterizeImage, calibrate and checkVisit of one CCD into one job). Each quantum is
     * started, finished and recorded as on its own, and every output is written to the object store as usual (unless
     * the orchestrator asked to hold it: {@link #write}); an output a later quantum of the job reads is also kept in
     * memory until it has been read, so the follower does not fetch it back. The first quantum that fails ends the job:
     * the registry sends the followers not run again when their inputs exist.
     */
    public void runJob(QuantumReady job, Task task) {
        List<QuantumReady> followers = job.followersOrEmpty();
        if (followers.isEmpty()) {
            run(job, task);
            return;
        }
        Handoff handoff = new Handoff();
        HANDOFF.set(handoff);
        try {
            handoff.keepFor(followers);
            if (!run(job.alone(), task)) {
                LOG.warning(String.format("%s %s %s failed: the %d quanta after it in its job (%s) are not run here",
                        job.taskLabel(), job.cluster(), job.dataId(), followers.size(), labels(followers)));
                return;
            }
            for (int i = 0; i < followers.size(); i++) {
                List<QuantumReady> rest = followers.subList(i + 1, followers.size());
                QuantumReady f = followers.get(i);
                if (!run(f.alone(), task)) {
                    if (!rest.isEmpty()) {
                        LOG.warning(String.format("%s %s %s failed: the %d quanta after it in its job (%s) are not run"
                                + " here", f.taskLabel(), f.cluster(), f.dataId(), rest.size(), labels(rest)));
                    }
                    return;
                }
                handoff.keepFor(rest);
            }
        } finally {
            HANDOFF.remove();
        }
    }

    private static String labels(List<QuantumReady> quanta) {
        return String.join(", ", quanta.stream().map(QuantumReady::taskLabel).toList());
    }

    /** Runs one quantum through {@code task}; whether it succeeded. */
    public boolean run(QuantumReady q, Task task) {
        Instant t0 = Instant.now();
        started.accept(EventCodec.encode(Topics.QUANTUM_STARTED,
                new QuantumStarted(q.quantumId(), q.cluster(), q.taskLabel(), worker, q.attempt(), t0)));
        DatasetRef first = q.outputs().values().iterator().next().get(0);
        S3Uri outUri = S3Uri.parse(first.location().uri());
        String logKey = first.run() + "/logs/" + q.taskLabel() + "/" + q.quantumId() + ".log";
        String logUri = "s3://" + outUri.bucket() + "/" + logKey;
        StringBuilder log = new StringBuilder(String.format("quantum %s %s (%s) %s cluster %s attempt %d on %s%n",
                q.quantumId(), q.taskLabel(), q.taskClass(), q.dataId(), q.cluster(), q.attempt(), worker));
        long tStart = System.nanoTime();
        Handoff handoff = HANDOFF.get();
        if (handoff != null) {
            handoff.readsFromMemory = 0;
        }
        if (cache != null) {
            cache.resetThreadCounts();
        }
        QuantumFinished result;
        try {
            Outcome o = task.run(q, log);
            Map<String, Double> metrics = new java.util.LinkedHashMap<>();
            if (handoff != null) {
                // inputs this quantum took from the job's memory, written by the quanta before it in its job
                metrics.put("inputsFromMemory", (double) handoff.readsFromMemory);
            }
            if (cache != null) {
                // inputs read from this worker's dataset cache instead of the object store
                DatasetCache.Counts c = cache.threadCounts();
                metrics.put("inputsFromCache", (double) c.hits());
                metrics.put("inputsFromCacheBytes", (double) c.hitBytes());
                if (c.hits() + c.misses() > 0) {
                    log.append(String.format(java.util.Locale.ROOT, "dataset cache %s: %d input(s), %.1f MB, read"
                            + " there; %d read from the object store and kept there%n", cache.dir(), c.hits(),
                            c.hitBytes() / 1e6, c.misses()));
                }
            }
            o.metrics().forEach((k, v) -> {
                log.append(k).append(" = ").append(v).append('\n');
                if (v != null && Double.isFinite(v)) {
                    metrics.put(k, v); // JSON has no NaN or infinity: a metric that is not a number is left out
                }
            });
            result = new QuantumFinished(q.quantumId(), q.cluster(), q.taskLabel(), QuantumFinished.Status.SUCCEEDED,
                    o.outputs(), metrics, logUri, null, worker, q.attempt(), t0, Instant.now(), o.associations());
            LOG.info(String.format("%s %s %s done in %.2f s", q.taskLabel(), q.cluster(), q.dataId(),
                    (System.nanoTime() - tStart) / 1e9));
        } catch (Throwable e) {
            // an Error too (OutOfMemoryError ...): the quantum is reported failed, never left running
            LOG.log(Level.SEVERE, q.taskLabel() + " " + q.cluster() + " " + q.dataId() + " failed", e);
            log.append("FAILED: ").append(e).append('\n');
            List<DatasetRef> spilled = handoff == null ? List.of() : handoff.spill(store, log);
            result = failed(q, logUri, t0, e.getClass().getSimpleName(), String.valueOf(e.getMessage()), spilled);
        }
        try {
            store.put(outUri.bucket(), logKey, log.toString().getBytes(StandardCharsets.UTF_8), "text/plain", Map.of());
        } catch (RuntimeException e) {
            LOG.warning("cannot write the quantum log " + logKey + ": " + e.getMessage());
        }
        String message;
        try {
            message = EventCodec.encode(Topics.QUANTUM_FINISHED, result);
        } catch (RuntimeException e) {
            // the result itself breaks the event's schema: report that, so the quantum does not stay running
            LOG.log(Level.SEVERE, "quantum.finished of " + q.quantumId() + " breaks its schema", e);
            message = EventCodec.encode(Topics.QUANTUM_FINISHED, failed(q, logUri, t0, "InvalidResult",
                    "the worker's result breaks the quantum.finished schema: " + e.getMessage(),
                    handoff == null ? List.of() : handoff.spill(store, log)));
        }
        finished.accept(message);
        return result.status() == QuantumFinished.Status.SUCCEEDED;
    }

    private QuantumFinished failed(QuantumReady q, String logUri, Instant t0, String type, String message,
                                   List<DatasetRef> spilled) {
        return new QuantumFinished(q.quantumId(), q.cluster(), q.taskLabel(), QuantumFinished.Status.FAILED, null,
                null, logUri, new QuantumFinished.ErrorInfo(type, message), worker, q.attempt(), t0, Instant.now(),
                null, spilled.isEmpty() ? null : spilled);
    }

    /** An input dataset's bytes, whole or its byte range, checked against the checksum the registry recorded. */
    public byte[] read(DatasetRef ref) {
        StorageLocation loc = ref.location();
        Handoff handoff = HANDOFF.get();
        Kept kept = kept(handoff, loc);
        if (kept != null) {
            // the bytes this job wrote and hashed: the registry's checksum is compared with that hash, not hashed again
            if (loc.checksum() != null && kept.checksum() != null && !loc.checksum().equals(kept.checksum())) {
                throw new IllegalStateException(ref.datasetType() + " " + ref.dataId() + " " + loc.uri() + " as"
                        + " written earlier in this job does not match the checksum in the registry ("
                        + loc.checksum() + ")");
            }
            handoff.readsFromMemory++;
            return kept.bytes() != null ? kept.bytes() : handoff.encode(kept);
        }
        if (loc.held()) {
            // held in the memory of the job that made it: here only if that job wrote it after all (on a failure)
            S3Uri uri = S3Uri.parse(loc.uri());
            if (store.stat(uri.bucket(), uri.key()).isEmpty()) {
                throw new InputNotStoredException(ref.datasetType() + " " + ref.dataId() + " was held in the memory"
                        + " of the job that made it and never written (lovoccs.orchestrator.held-in-job), and that"
                        + " job ended before this quantum could read it there (was its worker lost?): ./lovoccs"
                        + " pipetask retry CLUSTER runs its producer again with this quantum in its job; a cluster"
                        + " created with -c orchestrator:heldInJob=none keeps such datasets");
            }
        }
        java.util.function.Supplier<byte[]> fromStore = () -> store.readChecked(loc.uri(), loc.byteOffset(),
                loc.byteLength(), loc.checksum(), ref.datasetType() + " " + ref.dataId());
        // the cache reads the store itself for a dataset it is not for
        return cache != null ? cache.read(ref, fromStore) : fromStore.get();
    }

    /** Makes an output's bytes, when they are needed. */
    @FunctionalInterface
    public interface Encoder {
        byte[] encode() throws IOException;
    }

    /** Makes an object of an input's bytes. */
    @FunctionalInterface
    public interface Decoder<T> {
        T decode(byte[] bytes) throws IOException;
    }

    /**
     * An input as an object: the one an earlier quantum of this job handed on ({@link #write(DatasetRef, Object,
     * Encoder, String, StringBuilder)}) when it is a {@code type}, else {@code decoder} applied to its bytes
     * ({@link #read(DatasetRef)}).
     */
    public <T> T read(DatasetRef ref, Class<T> type, Decoder<T> decoder) throws IOException {
        Handoff handoff = HANDOFF.get();
        Kept kept = kept(handoff, ref.location());
        if (kept != null && type.isInstance(kept.value())) {
            handoff.readsFromMemory++;
            return type.cast(kept.value());
        }
        return decoder.decode(read(ref));
    }

    /**
     * {@link #write(DatasetRef, byte[], String, StringBuilder)} for an output that a later quantum of the job may take
     * as the object {@code value}: when the orchestrator asks to hold it and a later quantum of the job reads it, the
     * object is kept and never encoded (unless the job fails and it must be written: {@code encoder} then makes its
     * bytes); otherwise {@code encoder}'s bytes are written as usual, and a later quantum of the job that reads them
     * takes {@code value} instead of decoding them. {@code value} must be what the readers' decoder
     * would return for those bytes (e.g. {@code PostIsrCcdFormatter.asRead}), so that a quantum computes the same
     * whether its input came from memory or from the store; neither side may change it afterwards.
     */
    public DatasetRef write(DatasetRef planned, Object value, Encoder encoder, String contentType, StringBuilder log)
            throws IOException {
        Handoff handoff = HANDOFF.get();
        if (holdsHere(planned, handoff)) {
            DatasetRef held = heldRef(planned);
            handoff.hold(held, new Kept(null, null, held, contentType, value, encoder));
            log.append("held ").append(planned.datasetType()).append(' ').append(planned.location().uri())
                    .append(" in the job's memory as an object for the quanta after this one: not encoded, not"
                            + " written\n");
            return held;
        }
        return write(planned, encoder.encode(), contentType, log, value);
    }

    /** What this job keeps for a whole-object input, or null (no job, a byte range, or not kept). */
    private static Kept kept(Handoff handoff, StorageLocation loc) {
        return handoff == null || loc.byteOffset() != null ? null : handoff.get(loc.uri());
    }

    /**
     * Whether an output is to be held here: the orchestrator asks to hold it and a later quantum of this job reads it.
     */
    private static boolean holdsHere(DatasetRef planned, Handoff handoff) {
        return planned.location().held() && handoff != null && handoff.wants(planned.location().uri());
    }

    /** The reference of an output held here: never stored, so no checksum (a spill computes it when it writes). */
    private static DatasetRef heldRef(DatasetRef planned) {
        return planned.withLocation(StorageLocation.whole(planned.location().uri(), null).asHeld());
    }

    /** An input held in another job's memory that is gone: no retry can read it; its producer must run again. */
    public static final class InputNotStoredException extends RuntimeException {
        public InputNotStoredException(String message) {
            super(message);
        }
    }

    /**
     * Writes a planned output's bytes at its planned URI; the reference as written, with its checksum. An output the
     * orchestrator asks to hold ({@link StorageLocation#held()}) that a later quantum of this job reads is kept in the
     * job's memory and not written (reported with {@code stored = false} and no checksum); asked to hold with no such
     * reader, it is written as usual.
     */
    public DatasetRef write(DatasetRef planned, byte[] bytes, String contentType, StringBuilder log) {
        return write(planned, bytes, contentType, log, null);
    }

    /** Writes {@code bytes}; a later quantum of the job that reads them may take {@code value} (when not null). */
    private DatasetRef write(DatasetRef planned, byte[] bytes, String contentType, StringBuilder log, Object value) {
        String uriText = planned.location().uri();
        S3Uri uri = S3Uri.parse(uriText);
        Handoff handoff = HANDOFF.get();
        if (holdsHere(planned, handoff)) {
            DatasetRef held = heldRef(planned);
            handoff.hold(held, new Kept(bytes, null, held, contentType));
            log.append("held ").append(planned.datasetType()).append(' ').append(uriText).append(" (")
                    .append(bytes.length).append(" bytes) in the job's memory for the quanta after this one: not"
                            + " written\n");
            return held;
        }
        String checksum = Checksums.sha256(bytes);
        StorageLocation written = StorageLocation.whole(uriText, checksum);
        if (planned.location().held()) {
            log.append(planned.datasetType()).append(" was to be held in the job's memory, but no later quantum of"
                    + " this job reads it: written\n");
        }
        store.put(uri.bucket(), uri.key(), bytes, contentType, Map.of());
        if (handoff != null) {
            handoff.offer(uriText, bytes, checksum, value);
        }
        log.append("wrote ").append(planned.datasetType()).append(' ').append(uriText).append(" (")
                .append(bytes.length).append(" bytes, ").append(checksum).append(")\n");
        return planned.withLocation(written);
    }

    /**
     * An output kept for a later quantum of the job, with the SHA-256 computed when it was written (null for one held
     * here only); {@code held}: the reference as reported for an output held here only (not written), else null.
     */
    private record Kept(byte[] bytes, String checksum, DatasetRef held, String contentType, Object value,
                        Encoder encoder) {
        Kept(byte[] bytes, String checksum, DatasetRef held, String contentType) {
            this(bytes, checksum, held, contentType, null, null);
        }
    }

    /** A job's outputs that later quanta of the job read, by URI (one thread: the job's). */
    private static final class Handoff {
        private final Map<String, Kept> bytes = new java.util.LinkedHashMap<>();
        private java.util.Set<String> wanted = java.util.Set.of();
        int readsFromMemory;

        boolean wants(String uri) {
            return wanted.contains(uri);
        }

        /** An output held here only (its bytes, or its object and encoder), under {@code ref}'s URI. */
        void hold(DatasetRef ref, Kept k) {
            bytes.put(ref.location().uri(), k);
        }

        /** The bytes of an output kept as an object, made now (a reader wants bytes, or the job spills it). */
        byte[] encode(Kept k) {
            try {
                return k.encoder().encode();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot encode the held " + k.held().datasetType() + " "
                        + k.held().location().uri() + ": " + e.getMessage(), e);
            }
        }

        /**
         * A quantum of the job failed: the held outputs the rest of the job would have read are written to their
         * URIs, so that the retry of the failed quantum and the followers sent on their own find them. The
         * references written; one that cannot be written is left out and said so in the log.
         */
        List<DatasetRef> spill(ObjectStore store, StringBuilder log) {
            List<DatasetRef> out = new java.util.ArrayList<>();
            for (Kept k : bytes.values()) {
                if (k.held() == null) {
                    continue;
                }
                S3Uri uri = S3Uri.parse(k.held().location().uri());
                try {
                    byte[] b = k.bytes() != null ? k.bytes() : encode(k);
                    String checksum = Checksums.sha256(b);
                    store.put(uri.bucket(), uri.key(), b, k.contentType(), Map.of());
                    out.add(k.held().withLocation(StorageLocation.whole(k.held().location().uri(), checksum)));
                    log.append("wrote ").append(k.held().datasetType()).append(' ').append(uri).append(", held in the"
                            + " job's memory until now, for the retry\n");
                } catch (RuntimeException e) {
                    log.append("cannot write ").append(k.held().datasetType()).append(' ').append(uri).append(", held"
                            + " in the job's memory: ").append(e.getMessage()).append('\n');
                    LOG.warning("cannot write the held " + k.held().datasetType() + " " + uri + ": " + e.getMessage());
                }
            }
            bytes.values().removeIf(k -> k.held() != null);
            return out;
        }

        /** Keeps what {@code quanta} read (whole objects), drops the rest. */
        void keepFor(List<QuantumReady> quanta) {
            java.util.Set<String> w = new java.util.HashSet<>();
            for (QuantumReady q : quanta) {
                q.inputs().values().forEach(refs -> refs.forEach(r -> {
                    if (r.location() != null && r.location().byteOffset() == null) {
                        w.add(r.location().uri());
                    }
                }));
            }
            wanted = w;
            bytes.keySet().retainAll(w);
        }

        void offer(String uri, byte[] b, String checksum, Object value) {
            if (wanted.contains(uri)) {
                bytes.put(uri, new Kept(b, checksum, null, null, value, null));
            }
        }

        Kept get(String uri) {
            return bytes.get(uri);
        }
    }
}
