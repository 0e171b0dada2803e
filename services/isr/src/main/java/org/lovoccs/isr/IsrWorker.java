package org.lovoccs.isr;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
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
import org.lovoccs.events.QuantumReady;
import org.lovoccs.events.Topics;
import org.lovoccs.imaging.cp.CalibProduct;
import org.lovoccs.imaging.cp.CalibProductFormatter;
import org.lovoccs.imaging.cp.CalibrationSteps;
import org.lovoccs.imaging.cp.BrighterFatterKernelFormatter;
import org.lovoccs.imaging.isr.AmpIsrStats;
import org.lovoccs.imaging.isr.Crosstalk;
import org.lovoccs.imaging.isr.CrosstalkSource;
import org.lovoccs.imaging.isr.CuratedCalibrationReader;
import org.lovoccs.imaging.isr.FullIsr;
import org.lovoccs.imaging.isr.FullIsrConfig;
import org.lovoccs.imaging.isr.IsrResult;
import org.lovoccs.imaging.isr.IsrTask;
import org.lovoccs.imaging.isr.PostIsrCcd;
import org.lovoccs.imaging.isr.PostIsrCcdFormatter;
import org.lovoccs.imaging.raw.RawCcd;
import org.lovoccs.imaging.raw.RawCcdReader;
import org.lovoccs.imaging.simd.Simd;
import org.lovoccs.objectstore.ObjectStore;
import org.lovoccs.worker.DatasetCache;
import org.lovoccs.worker.QuantumShell;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;

/**
 * The worker of the {@code isr} service (ISR and characterization): each quantum runs, in the shared
 * {@link QuantumShell}, its task class — ip_isr's IsrTask ({@link IsrTask}: the raw detector's HDU, a byte range of
 * the raw file checked against its recorded checksum, to a postISRCCD, with the master bias subtracted and the flat
 * divided when the config asks and the quantum carries them) or pipe_tasks' CharacterizeImageTask
 * ({@link CharacterizeRunner}).
 */
@ApplicationScoped
public class IsrWorker {
    static final String INPUT = "ccdExposure";
    static final String OUTPUT = "outputExposure";
    static final String ISR_CLASS = "lsst.ip.isr.IsrTask";
    /** IsrTask's connection of the fringe frame. */
    static final String FRINGE = "fringes";
    static final String CROSSTALK_SOURCES = "crosstalkSources";
    /** step0's output: the overscan-corrected raw other CCDs' ISR reads as a crosstalk source. */
    static final String OVERSCAN_RAW = "overscanRaw";
    static final String CHARACTERIZE_CLASS = "lsst.pipe.tasks.characterizeImage.CharacterizeImageTask";
    static final String CALIBRATE_CLASS = "lsst.pipe.tasks.calibrate.CalibrateTask";
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

    @Inject
    CalibrateRunner calibrator;

    @Inject
    QualityRunner quality;

    @ConfigProperty(name = "lovoccs.repo-bucket")
    String repoBucket;

    /** The worker's local copy of the calibrations every CCD reads ({@link DatasetCache}); max-gb 0 turns it off. */
    @ConfigProperty(name = "lovoccs.worker.cache.dir")
    String cacheDir;

    @ConfigProperty(name = "lovoccs.worker.cache.max-gb")
    double cacheMaxGb;

    @ConfigProperty(name = "lovoccs.worker.cache.min-free-gb")
    double cacheMinFreeGb;

    @ConfigProperty(name = "lovoccs.worker.cache.dataset-types")
    List<String> cacheTypes;

    private QuantumShell shell;

    void onStart(@Observes StartupEvent ev) {
        // which form the convolutions take in this JVM (the SIMD one needs --add-modules jdk.incubator.vector)
        Logger.getLogger(IsrWorker.class).info(Simd.describe());
        store.ensureBucket(repoBucket);
        shell = new QuantumShell(store, WORKER, started::sendAndAwait, finished::sendAndAwait,
                DatasetCache.open(cacheDir, cacheMaxGb, cacheMinFreeGb, cacheTypes));
    }

