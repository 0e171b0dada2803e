package org.lovoccs.registry.orchestrator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.lovoccs.events.DataId;
import org.lovoccs.events.DatasetType;
import org.lovoccs.events.Dimension;
import org.lovoccs.pipeline.Connection;
import org.lovoccs.pipeline.Pipeline;
import org.lovoccs.pipeline.PipelineException;
import org.lovoccs.pipeline.Subset;

/**
 * The pipeline the orchestrator runs, read from a pipeline YAML file like any other ({@code pipelines/LoVoCCS-orchestrator.yaml}
 * by default): per task its worker service, its step (the subset naming its output RUN), its
 * connections as event dataset types, and its effective config as the text sent with every quantum.
 *
 * <p>A task's step is the first subset naming it ({@code cpBias}, {@code cpFlat}, {@code step1}); it names the task's
 * output RUN. A task with a {@code multiple} input is a gather (a master calibration combines the exposures of a
 * detector): its quanta are planned when the cluster's raws are declared complete. A prerequisite input written by a
 * task of the pipeline (the bias a flat's ISR subtracts) is planned like an input, by its deterministic ID. A task
 * reading what a gather writes ({@link Task#afterGathers()}: the ISR of flats and of the science exposures for sky and
 * fringe frames, which read the master bias and flat) cannot run before the cluster's raws are complete either, so it
 * is planned then too, just before the gathers. A step's subset may restrict its data with {@code where}
 * ({@link StepQuery}, e.g. {@code band = 'z'} for cpFringe): a raw outside it does not start the step.
 *
 * <p>Loading refuses, naming the task and what to change, a pipeline the orchestrator cannot run: a task class with
 * no worker, a quantum over the skymap or a whole visit, a gather over more than a detector (and filter), or an
 * enabled prerequisite no task of the pipeline writes that is neither a calibration (looked up by date in the
 * cluster's calibration collections: the curated crosstalk, linearizer and defects) nor an htm7 reference catalogue
 * (looked up by the detector's region). A prerequisite written by a task whose step's {@code where} leaves the data
 * ID out (the fringe frame outside z) is not read by that quantum.
 */
public final class OrchestratedPipeline {

    /** The worker service of each task class that has one. */
    static final Map<String, String> WORKERS = Map.of(
            "lsst.ip.isr.IsrTask", "isr",
            "lsst.pipe.tasks.characterizeImage.CharacterizeImageTask", "isr",
            "lsst.pipe.tasks.calibrate.CalibrateTask", "isr",
            "lsst.cp.pipe.cpCombine.CalibCombineTask", "calibration",
            "lsst.cp.pipe.cpCombine.CalibCombineByFilterTask", "calibration",
            "lsst.cp.pipe.BrighterFatterKernelSolveTask", "calibration",
            "lovoccs.quality.CheckVisitTask", "isr",
            "lovoccs.quality.PlotVisitSeeingTask", "isr",
            "lovoccs.quality.SelectVisitTask", "isr");

    /**
     * The dimensions a gather may be over: one detector, or one detector and filter (master calibrations); one visit
     * (a visit's seeing plot); one band (select_visit).
     */
    private static final Set<String> GATHER = Set.of("instrument", "detector", "physical_filter", "band", "visit");

    /** The dimensions of a calibration looked up by date (crosstalk, linearizer, defects; bias, flat ...). */
    private static final Set<String> CALIBRATION_DIMENSIONS = Set.of("instrument", "detector", "physical_filter",
            "band");

    private static final Set<String> PER_DETECTOR = Set.of("instrument", "exposure", "visit", "detector", "band",
            "physical_filter", "day_obs");

    /** The bundled pipeline files (the registry jar carries the project's pipelines/ folder). */
    static final List<String> BUNDLED = List.of("LoVoCCS-orchestrator.yaml", "LoVoCCS-prompt.yaml", "DRP-LoVoCCS.yaml", "cpBias.yaml",
            "cpFlat.yaml", "cpSky.yaml", "cpFringe.yaml", "cpBfk.yaml");

