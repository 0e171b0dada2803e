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
 * The worker of the {@code isr} service (ISR and characterization): for each quantum it publishes
 * {@code quantum.started}, runs the quantum's task class — ip_isr's IsrTask ({@link IsrTask}: the raw detector's HDU,
 * a byte range of the raw file checked against its recorded checksum, to a postISRCCD) or pipe_tasks'
 * CharacterizeImageTask ({@link CharacterizeRunner}) — writes the outputs and the quantum's log under the output RUN,
 * and reports {@code quantum.finished}. It never writes the registry. A science or data failure is reported as a
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

    @Inject
    CharacterizeRunner characterizer;

    @ConfigProperty(name = "lovoccs.repo-bucket")
    String repoBucket;

    void onStart(@Observes StartupEvent ev) {
        store.ensureBucket(repoBucket);
    }

    /** What a task run gives back: its outputs as written (with checksums) and its metrics. */
    record Outcome(List<DatasetRef> outputs, Map<String, Double> metrics) {
    }

    static final String ISR_CLASS = "lsst.ip.isr.IsrTask";
    static final String CHARACTERIZE_CLASS = "lsst.pipe.tasks.characterizeImage.CharacterizeImageTask";

    @Incoming("quantum-ready-isr")
    @Blocking
    public void run(String payload) {
        QuantumReady q = EventCodec.decode(Topics.quantumReady("isr"), payload, QuantumReady.class);
        Instant t0 = Instant.now();
        started.sendAndAwait(EventCodec.encode(Topics.QUANTUM_STARTED,
                new QuantumStarted(q.quantumId(), q.cluster(), q.taskLabel(), WORKER, q.attempt(), t0)));
        DatasetRef first = q.outputs().values().iterator().next().get(0);
        S3Uri outUri = S3Uri.parse(first.location().uri());
        String logKey = first.run() + "/logs/" + q.taskLabel() + "/" + q.quantumId() + ".log";
        StringBuilder log = new StringBuilder();
        log.append(String.format("quantum %s %s (%s) %s cluster %s attempt %d on %s%n", q.quantumId(), q.taskLabel(),
                q.taskClass(), q.dataId(), q.cluster(), q.attempt(), WORKER));
        QuantumFinished result;
        long tStart = System.nanoTime();
        try {
            Outcome o = switch (q.taskClass()) {
                case ISR_CLASS -> runIsr(q, log);
                case CHARACTERIZE_CLASS -> characterizer.run(q, log);
                default -> throw new IsrConfigs.UnsupportedConfigException("the isr service runs " + ISR_CLASS
                        + " and " + CHARACTERIZE_CLASS + ", not " + q.taskClass());
            };
            o.metrics().forEach((k, v) -> log.append(k).append(" = ").append(v).append('\n'));
            result = new QuantumFinished(q.quantumId(), q.cluster(), q.taskLabel(), QuantumFinished.Status.SUCCEEDED,
                    o.outputs(), o.metrics(), "s3://" + outUri.bucket() + "/" + logKey, null, WORKER, q.attempt(), t0,
                    Instant.now());
            LOG.infof("%s %s %s done in %.2f s", q.taskLabel(), q.cluster(), q.dataId(),
                    (System.nanoTime() - tStart) / 1e9);
        } catch (Exception e) {
            LOG.errorf(e, "%s %s %s failed", q.taskLabel(), q.cluster(), q.dataId());
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

    /** ip_isr's IsrTask: the raw detector's HDU (a checked byte range of the raw file) to a postISRCCD. */
    private Outcome runIsr(QuantumReady q, StringBuilder log) throws java.io.IOException {
        DatasetRef in = q.inputs().get(INPUT).get(0);
        DatasetRef out = q.outputs().get(OUTPUT).get(0);
        S3Uri outUri = S3Uri.parse(out.location().uri());
        StorageLocation loc = in.location();
        long tRead = System.nanoTime();
        byte[] hdu = Inputs.read(store, in);
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
        log.append("input ").append(loc.uri()).append('\n');
        log.append("steps: ").append(String.join(", ", r.stepsApplied())).append('\n');
        log.append("wrote ").append(out.location().uri()).append(" (").append(fits.length).append(" bytes, ")
                .append(checksum).append(")\n");
        return new Outcome(List.of(out.withLocation(StorageLocation.whole(out.location().uri(), checksum))), metrics);
    }
}
