package org.lovoccs.worker;

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

    /**
     * @param worker   this worker's name in the events, e.g. {@code isr@1234@host}
     * @param started  sends a {@code quantum.started} message (and waits for the broker)
     * @param finished sends a {@code quantum.finished} message (and waits for the broker)
     */
    public QuantumShell(ObjectStore store, String worker, Consumer<String> started, Consumer<String> finished) {
        this.store = store;
        this.worker = worker;
        this.started = started;
        this.finished = finished;
    }

    /** The outputs a job's quanta write that a later quantum of the same job reads, held in memory. */
    private static final ThreadLocal<Handoff> HANDOFF = new ThreadLocal<>();

    /**
     * Runs a job: the quantum, then its {@link QuantumReady#followers() followers} in order (a quantum cluster, as
     * ctrl_bps groups isr, characterizeImage, calibrate and checkVisit of one CCD into one job). Each quantum is
     * started, finished and recorded as on its own, and every output is written to the object store as usual; an
     * output a later quantum of the job reads is also kept in memory until it has been read, so the follower does not
     * fetch it back. The first quantum that fails ends the job: the registry sends the followers not run again when
     * their inputs exist.
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
        QuantumFinished result;
        try {
            Outcome o = task.run(q, log);
            Map<String, Double> metrics = new java.util.LinkedHashMap<>();
            if (handoff != null) {
                // inputs this quantum took from the job's memory, written by the quanta before it in its job
                metrics.put("inputsFromMemory", (double) handoff.readsFromMemory);
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
            result = failed(q, logUri, t0, e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
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
                    "the worker's result breaks the quantum.finished schema: " + e.getMessage()));
        }
        finished.accept(message);
        return result.status() == QuantumFinished.Status.SUCCEEDED;
    }

    private QuantumFinished failed(QuantumReady q, String logUri, Instant t0, String type, String message) {
        return new QuantumFinished(q.quantumId(), q.cluster(), q.taskLabel(), QuantumFinished.Status.FAILED, null,
                null, logUri, new QuantumFinished.ErrorInfo(type, message), worker, q.attempt(), t0, Instant.now());
    }

    /** An input dataset's bytes, whole or its byte range, checked against the checksum the registry recorded. */
    public byte[] read(DatasetRef ref) {
        StorageLocation loc = ref.location();
        Handoff handoff = HANDOFF.get();
        Kept kept = handoff == null || loc.byteOffset() != null ? null : handoff.get(loc.uri());
        if (kept != null) {
            // the bytes this job wrote and hashed: the registry's checksum is compared with that hash, not hashed again
            if (loc.checksum() != null && !loc.checksum().equals(kept.checksum())) {
                throw new IllegalStateException(ref.datasetType() + " " + ref.dataId() + " " + loc.uri() + " as"
                        + " written earlier in this job does not match the checksum in the registry ("
                        + loc.checksum() + ")");
            }
            handoff.readsFromMemory++;
            return kept.bytes();
        }
        return store.readChecked(loc.uri(), loc.byteOffset(), loc.byteLength(), loc.checksum(),
                ref.datasetType() + " " + ref.dataId());
    }

    /** Writes a planned output's bytes at its planned URI; the reference as written, with its checksum. */
    public DatasetRef write(DatasetRef planned, byte[] bytes, String contentType, StringBuilder log) {
        S3Uri uri = S3Uri.parse(planned.location().uri());
        String checksum = Checksums.sha256(bytes);
        store.put(uri.bucket(), uri.key(), bytes, contentType, Map.of());
        Handoff handoff = HANDOFF.get();
        if (handoff != null) {
            handoff.offer(planned.location().uri(), bytes, checksum);
        }
        log.append("wrote ").append(planned.datasetType()).append(' ').append(planned.location().uri()).append(" (")
                .append(bytes.length).append(" bytes, ").append(checksum).append(")\n");
        return planned.withLocation(StorageLocation.whole(planned.location().uri(), checksum));
    }

    /** A job's outputs that later quanta of the job read, by URI (one thread: the job's). */
    /** An output kept for a later quantum of the job, with the SHA-256 computed when it was written. */
    private record Kept(byte[] bytes, String checksum) {
    }

    private static final class Handoff {
        private final Map<String, Kept> bytes = new java.util.HashMap<>();
        private java.util.Set<String> wanted = java.util.Set.of();
        int readsFromMemory;

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

        void offer(String uri, byte[] b, String checksum) {
            if (wanted.contains(uri)) {
                bytes.put(uri, new Kept(b, checksum));
            }
        }

        Kept get(String uri) {
            return bytes.get(uri);
        }
    }
}