    /** Where the datasets of an input come from. */
    public enum Source {
        /** A task of the pipeline writes it (found by its deterministic ID), or it lands (a raw). */
        PIPELINE,
        /**
         * A calibration from outside the pipeline (the curated crosstalk, linearizer, defects): looked up in the
         * cluster's calibration collections, the certification valid at the exposure's time.
         */
        CALIBRATION,
        /** A reference catalogue sharded by htm7: the shards over the detector's region. */
        REFCAT,
        /**
         * The ISR's inter-CCD crosstalk sources: step0's {@code overscanRaw} of the same exposure's CCDs that the
         * camera's crosstalk table names ({@code CrosstalkSourceMap}) and whose raws are in the registry. Optional:
         * one whose step0 fails is left out, and the ISR goes on without it (XTALKMIS).
         */
        CROSSTALK_SOURCES
    }

    /**
     * A connection as the orchestrator uses it.
     *
     * @param multiple     the quantum reads many datasets of it (a gather, or a refcat's shards)
     * @param prerequisite a prerequisite input
     * @param source       where its datasets come from
     * @param enabledBy    the config switch that makes the task read it ({@code doCrosstalk}), or null
     */
    public record Port(String connection, DatasetType type, boolean multiple, boolean prerequisite, Source source,
                       String enabledBy) {
        /**
         * A prerequisite found by a lookup rather than by the quantum's data ID: a calibration, a refcat, or the
         * crosstalk sources (other detectors' datasets).
         */
        public boolean lookedUp() {
            return source != Source.PIPELINE;
        }

        /**
         * A gather's input: many datasets that upstream quanta write. One whose upstream quantum fails is left out of
         * the gather rather than failing it (a master bias from the zeros that processed; select_visit over the CCDs
         * that calibrated), as the butler's quantum graph drops missing inputs of a connection with several.
         */
        public boolean gathered() {
            return multiple && !lookedUp();
        }

        /** An input the quantum goes on without when its producer fails (a gather's; crosstalk sources). */
        public boolean optional() {
            return gathered() || source == Source.CROSSTALK_SOURCES;
        }
    }

    /** One task the orchestrator plans. */
    public record Task(String label, String taskClass, String service, String step, List<Dimension> quantumDimensions,
                       List<Port> inputs, List<Port> outputs, Map<String, String> config, boolean afterGathers) {
        /** A task reading many datasets per quantum: planned when the cluster's raws are complete. */
        public boolean gather() {
            return inputs.stream().anyMatch(Port::gathered);
        }

        /**
         * A per-exposure task reading what a gather writes (a master bias or flat): planned with the gathers when the
         * cluster's raws are complete, as nothing it reads can exist before.
         */
        public boolean afterGathers() {
            return afterGathers;
        }

        /** The quantum's data ID: the given one restricted to the quantum's dimensions (a DECam visit is its exposure). */
        public DataId quantumDataId(DataId any) {
            return project(any, quantumDimensions);
        }
    }

    private final String source;
    private final Pipeline pipeline;
    private final Map<String, Task> tasks = new LinkedHashMap<>();
    /** What the pipeline leaves undone that an operator should know of (logged at start-up). */
    private final List<String> notes = new ArrayList<>();
    private final Map<String, StepQuery> queries = new LinkedHashMap<>();