    /**
     * Quanta run side by side on the worker pool {@code isr-quanta} ({@code LOVOCCS_ISR_CONCURRENCY}, default 2): while
     * one quantum reads or writes S3 (about half of a CCD's time), another computes. The throttled commit strategy
     * commits an offset only when every earlier record of its partition is done, so a quantum finishing out of order
     * never commits one still running.
     */
    @Incoming("quantum-ready-isr")
    @Blocking(value = "isr-quanta", ordered = false)
    public void run(String payload) {
        QuantumReady q = EventCodec.decode(Topics.quantumReady("isr"), payload, QuantumReady.class);
        shell.runJob(q, (quantum, log) -> switch (quantum.taskClass()) {
            case ISR_CLASS -> runIsr(quantum, log);
            case CHARACTERIZE_CLASS -> characterizer.run(shell, quantum, log);
            case CALIBRATE_CLASS -> calibrator.run(shell, quantum, log);
            case QualityRunner.CHECK_CLASS -> quality.checkVisit(shell, quantum, log);
            case QualityRunner.PLOT_CLASS -> quality.plotVisitSeeing(shell, quantum, log);
            case QualityRunner.SELECT_CLASS -> quality.selectVisit(shell, quantum, log);
            default -> throw new IsrConfigs.UnsupportedConfigException("the isr service runs " + ISR_CLASS
                    + ", " + CHARACTERIZE_CLASS + ", " + CALIBRATE_CLASS + ", " + QualityRunner.CHECK_CLASS + ", "
                    + QualityRunner.PLOT_CLASS + " and " + QualityRunner.SELECT_CLASS + ", not "
                    + quantum.taskClass());
        });
    }

    /**
     * ip_isr's IsrTask: the raw detector's HDU to a postISRCCD (cpBiasProc, cpFlatProc, cpSkyProc, cpFringeProc: same
     * task, other names). The master bias and flat are read one after the other, each after the raw is processed and
     * dropped as soon as it is applied: a full-CCD product is 128 MB in memory (image, mask, variance, count) and its
     * FITS bytes as much again, so holding the raw, both products and the output at once does not fit the worker's
     * 768 MB heap.
     */
    private QuantumShell.Outcome runIsr(QuantumReady q, StringBuilder log) throws java.io.IOException {
        IsrConfigs.WorkerConfig config = IsrConfigs.from(q.config());
        if (config.full() != null) {
            return runFullIsr(q, config.full(), config.fringeMinExposures(), log);
        }
        DatasetRef in = q.inputs().get(INPUT).get(0);
        DatasetRef out = q.outputs().get(OUTPUT).get(0);
        if (out.datasetType().equals(OVERSCAN_RAW)) {
            return runCrosstalkSource(in, out, config, log);
        }
        long tRead = System.nanoTime();
        IsrResult r = isr(in, config);
        long tCalib = System.nanoTime();
        List<String> steps = new ArrayList<>(r.stepsApplied());
        if (config.doBias()) {
            CalibrationSteps.subtractBias(r.exposure(), calibration(q, "bias"));
            steps.add("bias");
        }
        if (config.doFlat()) {
            CalibrationSteps.divideFlat(r.exposure(), calibration(q, "flat"));
            steps.add("flat");
        }
        r = new IsrResult(r.exposure(), r.metadata(), r.wcs(), r.amplifiers(), steps);
        long tWrite = System.nanoTime();
        PostIsrCcd post = r.toPostIsrCcd();
        DatasetRef written = shell.write(out, PostIsrCcdFormatter.asRead(post),
                () -> PostIsrCcdFormatter.toBytes(post, true), "application/fits", log);
        long tEnd = System.nanoTime();
        Map<String, Double> metrics = new LinkedHashMap<>();
        // isrSeconds: the raw read and IsrTask; calibSeconds: the bias and flat read and applied
        metrics.put("isrSeconds", (tCalib - tRead) / 1e9);
        metrics.put("calibSeconds", (tWrite - tCalib) / 1e9);
        metrics.put("writeSeconds", (tEnd - tWrite) / 1e9);
        for (AmpIsrStats a : r.amplifiers()) {
            metrics.put("overscanMeanAdu_" + a.name(), a.overscanMeanAdu());
            metrics.put("overscanNoiseAdu_" + a.name(), a.overscanNoiseAdu());
            metrics.put("saturatedPixels_" + a.name(), (double) a.saturatedPixels());
        }
        log.append("input ").append(in.location().uri()).append('\n');
        log.append("steps: ").append(String.join(", ", steps)).append('\n');
        return new QuantumShell.Outcome(List.of(written), metrics);
    }

