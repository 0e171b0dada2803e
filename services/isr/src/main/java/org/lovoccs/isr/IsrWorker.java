package org.lovoccs.isr;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.lovoccs.events.DatasetRef;
import org.lovoccs.events.EventCodec;
import org.lovoccs.events.QuantumFinished;
import org.lovoccs.events.QuantumReady;
import org.lovoccs.events.QuantumStarted;
import org.lovoccs.events.S3Uri;
import org.lovoccs.events.StorageLocation;
import org.lovoccs.events.Topics;
import org.lovoccs.imaging.isr.AmpIsrStats;
import org.lovoccs.imaging.isr.IsrResult;
import org.lovoccs.imaging.isr.IsrTask;
import org.lovoccs.imaging.isr.PostIsrCcdFormatter;
import org.lovoccs.imaging.raw.RawCcd;
import org.lovoccs.imaging.raw.RawCcdReader;
import org.lovoccs.objectstore.Checksums;
import org.lovoccs.objectstore.ObjectStore;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The worker shell of the {@code isr} task: reads the raw detector's HDU from object storage (a byte
 * range of the raw file, checked against its recorded checksum), runs {@link IsrTask} (a pure
 * function), writes the postISRCCD and the quantum's log under the output RUN, and reports
 * {@code quantum.finished}. It never writes the registry. A science or data failure is reported as a
 * failed quantum; only an unreadable message goes to the dead-letter topic.
 */
@ApplicationScoped
public class IsrWorker {
    private static final Logger LOG = Logger.getLogger(IsrWorker.class);
    static final String INPUT = "ccdExposure";
    static final String OUTPUT = "outputExposure";
    private static final String WORKER = "isr@" + ManagementFactory.getRuntimeMXBean().getName();

    @Inject
    ObjectStore store;

    @Inject
    @Channel("quantum-started")
    MutinyEmitter<String> started;

    @Inject
    @Channel("quantum-finished")
    MutinyEmitter<String> finished;

    @ConfigProperty(name = "lovoccs.repo-bucket")
    String repoBucket;

    void onStart(@Observes StartupEvent ev) {
        store.ensureBucket(repoBucket);
    }

    @Incoming("quantum-ready-isr")
    @Blocking
    public void run(String payload) {
        QuantumReady q = EventCodec.decode(Topics.quantumReady("isr"), payload, QuantumReady.class);
        Instant t0 = Instant.now();
        started.sendAndAwait(EventCodec.encode(Topics.QUANTUM_STARTED,
                new QuantumStarted(q.quantumId(), q.cluster(), q.taskLabel(), WORKER, q.attempt(), t0)));
        DatasetRef in = q.inputs().get(INPUT).get(0);
        DatasetRef out = q.outputs().get(OUTPUT).get(0);
        S3Uri outUri = S3Uri.parse(out.location().uri());
        String logKey = out.run() + "/logs/isr/" + q.quantumId() + ".log";
        StringBuilder log = new StringBuilder();
        log.append(String.format("quantum %s isr %s cluster %s attempt %d on %s%n", q.quantumId(), q.dataId(),
                q.cluster(), q.attempt(), WORKER));
        QuantumFinished result;
        try {
            StorageLocation loc = in.location();
            S3Uri rawUri = S3Uri.parse(loc.uri());
            long tRead = System.nanoTime();
            byte[] hdu = loc.byteOffset() == null ? store.get(rawUri.bucket(), rawUri.key())
                    : store.getRange(rawUri.bucket(), rawUri.key(), loc.byteOffset(), loc.byteLength());
            if (loc.checksum() != null && !loc.checksum().equals(Checksums.sha256(hdu))) {
                throw new IllegalStateException("raw " + loc.uri() + " bytes " + loc.byteOffset() + "+"
                        + loc.byteLength() + " do not match the checksum recorded at ingestion (" + loc.checksum()
                        + "): the stored raw changed or is damaged");
            }
            RawCcd raw = RawCcdReader.readHdu(hdu);
            long tIsr = System.nanoTime();
            IsrResult r = IsrTask.run(raw, IsrConfigs.from(q.config()));
            long tWrite = System.nanoTime();
            byte[] fits = PostIsrCcdFormatter.toBytes(r.toPostIsrCcd());
            String checksum = Checksums.sha256(fits);
            store.put(outUri.bucket(), outUri.key(), fits, "application/fits", Map.of());
            long tEnd = System.nanoTime();
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("readSeconds", (tIsr - tRead) / 1e9);
            metrics.put("isrSeconds", (tWrite - tIsr) / 1e9);
            metrics.put("writeSeconds", (tEnd - tWrite) / 1e9);
            for (AmpIsrStats a : r.amplifiers()) {
                metrics.put("overscanMeanAdu_" + a.name(), a.overscanMeanAdu());
                metrics.put("overscanNoiseAdu_" + a.name(), a.overscanNoiseAdu());
                metrics.put("saturatedPixels_" + a.name(), (double) a.saturatedPixels());
            }
            log.append("steps: ").append(String.join(", ", r.stepsApplied())).append('\n');
            metrics.forEach((k, v) -> log.append(k).append(" = ").append(v).append('\n'));
            log.append("wrote ").append(out.location().uri()).append(" (").append(fits.length).append(" bytes, ")
                    .append(checksum).append(")\n");
            result = new QuantumFinished(q.quantumId(), q.cluster(), q.taskLabel(), QuantumFinished.Status.SUCCEEDED,
                    List.of(out.withLocation(StorageLocation.whole(out.location().uri(), checksum))), metrics,
                    "s3://" + outUri.bucket() + "/" + logKey, null, WORKER, q.attempt(), t0, Instant.now());
            LOG.infof("isr %s %s done in %.2f s -> %s", q.cluster(), q.dataId(), (tEnd - tRead) / 1e9,
                    out.location().uri());
        } catch (Exception e) {
            LOG.errorf(e, "isr %s %s failed", q.cluster(), q.dataId());
            log.append("FAILED: ").append(e).append('\n');
            result = new QuantumFinished(q.quantumId(), q.cluster(), q.taskLabel(), QuantumFinished.Status.FAILED,
                    null, null, "s3://" + outUri.bucket() + "/" + logKey,
                    new QuantumFinished.ErrorInfo(e.getClass().getSimpleName(), String.valueOf(e.getMessage())),
                    WORKER, q.attempt(), t0, Instant.now());
        }
        try {
            store.put(outUri.bucket(), logKey, log.toString().getBytes(StandardCharsets.UTF_8), "text/plain", Map.of());
        } catch (RuntimeException e) {
            LOG.warnf("cannot write the quantum log %s: %s", logKey, e.getMessage());
        }
        finished.sendAndAwait(EventCodec.encode(Topics.QUANTUM_FINISHED, result));
    }
}