    private OrchestratedPipeline(String source, Pipeline pipeline) {
        this.source = source;
        this.pipeline = pipeline;
        Map<String, String> steps = new LinkedHashMap<>();
        for (Subset s : pipeline.subsets().values()) {
            for (String l : s.labels()) {
                steps.putIfAbsent(l, s.name());
            }
        }
        Map<String, String> producers = pipeline.producers();
        for (String label : pipeline.taskOrder()) {
            var pt = pipeline.task(label);
            String cls = pt.className();
            String where = source + ": task " + label + " (" + cls + ")";
            String service = WORKERS.get(cls);
            if (service == null) {
                throw new PipelineException(where + " has no worker service; the orchestrator can run "
                        + WORKERS.keySet() + ". Remove the task from the orchestrator's pipeline.");
            }
            String step = steps.get(label);
            if (step == null) {
                throw new PipelineException(where + " is in no subset; its subset (its step) names the task's output"
                        + " RUN (DECam/processing/<cluster>/<step>/<stamp>). Add it to one.");
            }
            List<String> qdims = pt.definition().quantumDimensions();
            if (!PER_DETECTOR.containsAll(qdims)) {
                throw new PipelineException(where + ": its quanta are over " + qdims + "; the orchestrator plans"
                        + " per-exposure/per-detector quanta and gathers per detector, visit or band only (skymap"
                        + " tasks are not planned yet)");
            }
            Map<String, Object> effective = pipeline.effectiveConfig(label);
            List<Port> in = new ArrayList<>();
            List<Port> out = new ArrayList<>();
            for (Connection c : pipeline.connections(label)) {
                switch (c.kind()) {
                    case INPUT -> {
                        if (c.multiple() && !GATHER.containsAll(qdims)) {
                            throw new PipelineException(where + ": input " + c.name() + " is 'multiple' over quanta"
                                    + " of " + qdims + "; the orchestrator gathers per detector (and filter), per visit"
                                    + " or per band only");
                        }
                        in.add(port(c, false, Source.PIPELINE));
                    }
                    case PREREQUISITE_INPUT -> {
                        if (c.name().equals("crosstalkSources")) {
                            // inter-CCD crosstalk sources: step0's overscanRaw of the CCDs the camera's crosstalk
                            // table names, same exposure. Without step0 in the pipeline the ISR removes the intra-CCD
                            // crosstalk only, and says which sources it lacked (XTALKMIS)
                            if (producers.containsKey(c.datasetType())) {
                                in.add(port(c, true, Source.CROSSTALK_SOURCES));
                            } else {
                                notes.add(where + ": no task writes " + c.datasetType() + " (step0's"
                                        + " isrForCrosstalkSources), so the inter-CCD crosstalk is not removed; add"
                                        + " isrForCrosstalkSources to the pipeline to remove it");
                            }
                        } else if (producers.containsKey(c.datasetType())) {
                            in.add(port(c, true, Source.PIPELINE));
                        } else if (c.datasetType().equals("camera")) {
                            continue; // the camera geometry is built into the workers
                        } else if (c.dimensions().equals(List.of("htm7"))) {
                            in.add(port(c, true, Source.REFCAT));
                        } else if (CALIBRATION_DIMENSIONS.containsAll(c.dimensions())) {
                            in.add(port(c, true, Source.CALIBRATION));
                        } else {
                            throw new PipelineException(where + ": prerequisite input " + c.name() + " ("
                                    + c.datasetType() + " " + c.dimensionText() + ") is enabled" + (c.enabledBy() == null
                                    ? "" : " by " + c.enabledBy() + "=True") + ", but no task of the pipeline writes"
                                    + " it, and the orchestrator looks up only calibrations (over instrument, detector"
                                    + " and filter) and htm7 reference catalogues from elsewhere"
                                    + (c.enabledBy() == null ? "" : "; set " + label + ":" + c.enabledBy() + "=False"
                                    + " or add the task that makes it"));
                        }
                    }
                    case OUTPUT -> out.add(port(c, false, Source.PIPELINE));
                }
            }
            Map<String, String> config = new LinkedHashMap<>();
            effective.forEach((k, v) -> config.put(k, text(v)));
            tasks.put(label, new Task(label, cls, service, step, qdims.stream().map(Dimension::of).toList(),
                    List.copyOf(in), List.copyOf(out), Map.copyOf(config), false));
        }
        if (tasks.isEmpty()) {
            throw new PipelineException(source + " has no tasks for the orchestrator");
        }
        // a task reading what a gather writes waits for the gathers (tasks are in producer-before-consumer order)
        for (Task t : List.copyOf(tasks.values())) {
            boolean after = !t.gather() && t.inputs().stream().anyMatch(i -> {
                Task producer = producer(i.type().name());
                return producer != null && (producer.gather() || producer.afterGathers());
            });
            if (after) {
                tasks.put(t.label(), new Task(t.label(), t.taskClass(), t.service(), t.step(), t.quantumDimensions(),
                        t.inputs(), t.outputs(), t.config(), true));
            }
        }
        for (Subset s : pipeline.subsets().values()) {
            if (s.where() != null && steps().contains(s.name())) {
                queries.put(s.name(), StepQuery.parse(s.where(), source + ": subset " + s.name()));
            }
        }
    }