    /**
     * step0 (isrForCrosstalkSources): the raw CCD overscan-corrected, in ADU, written as a {@link CrosstalkSource}
     * (overscanRaw) for the ISR of the CCDs it leaks into. Only the overscan applies; a config asking for more is
     * refused, as it would not be what the victims' crosstalk correction expects.
     */
    private QuantumShell.Outcome runCrosstalkSource(DatasetRef in, DatasetRef out, IsrConfigs.WorkerConfig config,
                                                    StringBuilder log) throws java.io.IOException {
        if (config.doBias() || config.doFlat() || !config.isr().doOverscan()) {
            throw new IsrConfigs.UnsupportedConfigException(OVERSCAN_RAW + " is the overscan-corrected raw in ADU:"
                    + " isrForCrosstalkSources needs doOverscan=True and doBias, doFlat False (as DRP-LoVoCCS's step0)");
        }
        long tRead = System.nanoTime();
        RawCcd raw = RawCcdReader.readHdu(shell.read(in));
        long tRun = System.nanoTime();
        CrosstalkSource source = CrosstalkSource.fromRaw(raw, config.isr());
        byte[] bytes = source.toBytes();
        long tWrite = System.nanoTime();
        DatasetRef written = shell.write(out, bytes, "application/fits", log);
        long tEnd = System.nanoTime();
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("readSeconds", (tRun - tRead) / 1e9);
        metrics.put("isrSeconds", (tWrite - tRun) / 1e9);
        metrics.put("writeSeconds", (tEnd - tWrite) / 1e9);
        metrics.put("bytesWritten", (double) bytes.length);
        log.append("input ").append(in.location().uri()).append('\n');
        log.append("steps: overscan (crosstalk source of detector ").append(source.detector()).append(")\n");
        return new QuantumShell.Outcome(List.of(written), metrics);
    }

    /**
     * The crosstalk sources the curated crosstalk names, from the quantum's crosstalkSources inputs (step0's
     * overscanRaw of the other detectors of the exposure). A named source the quantum lacks (its raw never landed,
     * its step0 failed, or step0 is not in the pipeline) is left out and said so in the log; FullIsr records it
     * (XTALKMIS).
     */
    private Map<Integer, CrosstalkSource> crosstalkSources(QuantumReady q, Crosstalk crosstalk, StringBuilder log)
            throws java.io.IOException {
        Map<Integer, CrosstalkSource> sources = new LinkedHashMap<>();
        java.util.Set<Integer> wanted = crosstalk.sourceDetectors();
        if (wanted.isEmpty()) {
            return sources;
        }
        for (DatasetRef ref : q.inputs().getOrDefault(CROSSTALK_SOURCES, List.of())) {
            Object d = ref.dataId().asMap().get("detector");
            if (d instanceof Number n && wanted.contains(n.intValue())) {
                CrosstalkSource src = CrosstalkSource.read(shell.read(ref));
                if (src.detector() != n.intValue()) {
                    throw new java.io.IOException("crosstalk source " + ref.location().uri() + " is detector "
                            + src.detector() + " by its header, " + n + " by its data ID");
                }
                sources.put(n.intValue(), src);
            }
        }
        List<Integer> missing = wanted.stream().filter(d -> !sources.containsKey(d)).toList();
        if (!missing.isEmpty()) {
            log.append("crosstalk: no overscanRaw of detector(s) ").append(missing).append(" (named by the curated"
                    + " crosstalk): their inter-CCD crosstalk is not removed; is isrForCrosstalkSources (step0) in the"
                    + " pipeline, and did it run for them?\n");
        }
        return sources;
    }

