package org.lovoccs.calibration;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.lovoccs.events.DatasetRef;
import org.lovoccs.events.Dimension;
import org.lovoccs.events.EventCodec;
import org.lovoccs.events.QuantumReady;
import org.lovoccs.events.Topics;
import org.lovoccs.imaging.cp.BrighterFatterKernel;
import org.lovoccs.imaging.cp.BrighterFatterKernelFormatter;
import org.lovoccs.imaging.cp.CalibProduct;
import org.lovoccs.imaging.cp.CalibProductFormatter;
import org.lovoccs.imaging.cp.MasterBias;
import org.lovoccs.imaging.cp.CombineConfig;
import org.lovoccs.imaging.cp.MasterFlat;
import org.lovoccs.imaging.cp.SkyPatterns;
import org.lovoccs.imaging.isr.PostIsrCcd;
import org.lovoccs.imaging.isr.PostIsrCcdFormatter;
import org.lovoccs.objectstore.ObjectStore;
import org.lovoccs.worker.QuantumShell;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The calibration service's worker: cp_pipe's combine of one detector's ISR-processed exposures (made by the isr
 * service) into its master bias ({@code CalibCombineTask}, from cpBiasProc, {@link MasterBias}) or, per physical
 * filter ({@code CalibCombineByFilterTask}), by its {@code calibrationType}: the master flat (cpFlatProc,
 * {@link MasterFlat}), the sky frame (cpSkyProc, {@link SkyPatterns#skyFromProcessed}) or the fringe frame
 * (cpFringeProc, {@link SkyPatterns#fringeFromProcessed}); and cp_pipe's {@code BrighterFatterKernelSolveTask}
 * (cpBfkSolve): one detector's brighter-fatter kernel from its flats' cpFlatProc, all filters, in EXPNUM order
 * ({@link BrighterFatterKernel#fromProcessedPairs}). Inputs are read one at a time as the combine or measurement
 * consumes them; the registry certifies the product when it is recorded.
 */
@ApplicationScoped
public class CalibrationWorker {
    static final String BIAS_CLASS = "lsst.cp.pipe.cpCombine.CalibCombineTask";
    static final String FLAT_CLASS = "lsst.cp.pipe.cpCombine.CalibCombineByFilterTask";
    static final String BFK_CLASS = "lsst.cp.pipe.BrighterFatterKernelSolveTask";
    static final String INPUTS = "inputExpHandles";
    static final String OUTPUT = "outputData";
    static final String BFK_OUTPUT = "outputBFK";
    private static final String WORKER = "calibration@" + ManagementFactory.getRuntimeMXBean().getName();

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

    private QuantumShell shell;

    void onStart(@Observes StartupEvent ev) {
        store.ensureBucket(repoBucket);
        shell = new QuantumShell(store, WORKER, started::sendAndAwait, finished::sendAndAwait);
    }

    @Incoming("quantum-ready-calibration")
    @Blocking
    public void run(String payload) {
        shell.run(EventCodec.decode(Topics.quantumReady("calibration"), payload, QuantumReady.class), this::combine);
    }

    private QuantumShell.Outcome combine(QuantumReady q, StringBuilder log) throws IOException {
        if (q.taskClass().equals(BFK_CLASS)) {
            return brighterFatter(q, log);
        }
        CombineConfigs.Settings settings = CombineConfigs.from(q.taskLabel(), q.config());
        List<DatasetRef> inputs = q.inputs().get(INPUTS);
        long t0 = System.nanoTime();
        Iterable<PostIsrCcd> frames = () -> read(inputs, log);
        CalibProduct product = switch (q.taskClass()) {
            case BIAS_CLASS -> {
                if (settings.calibrationType() != null && !settings.calibrationType().equals("bias")) {
                    throw new CombineConfigs.UnsupportedConfigException(q.taskLabel() + ":calibrationType="
                            + settings.calibrationType() + ": " + BIAS_CLASS + " makes a bias; flats, sky and fringe"
                            + " frames are per filter, with " + FLAT_CLASS);
                }
                yield MasterBias.fromProcessed(frames, settings.combine());
            }
            case FLAT_CLASS -> byFilter(q.taskLabel(), settings, frames);
            default -> throw new CombineConfigs.UnsupportedConfigException("the calibration service runs " + BIAS_CLASS
                    + ", " + FLAT_CLASS + " and " + BFK_CLASS + ", not " + q.taskClass());
        };
        long t1 = System.nanoTime();
        DatasetRef written = shell.write(q.outputs().get(OUTPUT).get(0), CalibProductFormatter.toBytes(product),
                "application/fits", log);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("inputs", (double) inputs.size());
        metrics.put("combineSeconds", (t1 - t0) / 1e9);
        metrics.put("writeSeconds", (System.nanoTime() - t1) / 1e9);
        return new QuantumShell.Outcome(List.of(written), metrics);
    }

    /**
     * One detector's brighter-fatter kernel. The measurement pairs each flat with the next one of the same filter and
     * exposure time, so the inputs go in EXPNUM order (a DECam exposure ID is its EXPNUM), one read at a time. Flats
     * that cannot make a kernel (no such pair, not bias-subtracted, mixed detectors) fail the quantum for good with
     * the measurement's reason: another attempt would read the same flats.
     */
    private QuantumShell.Outcome brighterFatter(QuantumReady q, StringBuilder log) throws IOException {
        BrighterFatterKernel.Config config = CombineConfigs.bfkConfig(q.taskLabel(), q.config());
        List<DatasetRef> inputs = q.inputs().get(INPUTS).stream()
                .sorted(Comparator.comparingLong(r -> r.dataId().getLong(Dimension.EXPOSURE))).toList();
        long t0 = System.nanoTime();
        BrighterFatterKernel kernel;
        try {
            kernel = BrighterFatterKernel.fromProcessedPairs(() -> read(inputs, log), config);
        } catch (IllegalArgumentException e) {
            String todo = e.getMessage() != null && e.getMessage().contains("no pair")
                    ? "land such dome flats for the cluster (./lovoccs simulate --flats 2 makes two per band)"
                    : "the inputs are cpFlatIsr's outputs for this detector: see its quanta and logs"
                    + " (./lovoccs status " + q.cluster() + ")";
            throw new CalibrationInputException(q.taskLabel() + " " + q.dataId() + ": no brighter-fatter kernel from"
                    + " its " + inputs.size() + " cpFlatProc: " + e.getMessage() + "; " + todo, e);
        }
        long t1 = System.nanoTime();
        DatasetRef written = shell.write(q.outputs().get(BFK_OUTPUT).get(0), BrighterFatterKernelFormatter.toBytes(kernel),
                "application/fits", log);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("inputs", (double) inputs.size());
        metrics.put("pairs", (double) kernel.pairs());
        metrics.put("measureSeconds", (t1 - t0) / 1e9);
        metrics.put("writeSeconds", (System.nanoTime() - t1) / 1e9);
        return new QuantumShell.Outcome(List.of(written), metrics);
    }

    /** The calibration inputs cannot make the product: retrying reads the same inputs, so it is not retried. */
    static final class CalibrationInputException extends IllegalArgumentException {
        CalibrationInputException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A per-filter product by its calibrationType; sky and fringe frames keep their source rejection (DETECTED). */
    private static CalibProduct byFilter(String label, CombineConfigs.Settings settings, Iterable<PostIsrCcd> frames) {
        String type = settings.calibrationType() == null ? "flat" : settings.calibrationType();
        return switch (type) {
            case "flat" -> MasterFlat.fromProcessed(frames, new MasterFlat.Config(MasterFlat.Config.defaults().isr(),
                    settings.combine(), MasterFlat.Config.defaults().normalisationRejected()));
            case "sky" -> SkyPatterns.skyFromProcessed(frames, skyConfig(settings));
            case "fringe" -> SkyPatterns.fringeFromProcessed(frames, skyConfig(settings));
            default -> throw new CombineConfigs.UnsupportedConfigException(label + ":calibrationType=" + type + " is"
                    + " not made by " + FLAT_CLASS + " here; use flat, sky or fringe");
        };
    }

    private static SkyPatterns.Config skyConfig(CombineConfigs.Settings settings) {
        SkyPatterns.Config d = SkyPatterns.Config.defaults();
        CombineConfig c = settings.combine().withRejectedPlanes(d.combine().rejectedPlanes());
        return new SkyPatterns.Config(d.isr(), d.background(), d.detectSigma(), d.growRadius(), c,
                d.fringeSmoothSigma());
    }

    /** The inputs, read from the store one at a time, each checked against its recorded checksum. */
    private Iterator<PostIsrCcd> read(List<DatasetRef> refs, StringBuilder log) {
        Iterator<DatasetRef> it = refs.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public PostIsrCcd next() {
                DatasetRef ref = it.next();
                log.append("input ").append(ref.datasetType()).append(' ').append(ref.dataId()).append(' ')
                        .append(ref.location().uri()).append('\n');
                try {
                    return PostIsrCcdFormatter.read(shell.read(ref));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + ref.location().uri() + ": " + e.getMessage(), e);
                }
            }
        };
    }
}