    /**
     * Loads {@code spec} ({@code FILE[#SELECTION]}); a spec naming one of the bundled files (e.g.
     * {@code LoVoCCS-orchestrator.yaml}) that is not a file on disk is read from the registry's jar.
     */
    public static OrchestratedPipeline load(String spec) {
        String file = spec.contains("#") ? spec.substring(0, spec.indexOf('#')) : spec;
        String selection = spec.contains("#") ? spec.substring(spec.indexOf('#')) : "";
        if (!Files.exists(Path.of(file)) && BUNDLED.contains(file)) {
            Path dir = extractBundled();
            return new OrchestratedPipeline(spec + " (bundled)", Pipeline.load(dir.resolve(file) + selection));
        }
        return new OrchestratedPipeline(spec, Pipeline.load(spec));
    }

    private static Path extractBundled() {
        try {
            Path dir = Files.createTempDirectory("lovoccs-pipelines");
            dir.toFile().deleteOnExit();
            for (String name : BUNDLED) {
                try (InputStream in = OrchestratedPipeline.class.getResourceAsStream("/pipelines/" + name)) {
                    if (in == null) {
                        throw new PipelineException("the registry jar lacks pipelines/" + name + "; rebuild it");
                    }
                    Path f = dir.resolve(name);
                    Files.copy(in, f);
                    f.toFile().deleteOnExit();
                }
            }
            return dir;
        } catch (IOException e) {
            throw new PipelineException("cannot unpack the bundled pipelines: " + e.getMessage(), e);
        }
    }

    /** Where the pipeline came from, for messages. */
    public String source() {
        return source;
    }

    /** The pipeline model itself (for the graph on the status page). */
    public Pipeline pipeline() {
        return pipeline;
    }

    /** The tasks, producers before consumers. */
    public List<Task> tasks() {
        return List.copyOf(tasks.values());
    }

    /** What the pipeline leaves undone that an operator should know of. */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    /** A task by label, or null. */
    public Task task(String label) {
        return tasks.get(label);
    }

    /** The tasks reading this dataset type (as an input or a prerequisite written by the pipeline). */
    public List<Task> consumers(String datasetType) {
        return tasks.values().stream().filter(t -> t.inputs().stream()
                .anyMatch(p -> p.type().name().equals(datasetType))).toList();
    }

    /** The task producing this dataset type, or null when it comes from outside (raws, earlier steps). */
    public Task producer(String datasetType) {
        return tasks.values().stream().filter(t -> t.outputs().stream()
                .anyMatch(p -> p.type().name().equals(datasetType))).findFirst().orElse(null);
    }

    /**
     * Whether a data ID (a raw's, with the band and physical filter its exposure implies) is in a step's data: its
     * subset's {@code where}, when it has one.
     */
    public boolean inStep(String step, DataId dataId) {
        StepQuery q = queries.get(step);
        return q == null || q.matches(dataId);
    }

    /** A step's data query as written, or null. */
    public String stepQuery(String step) {
        StepQuery q = queries.get(step);
        return q == null ? null : q.text();
    }

    /** The step names, in task order. */
    public List<String> steps() {
        return tasks.values().stream().map(Task::step).distinct().toList();
    }

    /** A data ID restricted to some dimensions; visit and exposure stand for each other (one exposure per visit). */
    static DataId project(DataId any, List<Dimension> dims) {
        DataId.Builder b = DataId.builder();
        for (Dimension d : dims) {
            Object v = any.get(d);
            if (v == null && d == Dimension.VISIT) {
                v = any.get(Dimension.EXPOSURE);
            } else if (v == null && d == Dimension.EXPOSURE) {
                v = any.get(Dimension.VISIT);
            }
            if (v == null) {
                throw new IllegalArgumentException("data ID " + any + " lacks " + d.key());
            }
            b.with(d, v);
        }
        return b.build();
    }

    private static Port port(Connection c, boolean prerequisite, Source source) {
        return new Port(c.name(), new DatasetType(c.datasetType(),
                c.dimensions().stream().map(Dimension::of).toList(), c.storageClass()), c.multiple(), prerequisite,
                source, c.enabledBy());
    }

    private static String text(Object v) {
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        return String.valueOf(v);
    }
}