    /**
     * The science ISR ({@link FullIsr}): every calibration the config asks for, read from the quantum's prerequisite
     * inputs (the cluster's master bias, flat, fringe frame and brighter-fatter kernel; the curated crosstalk,
     * linearizer and defects). A fringe correction asked for in a filter the pipeline makes no fringe frame for
     * (cpFringe runs for z only) is skipped and said so in the log and ISRFRING.
     */
    private QuantumShell.Outcome runFullIsr(QuantumReady q, FullIsrConfig config, int fringeMinExposures,
                                            StringBuilder log) throws java.io.IOException {
        DatasetRef in = q.inputs().get(INPUT).get(0);
        DatasetRef out = q.outputs().get(OUTPUT).get(0);
        long tRead = System.nanoTime();
        String fringeSkipped = null;
        if (config.doFringe() && !has(q, FRINGE)) {
            fringeSkipped = "no fringe frame for this filter (cpFringe's subset makes them only for the filters its"
                    + " where selects)";
        }
        CalibProduct fringe = config.doFringe() && fringeSkipped == null ? calibration(q, FRINGE) : null;
        if (fringe != null) {
            int n = fringe.metadata().getIntValue("NCOMBINE", 0);
            if (n < fringeMinExposures) {
                fringeSkipped = "the fringe frame was combined from " + n + " exposure(s), fewer than"
                        + " isr:fringe.minExposures=" + fringeMinExposures + ": with so few it holds the exposures' own"
                        + " noise and source wings, and subtracting it would subtract the image from itself; land"
                        + " more exposures in this filter, or lower fringe.minExposures";
                fringe = null;
            }
        }
        if (fringeSkipped != null) {
            config = config.with("doFringe", false);
            log.append("fringe: not applied: ").append(fringeSkipped).append('\n');
        }
        Crosstalk crosstalk = config.doCrosstalk() ? CuratedCalibrationReader.crosstalk(prerequisite(q, "crosstalk",
                "doCrosstalk")) : null;
        FullIsr.Calibrations calibs = new FullIsr.Calibrations(
                config.doBias() ? calibration(q, "bias") : null,
                config.doFlat() ? calibration(q, "flat") : null,
                fringe,
                crosstalk,
                config.doLinearize() ? CuratedCalibrationReader.linearizer(prerequisite(q, "linearizer",
                        "doLinearize")) : null,
                config.doDefect() ? CuratedCalibrationReader.defects(prerequisite(q, "defects", "doDefect")) : null,
                config.doBrighterFatter() ? BrighterFatterKernelFormatter.read(prerequisite(q, "bfKernel",
                        "doBrighterFatter")).kernel() : null);
        if (crosstalk != null) {
            calibs = calibs.withCrosstalkSources(crosstalkSources(q, crosstalk, log));
        }
        RawCcd raw = RawCcdReader.readHdu(shell.read(in));
        long tRun = System.nanoTime();
        FullIsr.Result r = FullIsr.run(raw, config, calibs);
        raw = null;
        calibs = null;
        long tWrite = System.nanoTime();
        PostIsrCcd post = r.isr().toPostIsrCcd();
        // held for characterizeImage in this job: handed on as the object it would read, never encoded
        DatasetRef written = shell.write(out, PostIsrCcdFormatter.asRead(post),
                () -> PostIsrCcdFormatter.toBytes(post, true), "application/fits", log);
        long tEnd = System.nanoTime();
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("readSeconds", (tRun - tRead) / 1e9);
        metrics.put("isrSeconds", (tWrite - tRun) / 1e9);
        metrics.put("writeSeconds", (tEnd - tWrite) / 1e9);
        metrics.put("cosmicRayPixels", (double) r.cosmicRayPixels());
        metrics.put("interpolatedPixels", (double) r.interpolatedPixels());
        metrics.put("bleedPixels", (double) r.bleedPixels());
        // 1 when this worker's convolutions ran their SIMD form (org.lovoccs.imaging.simd.Simd), 0 the scalar one
        metrics.put("simd", Simd.enabled() ? 1.0 : 0.0);
        if (config.doFringe()) {
            metrics.put("fringeAmplitude", r.fringeAmplitude());
        }
        metrics.put("fringeApplied", config.doFringe() ? 1.0 : 0.0);
        if (r.brighterFatter() != null) {
            var bf = r.brighterFatter();
            metrics.put("bfIterations", (double) bf.iterations());
            metrics.put("bfLastChange", bf.lastChange());
            metrics.put("bfConverged", bf.converged() ? 1.0 : 0.0);
            metrics.put("bfTilesConvolved", bf.convolvedTiles());
            String state = bf.converged() ? "converged" : "NOT converged under isr:brighterFatterThreshold="
                    + config.brighterFatterThreshold() + " in isr:brighterFatterMaxIter="
                    + config.brighterFatterIterations() + " (raise either)";
            log.append(String.format(Locale.ROOT, "brighter-fatter: %d iteration(s), last change %.1f e-, %s, %.2f"
                    + " CCD(s) convolved, %d kernel terms%n", bf.iterations(), bf.lastChange(), state,
                    bf.convolvedTiles(), bf.terms()));
        }
        if (config.doCrosstalk()) {
            metrics.put("crosstalkSourcesApplied", (double) r.crosstalkSourcesApplied().size());
            metrics.put("crosstalkSourcesMissing", (double) r.crosstalkSourcesMissing().size());
        }
        for (AmpIsrStats a : r.isr().amplifiers()) {
            metrics.put("overscanMeanAdu_" + a.name(), a.overscanMeanAdu());
            metrics.put("overscanNoiseAdu_" + a.name(), a.overscanNoiseAdu());
            metrics.put("saturatedPixels_" + a.name(), (double) a.saturatedPixels());
        }
        log.append("input ").append(in.location().uri()).append('\n');
        log.append("steps: ").append(String.join(", ", r.isr().stepsApplied())).append('\n');
        return new QuantumShell.Outcome(List.of(written), metrics);
    }

    private static boolean has(QuantumReady q, String connection) {
        List<DatasetRef> refs = q.inputs().get(connection);
        return refs != null && !refs.isEmpty();
    }

    /** The bytes of a prerequisite the config switch asks for. */
    private byte[] prerequisite(QuantumReady q, String connection, String doSwitch) throws java.io.IOException {
        if (!has(q, connection)) {
            throw new IsrConfigs.UnsupportedConfigException("isr:" + doSwitch + "=True but the quantum carries no "
                    + connection + " input: the orchestrator plans it from the calibration collections; plan the"
                    + " step again (./lovoccs pipetask rerun CLUSTER --step step1) or set isr:" + doSwitch + "=False");
        }
        return shell.read(q.inputs().get(connection).get(0));
    }

    /** The raw read and through IsrTask; the raw is not held once this returns. */
    private IsrResult isr(DatasetRef in, IsrConfigs.WorkerConfig config) throws java.io.IOException {
        RawCcd raw = RawCcdReader.readHdu(shell.read(in));
        return IsrTask.run(raw, config.isr());
    }

    /** A master calibration the quantum carries as a prerequisite input ({@code bias}, {@code flat}). */
    private CalibProduct calibration(QuantumReady q, String connection) throws java.io.IOException {
        List<DatasetRef> refs = q.inputs().get(connection);
        if (refs == null || refs.isEmpty()) {
            throw new IsrConfigs.UnsupportedConfigException("isr:do" + Character.toUpperCase(connection.charAt(0))
                    + connection.substring(1) + "=True but the quantum carries no " + connection + " input: plan it"
                    + " with a pipeline whose tasks make the " + connection);
        }
        return CalibProductFormatter.read(shell.read(refs.get(0)));
    }
}
