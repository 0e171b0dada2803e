package org.lovoccs.registry.orchestrator;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;
import org.lovoccs.butler.instrument.CrosstalkSourceMap;
import org.lovoccs.events.DataId;
import org.lovoccs.events.DatasetIds;
import org.lovoccs.events.DatasetReady;
import org.lovoccs.events.DatasetRef;
import org.lovoccs.events.DatasetType;
import org.lovoccs.events.Dimension;
import org.lovoccs.events.EventCodec;
import org.lovoccs.events.QuantumReady;
import org.lovoccs.events.StorageLocation;
import org.lovoccs.events.Topics;
import org.lovoccs.registry.Retries;
import org.lovoccs.registry.db.Registry;
import org.lovoccs.registry.outbox.Outbox;
import org.lovoccs.registry.outbox.OutboxRelay;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Plans the quantum graph from the pipeline ({@link OrchestratedPipeline}), incrementally, as datasets become ready.
 *
 * <p>When a dataset is ready, every task reading its type gets its quantum for that data ID, and so, ahead of the
 * data, do the quanta downstream of it, reading the datasets it will write (their IDs are deterministic in type, RUN
 * and data ID, so they are known before they exist). A quantum whose inputs all exist is {@code pending} and its
 * {@code quantum.ready.<service>} message is queued in the same transaction (the outbox); one still waiting for an
 * input is {@code unready}, and is dispatched when its last input becomes ready. The datasets each quantum reads
 * and writes are its edges ({@code quantum_dataset}): they find the readers of a new dataset, and the dependants of
 * a failed quantum ({@link QuantumGraphEdges}).
 *
 * <p>A quantum's ID is deterministic in task, cluster, output RUN and data ID, so a redelivered
 * {@code dataset.ready} plans nothing new, and a re-run of a step (a new RUN) plans new quanta.
 */
@ApplicationScoped
public class Orchestrator {
    private static final Logger LOG = Logger.getLogger(Orchestrator.class);
    private static final DateTimeFormatter RUN_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final DateTimeFormatter RUN_STAMP_MILLIS = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'");

    @Inject
    Mutiny.SessionFactory sessions;

    @Inject
    Outbox outbox;

    @Inject
    OutboxRelay relay;

    @Inject
    PrerequisiteLookup prerequisites;

    @Inject
    QuantumClusters clusters;

    @ConfigProperty(name = "lovoccs.repo-bucket")
    String repoBucket;

    /** {@code FILE[#SELECTION]}; the bundled {@code LoVoCCS-orchestrator.yaml} unless set. */
    @ConfigProperty(name = "lovoccs.orchestrator.pipeline", defaultValue = "LoVoCCS-orchestrator.yaml")
    String pipelineSpec;

    /**
     * Which steps a raw starts, by its exposure's observation type ({@code OBSTYPE}, lower case):
     * {@code TYPE:STEP[,STEP...];TYPE:...}. Raws of other types are ingested but start nothing. A step whose subset
     * has a {@code where} starts only for the raws it matches (cpFringe: z only).
     */
    @ConfigProperty(name = "lovoccs.orchestrator.routes", defaultValue = DEFAULT_ROUTES)
    String routeSpec;

    /**
     * The default routes: science raws start step0 (the crosstalk sources), step1, cpSky and cpFringe. A step of
     * these that the pipeline lacks is left out (the prompt pipeline has no step0); a step named in routes set by
     * the operator must exist.
     */
    static final String DEFAULT_ROUTES = "zero:cpBias;dome flat:cpFlat;object:step0,step1,cpSky,cpFringe";

    /** The CALIBRATION collection a cluster's master calibrations are certified in: {@code DECam/calib/<cluster>}. */
    public static String calibCollection(String cluster) {
        return "DECam/calib/" + cluster;
    }

    /** How long a master calibration is valid from the night of its first input exposure. */
    @ConfigProperty(name = "lovoccs.calib.validity-days", defaultValue = "30")
    int validityDays;

    private volatile OrchestratedPipeline pipeline;

    /** Whether a dataset type is a calibration: asked of the registry once per type, not on every dataset.ready. */
    private final Map<String, Boolean> calibrationTypes = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Map<String, List<String>> routes;

    /** Loads the pipeline at start-up, so a pipeline the orchestrator cannot run stops the registry with the reason. */
    void onStart(@Observes StartupEvent ev) {
        OrchestratedPipeline p = pipeline();
        LOG.infof("orchestrator routes (observation type to steps): %s", routes());
        LOG.infof("orchestrator pipeline %s: %s", p.source(), p.tasks().stream()
                .map(t -> t.label() + " (" + t.step() + ", " + t.service() + ")").collect(Collectors.joining(", ")));
        LOG.infof("orchestrator quantum clusters (one job each, outputs handed on in memory): %s",
                clusters.chains(p).isEmpty() ? "none" : clusters.chains(p).values());
        p.notes().forEach(n -> LOG.warnf("orchestrator pipeline %s", n));
    }

    /** Observation type to steps, checked against the pipeline's steps. */
    Map<String, List<String>> routes() {
        Map<String, List<String>> r = routes;
        if (r == null) {
            r = new LinkedHashMap<>();
            for (String part : routeSpec.split(";")) {
                if (part.isBlank()) {
                    continue;
                }
                int colon = part.lastIndexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException("lovoccs.orchestrator.routes: '" + part + "' is not"
                            + " TYPE:STEP[,STEP...]");
                }
                List<String> steps = new ArrayList<>();
                for (String step : part.substring(colon + 1).split(",")) {
                    step = step.strip();
                    if (!pipeline().steps().contains(step) && routeSpec.equals(DEFAULT_ROUTES)) {
                        continue;
                    }
                    if (!pipeline().steps().contains(step)) {
                        throw new IllegalArgumentException("lovoccs.orchestrator.routes: step '" + step + "' is not in"
                                + " the orchestrator's pipeline (" + pipeline().source() + "); its steps are "
                                + pipeline().steps());
                    }
                    steps.add(step);
                }
                r.put(part.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT), List.copyOf(steps));
            }
            routes = r;
        }
        return r;
    }

    /** The pipeline the orchestrator plans from. */
    public OrchestratedPipeline pipeline() {
        OrchestratedPipeline p = pipeline;
        if (p == null) {
            p = OrchestratedPipeline.load(pipelineSpec);
            pipeline = p;
        }
        return p;
    }

    @Incoming("dataset-ready")
    public Uni<Void> datasetReady(String payload) {
        return Retries.decodeThen(Topics.DATASET_READY, payload, DatasetReady.class, this::plan);
    }

    Uni<Void> plan(DatasetReady ev) {
        return sessions.withTransaction(s -> planFrom(s, ev.cluster(), ev.dataset(), null, false)).invoke(relay::kick)
                .replaceWithVoid();
    }

    /**
     * Plans the quanta reading {@code ready} (only those of {@code labels} when given) and their dependants, then
     * dispatches the waiting quanta this dataset completes. Tasks that wait for the gathers are planned only when
     * {@code completing} (the cluster's raws are being declared complete). The number of quanta planned.
     */
    private Uni<Integer> planFrom(Mutiny.Session s, String cluster, DatasetRef ready, Set<String> labels,
                                  boolean completing) {
        return context(s, ready.dataId()).chain(ctx -> {
            Set<String> steps = null;
            if (ready.datasetType().equals("raw")) {
                // a raw starts the steps of its observation type (zero: cpBias; dome flat: cpFlat; object: step1,
                // cpSky, cpFringe) whose data query it matches (cpFringe: z only)
                List<String> routed = routes().getOrDefault(ctx.observationType() == null ? "object"
                        : ctx.observationType(), List.of());
                steps = routed.stream().filter(st -> pipeline().inStep(st, ctx.dataId())).collect(Collectors.toSet());
                if (steps.isEmpty()) {
                    LOG.infof("raw %s of %s: observation type '%s' starts no step (routes %s)", ctx.dataId(),
                            cluster, ctx.observationType(), routes());
                    return Uni.createFrom().item(0);
                }
            }
            Set<String> routed = steps;
            List<OrchestratedPipeline.Task> tasks = pipeline().consumers(ready.datasetType()).stream()
                    .filter(t -> (labels == null || labels.contains(t.label()))
                            && (routed == null || routed.contains(t.step()))).toList();
            // a raw ingested after its cluster was declared complete (ingestion lagging behind the declaration) still
            // gets the quanta that wait for the gathers
            Uni<Boolean> complete = completing || tasks.stream().noneMatch(OrchestratedPipeline.Task::afterGathers)
                    ? Uni.createFrom().item(completing)
                    : s.createNativeQuery("SELECT count(*) FROM cluster WHERE name = :c AND raws_complete_at IS NOT"
                    + " NULL", Long.class).setParameter("c", cluster).getSingleResult().map(n -> n > 0)
                    .memoize().indefinitely();
            Uni<Integer> chain = complete.map(c -> 0);
            for (OrchestratedPipeline.Task t : tasks) {
                chain = chain.chain(n -> complete.chain(c -> planQuantum(s, cluster, t, ctx.dataId(), ready, c))
                        .map(m -> n + m));
            }
            return chain.call(() -> certifyIfCalibration(s, cluster, ready))
                    .call(() -> dispatchReaders(s, ready.id()));
        });
    }

    /** A data ID with what its exposure implies (band, physical_filter), and the exposure's observation type. */
    private record Context(DataId dataId, String observationType) {
    }

    private static Uni<Context> context(Mutiny.Session s, DataId dataId) {
        Object exposure = dataId.get(Dimension.EXPOSURE) != null ? dataId.get(Dimension.EXPOSURE)
                : dataId.get(Dimension.VISIT);
        if (exposure == null) {
            return Uni.createFrom().item(new Context(dataId, null));
        }
        return s.createNativeQuery("SELECT band, physical_filter, observation_type FROM exposure WHERE id = :e"
                        + " AND instrument = :i", Object[].class)
                .setParameter("e", ((Number) exposure).longValue())
                .setParameter("i", dataId.get(Dimension.INSTRUMENT) == null ? "DECam"
                        : dataId.getString(Dimension.INSTRUMENT))
                .getResultList()
                .map(rows -> {
                    if (rows.isEmpty()) {
                        return new Context(dataId, null);
                    }
                    Map<String, Object> m = new LinkedHashMap<>(dataId.asMap());
                    if (rows.get(0)[0] != null) {
                        m.putIfAbsent("band", rows.get(0)[0]);
                    }
                    if (rows.get(0)[1] != null) {
                        m.putIfAbsent("physical_filter", rows.get(0)[1]);
                    }
                    return new Context(DataId.of(m), (String) rows.get(0)[2]);
                });
    }

    /**
     * One input of a quantum being planned: the reference and whether the dataset exists already; or, for a
     * prerequisite that cannot be found, why (the quantum is then planned failed with that reason).
     */
    record Input(String connection, DatasetRef ref, boolean exists, String missing) {
        static Input of(String connection, DatasetRef ref, boolean exists) {
            return new Input(connection, ref, exists, null);
        }

        static Input missing(String connection, String reason) {
            return new Input(connection, null, false, reason);
        }
    }

    /**
     * Plans a task's quantum for a data ID unless it exists, then the quanta that will read its outputs. Nothing is
     * planned while an input that no task of the pipeline produces (a raw) is not in the registry: that dataset's
     * own {@code dataset.ready} plans it. The number of quanta planned.
     */
    private Uni<Integer> planQuantum(Mutiny.Session s, String cluster, OrchestratedPipeline.Task task, DataId full,
                                     DatasetRef ready, boolean completing) {
        if (task.gather() || task.afterGathers() && !completing) {
            return Uni.createFrom().item(0); // planned when the cluster's raws are complete (planGathers)
        }
        if (!covers(full, task.quantumDimensions())) {
            // a quantum over more than this data ID (a flat's ISR reading the detector's bias) is planned from its
            // own raw, and reads this dataset by its deterministic ID: dispatchReaders sends it when it is ready
            return Uni.createFrom().item(0);
        }
        DataId dataId = task.quantumDataId(full);
        return outputRun(s, cluster, task.step()).chain(run -> {
            UUID quantumId = DatasetIds.quantum(task.label(), cluster + "@" + run, dataId);
            return s.createNativeQuery("SELECT count(*) FROM quantum WHERE id = :id", Long.class)
                    .setParameter("id", quantumId).getSingleResult()
                    .chain(n -> n > 0 ? Uni.createFrom().item(0)
                            : resolveInputs(s, cluster, task, full, ready, 0, new ArrayList<>())
                            .chain(inputs -> inputs == null ? Uni.createFrom().item(0)
                                    : insertQuantum(s, cluster, task, full, run, quantumId, inputs, completing)));
        });
    }

    private Uni<List<Input>> resolveInputs(Mutiny.Session s, String cluster, OrchestratedPipeline.Task task,
                                           DataId dataId, DatasetRef ready, int i, List<Input> done) {
        if (i == task.inputs().size()) {
            return Uni.createFrom().item(done);
        }
        OrchestratedPipeline.Port port = task.inputs().get(i);
        DatasetType type = port.type();
        OrchestratedPipeline.Task producer = pipeline().producer(type.name());
        Uni<List<Input>> found;
        if (port.source() == OrchestratedPipeline.Source.CROSSTALK_SOURCES) {
            found = crosstalkSources(s, cluster, task, port, producer, dataId);
        } else if (port.source() == OrchestratedPipeline.Source.REFCAT) {
            found = prerequisites.refcatShards(s, cluster, port, dataId);
        } else if (port.source() == OrchestratedPipeline.Source.CALIBRATION) {
            found = prerequisites.calibration(s, cluster, port, dataId);
        } else if (port.prerequisite() && producer != null && !pipeline().inStep(producer.step(), dataId)) {
            // the step making it leaves this data ID out (the fringe frame outside z): nothing to read
            LOG.debugf("%s %s of %s: %s is made by %s only for %s; not read", task.label(), dataId, cluster,
                    type.name(), producer.step(), pipeline().stepQuery(producer.step()));
            found = Uni.createFrom().item(List.of());
        } else {
            DataId inputId = OrchestratedPipeline.project(dataId, type.dimensions());
            if (ready != null && ready.datasetType().equals(type.name()) && ready.dataId().equals(inputId)) {
                // the dataset whose dataset.ready is being handled: as the event gives it
                found = Uni.createFrom().item(List.of(Input.of(port.connection(), ready, true)));
            } else if (producer != null && port.prerequisite() && prerequisites.prefersShared(type.name())) {
                // a calibration stable with time (the fringe frame): one certified in the shared collections for
                // the exposure's date is read instead of the cluster's own, made from only its few exposures
                found = prerequisites.sharedCalibration(s, port, dataId).chain(shared -> {
                    if (!shared.isEmpty()) {
                        LOG.infof("%s %s of %s: %s certified in %s, not the cluster's own", task.label(), dataId,
                                cluster, type.name(), prerequisites.sharedCalibCollections());
                        return Uni.createFrom().item(shared);
                    }
                    return upstream(s, cluster, port, producer, inputId);
                });
            } else if (producer != null) {
                found = upstream(s, cluster, port, producer, inputId);
            } else {
                found = datasets(s, "d.cluster = :c AND d.dataset_type = :t AND d.data_id @> cast(cast(:did as text)"
                                + " as jsonb)",
                        Map.of("c", cluster, "t", type.name(), "did", EventCodec.toJson(inputId)))
                        .map(rows -> rows.isEmpty() ? null : List.of(Input.of(port.connection(), rows.get(0), true)))
                        .invoke(in -> {
                            if (in == null) {
                                LOG.debugf("%s %s of %s: no %s %s in the registry yet; planned when it is ready",
                                        task.label(), dataId, cluster, type.name(), inputId);
                            }
                        });
            }
        }
        return found.chain(in -> {
            if (in == null) {
                return Uni.createFrom().nullItem();
            }
            done.addAll(in);
            return resolveInputs(s, cluster, task, dataId, ready, i + 1, done);
        });
    }

    /**
     * The inter-CCD crosstalk sources of a CCD's ISR: step0's overscanRaw of the same exposure's detectors that the
     * camera's crosstalk table names ({@link CrosstalkSourceMap}), each one that exists or that a planned quantum will
     * write. A source whose raw never landed (or whose step0 is not planned, or failed) is left out; the ISR records
     * it (XTALKMIS). The edges are optional: a source whose step0 fails is dropped, not a dependency failure.
     */
    private Uni<List<Input>> crosstalkSources(Mutiny.Session s, String cluster, OrchestratedPipeline.Task task,
                                              OrchestratedPipeline.Port port, OrchestratedPipeline.Task producer,
                                              DataId dataId) {
        Object detector = dataId.get(Dimension.DETECTOR);
        Object exposure = dataId.get(Dimension.EXPOSURE);
        if (!(detector instanceof Number d) || exposure == null || producer == null) {
            return Uni.createFrom().item(List.of());
        }
        List<Integer> sources = List.copyOf(CrosstalkSourceMap.decam().sourcesOf(d.intValue()));
        Uni<List<Input>> chain = Uni.createFrom().item(new ArrayList<>());
        for (int source : sources) {
            Map<String, Object> m = new LinkedHashMap<>(dataId.asMap());
            m.put(Dimension.DETECTOR.key(), (long) source);
            DataId sourceId = OrchestratedPipeline.project(DataId.of(m), port.type().dimensions());
            if (!pipeline().inStep(producer.step(), sourceId)) {
                continue;
            }
            chain = chain.chain(list -> upstream(s, cluster, port, producer, sourceId).chain(in -> {
                Input i = in.get(0);
                if (i.exists()) {
                    list.add(i);
                    return Uni.createFrom().item(list);
                }
                // a step0 quantum that will write it: planned and not failed
                return s.createNativeQuery("SELECT count(*) FROM quantum_dataset o JOIN quantum p ON p.id ="
                                + " o.quantum WHERE o.dataset = :d AND o.role = 'output' AND p.state NOT IN"
                                + " ('failed', 'dep_fail')", Long.class).setParameter("d", i.ref().id())
                        .getSingleResult()
                        .map(n -> {
                            if (n > 0) {
                                list.add(i);
                            } else {
                                LOG.infof("%s %s of %s: crosstalk source detector %d has no %s coming (its raw is"
                                        + " not in the registry, or its step0 failed); the ISR goes without it",
                                        task.label(), dataId, cluster, source, port.type().name());
                            }
                            return list;
                        });
            }));
        }
        return chain.map(List::copyOf);
    }

    /** An input written by an upstream quantum under its step's RUN: its ID is known before it exists. */
    private Uni<List<Input>> upstream(Mutiny.Session s, String cluster, OrchestratedPipeline.Port port,
                                      OrchestratedPipeline.Task producer, DataId inputId) {
        DatasetType type = port.type();
        return outputRun(s, cluster, producer.step()).chain(run -> {
            UUID id = DatasetIds.deterministic(type, run, inputId);
            return datasets(s, "d.id = :id", Map.of("id", id)).map(rows -> List.of(rows.isEmpty()
                    ? Input.of(port.connection(), DatasetRef.planned(type, run, inputId,
                    outputUri(run, type, inputId)), false)
                    : Input.of(port.connection(), rows.get(0), true)));
        });
    }

    private Uni<Integer> insertQuantum(Mutiny.Session s, String cluster, OrchestratedPipeline.Task task, DataId full,
                                       String run, UUID quantumId, List<Input> inputs, boolean completing) {
        DataId dataId = task.quantumDataId(full);
        Map<String, List<DatasetRef>> in = new LinkedHashMap<>();
        inputs.stream().filter(i -> i.ref() != null)
                .forEach(i -> in.computeIfAbsent(i.connection(), k -> new ArrayList<>()).add(i.ref()));
        // a prerequisite that is nowhere (no curated crosstalk certified for the exposure's date): the quantum is
        // planned failed with the reason, and its dependants fail with it
        String missing = inputs.stream().map(Input::missing).filter(java.util.Objects::nonNull)
                .collect(Collectors.joining("; "));
        Map<String, List<DatasetRef>> out = new LinkedHashMap<>();
        for (OrchestratedPipeline.Port p : task.outputs()) {
            DataId outId = OrchestratedPipeline.project(full, p.type().dimensions());
            out.put(p.connection(), List.of(DatasetRef.planned(p.type(), run, outId, outputUri(run, p.type(), outId))));
        }
        boolean failed = !missing.isEmpty();
        boolean ready = !failed && inputs.stream().allMatch(Input::exists);
        return clusterConfig(s, cluster, task).chain(config -> {
        QuantumReady q = new QuantumReady(quantumId, cluster, task.label(), task.taskClass(), task.service(), dataId,
                config, in, out, 1);
        String topic = Topics.quantumReady(task.service());
        return s.createNativeQuery("INSERT INTO quantum (id, cluster, task_label, service, data_id, state, dispatch, run,"
                        + " error_type, error_message, finished_at) VALUES (:id, :c, :t, :svc,"
                        + " cast(cast(:did as text) as jsonb), :st, cast(cast(:d as text) as jsonb), :run, :et, :em,"
                        + " CASE WHEN :failed THEN now() END) ON CONFLICT (id) DO NOTHING")
                .setParameter("id", quantumId).setParameter("c", cluster).setParameter("t", task.label())
                .setParameter("svc", task.service()).setParameter("did", EventCodec.toJson(dataId))
                .setParameter("st", failed ? "failed" : ready ? "pending" : "unready")
                .setParameter("d", EventCodec.encode(topic, q))
                .setParameter("run", run).setParameter("et", failed ? "MissingPrerequisite" : null)
                .setParameter("em", failed ? missing : null).setParameter("failed", failed)
                .executeUpdate()
                .chain(inserted -> {
                    if (inserted == 0) {
                        return Uni.createFrom().item(0);
                    }
                    Uni<Void> edges = inputEdges(s, quantumId, task, in, full);
                    for (var e : out.entrySet()) {
                        for (DatasetRef r : e.getValue()) {
                            edges = edges.call(() -> QuantumGraphEdges.add(s, quantumId, r, "output", e.getKey(),
                                    withImplied(r.dataId(), full), false));
                        }
                    }
                    // a quantum that starts a cluster goes out once the quanta after it are planned, with them
                    boolean startsCluster = clusters.startsCluster(pipeline(), task.label());
                    Uni<Integer> planned = edges
                            .call(() -> ready && !startsCluster ? outbox.enqueue(s, topic, quantumId.toString(), q)
                                    : Uni.createFrom().voidItem())
                            .invoke(() -> {
                                if (failed) {
                                    LOG.warnf("planned %s quantum %s for %s %s failed: %s", task.label(), quantumId,
                                            cluster, dataId, missing);
                                } else {
                                    LOG.infof("planned %s quantum %s for %s %s (%s)", task.label(), quantumId,
                                            cluster, dataId, ready ? "dispatched" : "waiting for its inputs");
                                }
                            })
                            .replaceWith(1);
                    // the quanta that will read this one's outputs, planned now so a failure can reach them
                    for (OrchestratedPipeline.Port p : task.outputs()) {
                        for (OrchestratedPipeline.Task reader : pipeline().consumers(p.type().name())) {
                            planned = planned.chain(n -> planQuantum(s, cluster, reader, full, null, completing)
                                    .map(m -> n + m));
                        }
                    }
                    if (ready && startsCluster) {
                        planned = planned.call(() -> clusters.withFollowers(s, pipeline(), q)
                                .chain(job -> outbox.enqueue(s, topic, quantumId.toString(), job)));
                    }
                    return failed ? planned.call(() -> QuantumGraphEdges.markDependantsFailed(s, quantumId))
                            : planned;
                });
        });
    }

    /**
     * Records the inputs a quantum reads as its edges; those of an optional port (a gather's, the crosstalk sources)
     * are optional edges, dropped rather than failed with their producer. {@code full}: the quantum's data ID with
     * what it implies.
     */
    private static Uni<Void> inputEdges(Mutiny.Session s, UUID quantumId, OrchestratedPipeline.Task task,
                                        Map<String, List<DatasetRef>> in, DataId full) {
        Set<String> optional = task.inputs().stream().filter(OrchestratedPipeline.Port::optional)
                .map(OrchestratedPipeline.Port::connection).collect(Collectors.toSet());
        Uni<Void> edges = Uni.createFrom().voidItem();
        for (var e : in.entrySet()) {
            for (DatasetRef r : e.getValue()) {
                edges = edges.call(() -> QuantumGraphEdges.add(s, quantumId, r, "input", e.getKey(),
                        withImplied(r.dataId(), full), optional.contains(e.getKey())));
            }
        }
        return edges;
    }

    /**
     * A task's config for one cluster: the cluster record's own overrides for the task ({@code LABEL:FIELD}, as
     * {@code ./lovoccs cluster create -c} wrote them), then the values naming a field of the record
     * ({@code cluster.ra}, {@code cluster.dec}, {@code cluster.redshift}: select_visit's X-ray peak) replaced by the
     * record's; a field the record lacks stays as written, and the worker says what to do.
     */
    private static Uni<Map<String, String>> clusterConfig(Mutiny.Session s, String cluster,
                                                          OrchestratedPipeline.Task task) {
        return s.createNativeQuery("SELECT ra, dec, redshift, config::text FROM cluster WHERE name = :c",
                        Object[].class)
                .setParameter("c", cluster).getResultList()
                .map(rows -> {
                    Object[] r = rows.isEmpty() ? new Object[4] : rows.get(0);
                    Map<String, String> out = new java.util.TreeMap<>(task.config());
                    if (r[3] != null) {
                        try {
                            EventCodec.JSON.readTree((String) r[3]).fields().forEachRemaining(e -> {
                                if (e.getKey().startsWith(task.label() + ":")) {
                                    out.put(e.getKey().substring(task.label().length() + 1), e.getValue().asText());
                                }
                            });
                        } catch (java.io.IOException e) {
                            throw new IllegalStateException("cluster " + cluster + ": bad config in its record: "
                                    + r[3], e);
                        }
                    }
                    Map<String, Object> fields = new java.util.HashMap<>();
                    fields.put("cluster.ra", r[0]);
                    fields.put("cluster.dec", r[1]);
                    fields.put("cluster.redshift", r[2]);
                    out.replaceAll((k, v) -> fields.get(v) != null ? String.valueOf(fields.get(v)) : v);
                    return Map.copyOf(out);
                });
    }

    /** Whether a data ID has every one of these dimensions (a visit being its exposure). */
    private static boolean covers(DataId id, List<Dimension> dims) {
        for (Dimension d : dims) {
            boolean has = id.get(d) != null || d == Dimension.VISIT && id.get(Dimension.EXPOSURE) != null
                    || d == Dimension.EXPOSURE && id.get(Dimension.VISIT) != null;
            if (!has) {
                return false;
            }
        }
        return true;
    }

    /** A dataset's data ID with the band and physical filter its exposure implies, when known. */
    /**
     * A gather's data ID with the band and physical filter its members all share: a master bias or brighter-fatter
     * kernel gathers several filters, and one member's filter would mislabel the quantum.
     */
    static DataId withShared(DataId own, List<DataId> members) {
        Map<String, Object> m = new LinkedHashMap<>(own.asMap());
        for (Dimension d : List.of(Dimension.BAND, Dimension.PHYSICAL_FILTER)) {
            Object first = members.get(0).get(d);
            if (first != null && members.stream().allMatch(x -> first.equals(x.get(d)))) {
                m.putIfAbsent(d.key(), first);
            }
        }
        return DataId.of(m);
    }

    private static DataId withImplied(DataId own, DataId full) {
        Map<String, Object> m = new LinkedHashMap<>(own.asMap());
        for (Dimension d : List.of(Dimension.BAND, Dimension.PHYSICAL_FILTER)) {
            if (full.get(d) != null) {
                m.putIfAbsent(d.key(), full.get(d));
            }
        }
        return DataId.of(m);
    }

    /** What planning the gathers of a cluster did. */
    public record Gathers(int planned, int orphansFailed, int dispatched) {
    }

    /**
     * The cluster's raws are complete. First the per-exposure tasks that read what a gather writes (the ISR of dome
     * flats reading the master bias; of science exposures for sky and fringe frames reading the master bias and flat)
     * get their quanta from the cluster's raws, routed and restricted as when a raw lands, waiting for those inputs by
     * their deterministic IDs. Then every gather task (a master bias per detector; a master flat, sky frame, fringe
     * frame per detector and filter) gets its quanta, each reading every dataset its upstream quanta of the current
     * RUN write for its data ID, planned or done. Then quanta that wait for a dataset nothing will write fail with the
     * reason (a science exposure in a band without dome flats), failures reach their dependants, and the quanta whose
     * inputs all exist are dispatched. One transaction; idempotent.
     */
    public Uni<Gathers> planGathers(String cluster) {
        return sessions.withTransaction(s -> planGathers(s, cluster)).invoke(g -> {
            relay.kick();
            LOG.infof("cluster %s: raws complete; %d gather quanta planned, %d waiting quanta failed for missing"
                    + " inputs, %d dispatched", cluster, g.planned(), g.orphansFailed(), g.dispatched());
        });
    }

    /** The same in the caller's transaction (a re-run plans its step and the gathers in one). */
    private Uni<Gathers> planGathers(Mutiny.Session s, String cluster) {
        Uni<Integer> chain = planAfterGathers(s, cluster);
        for (OrchestratedPipeline.Task task : pipeline().tasks()) {
            if (task.gather()) {
                chain = chain.chain(n -> planGather(s, cluster, task).map(m -> n + m));
            }
        }
        return chain.chain(planned -> QuantumGraphEdges.failOrphans(s, cluster)
                .call(() -> QuantumGraphEdges.propagateFailures(s, cluster))
                .call(() -> afterFailures(s, cluster))
                .chain(orphans -> dispatchReadyOf(s, cluster)
                        .map(dispatched -> new Gathers(planned, orphans, dispatched))));
    }

    /** The quanta of the tasks that wait for the gathers, from the cluster's datasets they start from (raws). */
    private Uni<Integer> planAfterGathers(Mutiny.Session s, String cluster) {
        List<OrchestratedPipeline.Task> after = pipeline().tasks().stream()
                .filter(OrchestratedPipeline.Task::afterGathers).toList();
        Set<String> labels = after.stream().map(OrchestratedPipeline.Task::label).collect(Collectors.toSet());
        // what they start from: their inputs no task of the pipeline writes
        List<String> starts = after.stream().flatMap(t -> t.inputs().stream())
                .filter(i -> !i.lookedUp()).map(i -> i.type().name())
                .filter(type -> pipeline().producer(type) == null).distinct().toList();
        if (starts.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return datasets(s, "d.cluster = :c AND d.dataset_type IN (:types)", Map.of("c", cluster, "types", starts))
                .chain(refs -> {
                    Uni<Integer> chain = Uni.createFrom().item(0);
                    // oldest first, so the quanta are dispatched roughly in landing order
                    List<DatasetRef> oldestFirst = new ArrayList<>(refs);
                    java.util.Collections.reverse(oldestFirst);
                    for (DatasetRef ref : oldestFirst) {
                        chain = chain.chain(n -> planFrom(s, cluster, ref, labels, true).map(m -> n + m));
                    }
                    return chain;
                });
    }

    private Uni<Integer> planGather(Mutiny.Session s, String cluster, OrchestratedPipeline.Task task) {
        OrchestratedPipeline.Port gathered = task.inputs().stream().filter(OrchestratedPipeline.Port::multiple)
                .findFirst().orElseThrow();
        OrchestratedPipeline.Task producer = pipeline().producer(gathered.type().name());
        if (producer == null) {
            return Uni.createFrom().failure(new IllegalStateException(task.label() + " gathers "
                    + gathered.type().name() + ", which no task of the pipeline writes"));
        }
        return outputRun(s, cluster, producer.step()).chain(upstreamRun -> s.createNativeQuery(
                        "SELECT e.dataset, e.data_id::text FROM quantum_dataset e JOIN quantum q ON q.id = e.quantum"
                                + " WHERE q.cluster = :c AND q.run = :r AND e.role = 'output' AND e.dataset_type = :t"
                                + " ORDER BY e.data_id::text", Object[].class)
                .setParameter("c", cluster).setParameter("r", upstreamRun).setParameter("t", gathered.type().name())
                .getResultList()
                .chain(rows -> {
                    // group the upstream outputs by the gather's quantum data ID
                    Map<DataId, List<DataId>> groups = new LinkedHashMap<>();
                    for (Object[] r : rows) {
                        DataId full = dataId((String) r[1]);
                        try {
                            groups.computeIfAbsent(task.quantumDataId(full), k -> new ArrayList<>()).add(full);
                        } catch (IllegalArgumentException e) {
                            LOG.warnf("%s of %s: %s %s lacks a dimension of the gather (%s); left out",
                                    task.label(), cluster, gathered.type().name(), full, e.getMessage());
                        }
                    }
                    Uni<Integer> chain = Uni.createFrom().item(0);
                    for (var g : groups.entrySet()) {
                        chain = chain.chain(n -> planGatherQuantum(s, cluster, task, gathered, upstreamRun, g.getKey(),
                                g.getValue()).map(m -> n + m));
                    }
                    return chain;
                }));
    }

    private Uni<Integer> planGatherQuantum(Mutiny.Session s, String cluster, OrchestratedPipeline.Task task,
                                           OrchestratedPipeline.Port gathered, String upstreamRun, DataId quantumDataId,
                                           List<DataId> members) {
        return outputRun(s, cluster, task.step()).chain(run -> {
            UUID quantumId = DatasetIds.quantum(task.label(), cluster + "@" + run, quantumDataId);
            return s.createNativeQuery("SELECT count(*) FROM quantum WHERE id = :id", Long.class)
                    .setParameter("id", quantumId).getSingleResult()
                    .chain(n -> {
                        if (n > 0) {
                            return Uni.createFrom().item(0);
                        }
                        List<UUID> ids = new ArrayList<>();
                        List<DatasetRef> planned = new ArrayList<>();
                        for (DataId m : members) {
                            DataId own = OrchestratedPipeline.project(m, gathered.type().dimensions());
                            DatasetRef ref = DatasetRef.planned(gathered.type(), upstreamRun, own,
                                    outputUri(upstreamRun, gathered.type(), own));
                            planned.add(ref);
                            ids.add(ref.id());
                        }
                        return datasets(s, "d.id IN (:ids)", Map.of("ids", ids)).chain(existing -> {
                            Map<UUID, DatasetRef> byId = new java.util.HashMap<>();
                            existing.forEach(r -> byId.put(r.id(), r));
                            List<Input> inputs = new ArrayList<>();
                            for (DatasetRef p : planned) {
                                DatasetRef found = byId.get(p.id());
                                inputs.add(Input.of(gathered.connection(), found == null ? p : found, found != null));
                            }
                            // the gather's own data ID carries what its members share (e.g. physical_filter)
                            return insertQuantum(s, cluster, task, withShared(quantumDataId, members), run,
                                    quantumId, inputs, true);
                        });
                    });
        });
    }

    /**
     * A master calibration (a dataset type registered as a calibration: bias, flat) is certified in the cluster's
     * CALIBRATION collection {@code DECam/calib/<cluster>}, valid from the start of the night of the earliest exposure
     * it was made from for {@code lovoccs.calib.validity-days}; a re-made one replaces the one it overlaps.
     */
    private Uni<Void> certifyIfCalibration(Mutiny.Session s, String cluster, DatasetRef ref) {
        Boolean known = calibrationTypes.get(ref.datasetType());
        Uni<Boolean> isCalibration = known != null ? Uni.createFrom().item(known)
                : s.createNativeQuery("SELECT is_calibration FROM dataset_type WHERE name = :t", Boolean.class)
                .setParameter("t", ref.datasetType()).getResultList()
                .map(r -> !r.isEmpty() && r.get(0))
                .invoke(c -> calibrationTypes.put(ref.datasetType(), c));
        return isCalibration
                .chain(calib -> {
                    if (!calib) {
                        return Uni.createFrom().voidItem();
                    }
                    String collection = calibCollection(cluster);
                    String did = EventCodec.toJson(ref.dataId());
                    return s.createNativeQuery("INSERT INTO collection (name, type) VALUES (:n, 'CALIBRATION')"
                                    + " ON CONFLICT DO NOTHING").setParameter("n", collection).executeUpdate()
                            .chain(() -> s.createNativeQuery("SELECT min(n.timespan_begin) FROM dataset d"
                                            + " JOIN quantum_dataset e ON e.quantum::text = d.producer AND e.role = 'input'"
                                            + " JOIN exposure x ON x.id = (e.data_id->>'exposure')::bigint"
                                            + " JOIN day_obs n ON n.instrument = x.instrument AND n.id = x.day_obs"
                                            + " WHERE d.id = :id", Object.class)
                                    .setParameter("id", ref.id()).getSingleResult())
                            .chain(begin -> {
                                if (begin == null) {
                                    LOG.warnf("%s %s of %s: the exposures it was made from are unknown; not certified",
                                            ref.datasetType(), ref.dataId(), cluster);
                                    return Uni.createFrom().voidItem();
                                }
                                return s.createNativeQuery("DELETE FROM calib_dataset WHERE collection = :c AND"
                                                + " dataset_type = :t AND data_id = cast(cast(:did as text) as jsonb)"
                                                + " AND validity && tstzrange(cast(:b as timestamptz),"
                                                + " cast(:b as timestamptz) + :days * interval '1 day')")
                                        .setParameter("c", collection).setParameter("t", ref.datasetType())
                                        .setParameter("did", did).setParameter("b", begin)
                                        .setParameter("days", validityDays).executeUpdate()
                                        .chain(() -> s.createNativeQuery("INSERT INTO calib_dataset (collection,"
                                                        + " dataset_id, dataset_type, data_id, validity) VALUES (:c, :id, :t,"
                                                        + " cast(cast(:did as text) as jsonb), tstzrange(cast(:b as timestamptz),"
                                                        + " cast(:b as timestamptz) + :days * interval '1 day'))")
                                                .setParameter("c", collection).setParameter("id", ref.id())
                                                .setParameter("t", ref.datasetType()).setParameter("did", did)
                                                .setParameter("b", begin).setParameter("days", validityDays)
                                                .executeUpdate())
                                        .invoke(() -> LOG.infof("certified %s %s of %s in %s for %d days from %s",
                                                ref.datasetType(), ref.dataId(), cluster, collection, validityDays,
                                                begin))
                                        .replaceWithVoid();
                            });
                });
    }

    /** Dispatches the waiting quanta that read this dataset and now have all their inputs. */
    private Uni<Void> dispatchReaders(Mutiny.Session s, UUID datasetId) {
        return s.createNativeQuery("SELECT q.id FROM quantum_dataset e JOIN quantum q ON q.id = e.quantum"
                        + " WHERE e.dataset = :d AND e.role = 'input' AND q.state = 'unready' FOR UPDATE OF q", UUID.class)
                .setParameter("d", datasetId).getResultList()
                .chain(ids -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (UUID id : ids) {
                        chain = chain.call(() -> dispatchIfReady(s, id));
                    }
                    return chain;
                });
    }

    /**
     * After quanta of a cluster failed for good: the gathers waiting for what they would have written go on without
     * it (dispatched when the rest is ready), and a gather left with nothing to gather is dep_fail, with its own
     * dependants. The number of gathers that lost an input.
     */
    public Uni<Integer> afterFailures(Mutiny.Session s, String cluster) {
        return QuantumGraphEdges.dropFailedOptionalInputs(s, cluster).chain(dropped -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (QuantumGraphEdges.Dropped d : dropped) {
                OrchestratedPipeline.Task t = pipeline().task(d.taskLabel());
                boolean gather = t != null && t.inputs().stream()
                        .anyMatch(p -> p.connection().equals(d.connection()) && p.gathered());
                // a gather needs something to gather; the ISR goes on without a crosstalk source
                Uni<Boolean> nothingLeft = gather ? QuantumGraphEdges.failIfNothingGathered(s, d.quantum(),
                        d.connection()) : Uni.createFrom().item(false);
                chain = chain.call(() -> nothingLeft
                        .chain(nothing -> nothing ? QuantumGraphEdges.markDependantsFailed(s, d.quantum())
                                .invoke(n -> LOG.warnf("quantum %s of %s: every %s input failed upstream; it and %d"
                                        + " dependants are dep_fail", d.quantum(), cluster, d.connection(), n))
                                .replaceWithVoid()
                                : dispatchIfReady(s, d.quantum()).invoke(sent -> LOG.infof("quantum %s of %s goes on"
                                        + " without the %s inputs whose producers failed%s", d.quantum(), cluster,
                                        d.connection(), sent ? "; dispatched" : "")).replaceWithVoid()));
            }
            return chain.replaceWith(dropped.size());
        });
    }

    /**
     * After a retry revived a cluster's dep_fail quanta: the gathers waiting again get back the inputs dropped when
     * their producers failed, from the producing task's quanta in its step's current RUN that wait or ran again (not
     * failed), as planning the gather would have found them. Without this a gather whose every input had been dropped
     * would be sent with none. The number of inputs restored.
     */
    Uni<Integer> restoreGatheredInputs(Mutiny.Session s, String cluster) {
        Uni<Integer> chain = Uni.createFrom().item(0);
        for (OrchestratedPipeline.Task task : pipeline().tasks()) {
            if (!task.gather()) {
                continue;
            }
            for (OrchestratedPipeline.Port port : task.inputs()) {
                OrchestratedPipeline.Task producer = port.gathered() ? pipeline().producer(port.type().name()) : null;
                if (producer == null) {
                    continue;
                }
                chain = chain.chain(n -> restoreGathered(s, cluster, task, port, producer).map(m -> n + m));
            }
        }
        return chain;
    }

    private Uni<Integer> restoreGathered(Mutiny.Session s, String cluster, OrchestratedPipeline.Task task,
                                         OrchestratedPipeline.Port port, OrchestratedPipeline.Task producer) {
        return s.createNativeQuery("SELECT id, data_id::text FROM quantum WHERE cluster = :c AND task_label = :l AND"
                        + " state = 'unready'", Object[].class).setParameter("c", cluster)
                .setParameter("l", task.label()).getResultList()
                .chain(waiting -> {
                    if (waiting.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    Map<DataId, UUID> byDataId = new java.util.HashMap<>();
                    waiting.forEach(r -> byDataId.put(dataId((String) r[1]), (UUID) r[0]));
                    return findRun(s, cluster, producer.step()).chain(run -> run == null ? Uni.createFrom().item(0)
                            : s.createNativeQuery("SELECT e.dataset, e.data_id::text, e.dataset_type FROM"
                                    + " quantum_dataset e JOIN quantum p ON p.id = e.quantum WHERE p.cluster = :c AND"
                                    + " p.run = :r AND e.role = 'output' AND e.dataset_type = :t AND p.state NOT IN"
                                    + " ('failed', 'dep_fail')", Object[].class)
                            .setParameter("c", cluster).setParameter("r", run)
                            .setParameter("t", port.type().name()).getResultList()
                            .chain(outputs -> {
                                Uni<Integer> added = Uni.createFrom().item(0);
                                for (Object[] o : outputs) {
                                    DataId full = dataId((String) o[1]);
                                    UUID gather;
                                    try {
                                        gather = byDataId.get(task.quantumDataId(full));
                                    } catch (IllegalArgumentException e) {
                                        continue;
                                    }
                                    if (gather == null) {
                                        continue;
                                    }
                                    added = added.chain(n -> s.createNativeQuery("INSERT INTO quantum_dataset"
                                                    + " (quantum, dataset, role, connection, dataset_type, data_id,"
                                                    + " optional) VALUES (:q, :d, 'input', :c, :t,"
                                                    + " cast(cast(:did as text) as jsonb), true) ON CONFLICT DO NOTHING")
                                            .setParameter("q", gather).setParameter("d", o[0])
                                            .setParameter("c", port.connection()).setParameter("t", o[2])
                                            .setParameter("did", (String) o[1]).executeUpdate().map(m -> n + m));
                                }
                                return added;
                            }))
                            .invoke(n -> {
                                if (n > 0) {
                                    LOG.infof("%s of %s: %d %s inputs restored to the gathers waiting again",
                                            task.label(), cluster, n, port.type().name());
                                }
                            });
                });
    }

    /** Dispatches the quanta of a cluster that wait for inputs they all have (after a retry). */
    Uni<Integer> dispatchReadyOf(Mutiny.Session s, String cluster) {
        return s.createNativeQuery("SELECT id FROM quantum WHERE cluster = :c AND state = 'unready' FOR UPDATE",
                        UUID.class).setParameter("c", cluster).getResultList()
                .chain(ids -> {
                    Uni<Integer> chain = Uni.createFrom().item(0);
                    for (UUID id : ids) {
                        chain = chain.chain(n -> dispatchIfReady(s, id).map(d -> d ? n + 1 : n));
                    }
                    return chain;
                });
    }

    /**
     * Sends a waiting quantum if every input it reads exists now: its message gets the inputs as the registry holds
     * them (URIs, byte ranges, checksums), the quantum becomes pending, and the message goes to the outbox.
     */
    private Uni<Boolean> dispatchIfReady(Mutiny.Session s, UUID quantumId) {
        return s.createNativeQuery("SELECT e.connection, e.dataset, d.id FROM quantum_dataset e LEFT JOIN dataset d"
                        + " ON d.id = e.dataset WHERE e.quantum = :q AND e.role = 'input'", Object[].class)
                .setParameter("q", quantumId).getResultList()
                .chain(edges -> {
                    if (edges.stream().anyMatch(r -> r[2] == null)) {
                        return Uni.createFrom().item(false);
                    }
                    List<UUID> ids = edges.stream().map(r -> (UUID) r[1]).toList();
                    Uni<List<DatasetRef>> found = ids.isEmpty() ? Uni.createFrom().item(List.of())
                            : datasets(s, "d.id IN (:ids)", Map.of("ids", ids));
                    return found.chain(refs -> s.createNativeQuery(
                                    "SELECT service, dispatch::text, task_label FROM quantum WHERE id = :q",
                                    Object[].class)
                            .setParameter("q", quantumId).getSingleResult()
                            .chain(row -> {
                                // a gather with nothing left to gather is not sent empty: it is dep_fail
                                OrchestratedPipeline.Task t = pipeline().task((String) row[2]);
                                String empty = t == null ? null : t.inputs().stream()
                                        .filter(OrchestratedPipeline.Port::gathered)
                                        .map(OrchestratedPipeline.Port::connection)
                                        .filter(c -> edges.stream().noneMatch(r -> c.equals(r[0])))
                                        .findFirst().orElse(null);
                                if (empty != null) {
                                    return QuantumGraphEdges.failIfNothingGathered(s, quantumId, empty)
                                            .chain(nothing -> nothing ? QuantumGraphEdges.markDependantsFailed(s,
                                                    quantumId).replaceWith(false) : Uni.createFrom().item(false));
                                }
                                String topic = Topics.quantumReady((String) row[0]);
                                QuantumReady old = EventCodec.decode(topic, (String) row[1], QuantumReady.class);
                                // a gather's inputs whose producers failed were dropped from its edges: not sent
                                QuantumReady q = old.withInputs(inputsAsNow(old, refs, Missing.DROP));
                                return s.createNativeQuery("UPDATE quantum SET state = 'pending',"
                                                + " dispatched_with = NULL,"
                                                + " dispatch = cast(cast(:d as text) as jsonb) WHERE id = :q"
                                                + " AND state = 'unready'")
                                        .setParameter("d", EventCodec.encode(topic, q)).setParameter("q", quantumId)
                                        .executeUpdate()
                                        .chain(n -> n == 0 ? Uni.createFrom().item(false)
                                                : clusters.withFollowers(s, pipeline(), q)
                                                .chain(job -> outbox.enqueue(s, topic, quantumId.toString(), job))
                                                .invoke(() -> LOG.infof("dispatched %s quantum %s for %s %s: its"
                                                        + " inputs are ready", q.taskLabel(), quantumId, q.cluster(),
                                                        q.dataId()))
                                                .replaceWith(true));
                            }));
                });
    }

    /**
     * A quantum planned failed for a missing prerequisite (no curated crosstalk certified for the date, no refcat
     * shard over the detector), looked up again as when it was planned: found now (the calibration certified, the
     * refcat ingested), the quantum gets the inputs and its edges and waits for them ({@code unready}); still missing,
     * it stays failed with the reason as it is now. Whether it was found. {@code pipetask retry} calls this before
     * sending failed quanta again, which would otherwise go out without what they lacked.
     */
    Uni<Boolean> resolveAgain(Mutiny.Session s, UUID quantumId) {
        return s.createNativeQuery("SELECT cluster, task_label, data_id::text, dispatch::text, service FROM quantum"
                        + " WHERE id = :q", Object[].class).setParameter("q", quantumId).getSingleResult()
                .chain(row -> {
                    String cluster = (String) row[0];
                    OrchestratedPipeline.Task task = pipeline().task((String) row[1]);
                    if (task == null) {
                        return Uni.createFrom().item(false);
                    }
                    return context(s, dataId((String) row[2])).chain(ctx -> resolveInputs(s, cluster, task,
                            ctx.dataId(), null, 0, new ArrayList<>()).chain(inputs -> {
                        if (inputs == null) {
                            return Uni.createFrom().item(false);
                        }
                        String missing = inputs.stream().map(Input::missing).filter(java.util.Objects::nonNull)
                                .collect(Collectors.joining("; "));
                        if (!missing.isEmpty()) {
                            return s.createNativeQuery("UPDATE quantum SET error_message = :m WHERE id = :q")
                                    .setParameter("m", missing).setParameter("q", quantumId).executeUpdate()
                                    .invoke(() -> LOG.infof("%s quantum %s of %s: still missing: %s", task.label(),
                                            quantumId, cluster, missing))
                                    .replaceWith(false);
                        }
                        String topic = Topics.quantumReady((String) row[4]);
                        QuantumReady old = EventCodec.decode(topic, (String) row[3], QuantumReady.class);
                        Map<String, List<DatasetRef>> in = new LinkedHashMap<>();
                        inputs.forEach(i -> in.computeIfAbsent(i.connection(), k -> new ArrayList<>()).add(i.ref()));
                        QuantumReady q = old.withInputs(in);
                        return inputEdges(s, quantumId, task, in, ctx.dataId()).chain(() -> s.createNativeQuery(
                                        "UPDATE quantum SET state = 'unready',"
                                        + " error_type = NULL, error_message = NULL, finished_at = NULL,"
                                        + " dispatch = cast(cast(:d as text) as jsonb) WHERE id = :q")
                                        .setParameter("d", EventCodec.encode(topic, q)).setParameter("q", quantumId)
                                        .executeUpdate())
                                .invoke(() -> LOG.infof("%s quantum %s of %s: its prerequisites are found now; it"
                                        + " waits for its inputs", task.label(), quantumId, cluster))
                                .replaceWith(true);
                    }));
                });
    }

    /** What becomes of an input that {@link #inputsAsNow} does not find. */
    enum Missing {
        /** left out (a gather's input whose producer failed) */
        DROP,
        /** kept as it was */
        KEEP,
        /** the whole answer is null */
        NONE
    }

    /**
     * A quantum's inputs, connection by connection, replaced by the references in {@code now} with the same dataset
     * IDs (as the registry holds them: URIs, byte ranges, checksums); one not found is dealt with as {@code missing}
     * says ({@link Missing#NONE}: null is returned).
     */
    static Map<String, List<DatasetRef>> inputsAsNow(QuantumReady q, java.util.Collection<DatasetRef> now,
                                                     Missing missing) {
        Map<UUID, DatasetRef> byId = new java.util.HashMap<>();
        now.forEach(r -> byId.putIfAbsent(r.id(), r));
        Map<String, List<DatasetRef>> inputs = new LinkedHashMap<>();
        for (var e : q.inputs().entrySet()) {
            List<DatasetRef> list = new ArrayList<>();
            for (DatasetRef r : e.getValue()) {
                DatasetRef found = byId.get(r.id());
                if (found != null) {
                    list.add(found);
                } else if (missing == Missing.KEEP) {
                    list.add(r);
                } else if (missing == Missing.NONE) {
                    return null;
                }
            }
            inputs.put(e.getKey(), list);
        }
        return inputs;
    }

    /** Datasets as references, by a condition on {@code dataset d}; newest first. */
    static Uni<List<DatasetRef>> datasets(Mutiny.Session s, String condition, Map<String, Object> params) {
        var q = s.createNativeQuery("SELECT d.id, d.dataset_type, d.run, d.data_id::text, d.uri, d.byte_offset,"
                + " d.byte_length, d.checksum, d.stored FROM dataset d WHERE " + condition + " ORDER BY d.created_at DESC",
                Object[].class);
        params.forEach(q::setParameter);
        return q.getResultList().map(rows -> rows.stream().map(Orchestrator::ref).toList());
    }

    /**
     * A dataset row (id, type, run, data ID, uri, offset, length, checksum[, stored]) as a reference; one not stored
     * (held in its job's memory) says so in its location.
     */
    static DatasetRef ref(Object[] r) {
        boolean held = r.length > 8 && Boolean.FALSE.equals(r[8]);
        return new DatasetRef((UUID) r[0], (String) r[1], (String) r[2], dataId((String) r[3]),
                new StorageLocation((String) r[4], r[5] == null ? null : ((Number) r[5]).longValue(),
                        r[6] == null ? null : ((Number) r[6]).longValue(), (String) r[7], held ? Boolean.FALSE : null));
    }

    /** The cluster's output RUN of a step, made once: {@code DECam/processing/<cluster>/<step>/<UTC stamp>}. */
    private Uni<String> outputRun(Mutiny.Session s, String cluster, String step) {
        return findRun(s, cluster, step).chain(found -> {
            if (found != null) {
                return Uni.createFrom().item(found);
            }
            String candidate = "DECam/processing/" + cluster + "/" + step + "/"
                    + ZonedDateTime.now(ZoneOffset.UTC).format(RUN_STAMP);
            return Registry.ensureCluster(s, cluster)
                    .chain(() -> s.createNativeQuery("INSERT INTO collection (name, type) VALUES (:n, 'RUN')"
                            + " ON CONFLICT DO NOTHING").setParameter("n", candidate).executeUpdate())
                    .chain(() -> s.createNativeQuery("INSERT INTO cluster_run (cluster, step, run) VALUES (:c, :s, :r)"
                                    + " ON CONFLICT DO NOTHING")
                            .setParameter("c", cluster).setParameter("s", step).setParameter("r", candidate)
                            .executeUpdate())
                    .chain(() -> findRun(s, cluster, step))
                    .call(run -> chainIntoOutput(s, outputCollection(cluster, step), run));
        });
    }

    /** What a re-run did. */
    public record Rerun(String step, String run, int quanta) {
    }

    /**
     * Re-runs a cluster's step: a new timestamped RUN becomes the step's output RUN, first in its CHAINED output
     * collection, and the step's quanta are planned again into it from the step's inputs (raws, or the outputs of
     * the current RUNs of earlier steps), with their dependants. The old RUN and its datasets stay, behind the new one
     * in the chain. Later steps are not re-run by this; re-run them in turn.
     */
    public Uni<Rerun> rerun(String cluster, String step) {
        OrchestratedPipeline p = pipeline();
        List<OrchestratedPipeline.Task> tasks = p.tasks().stream().filter(t -> t.step().equals(step)).toList();
        if (tasks.isEmpty()) {
            return Uni.createFrom().failure(new IllegalArgumentException("no step '" + step + "' in the orchestrator's"
                    + " pipeline (" + p.source() + "); steps are " + p.steps()));
        }
        Set<String> labels = tasks.stream().map(OrchestratedPipeline.Task::label).collect(Collectors.toSet());
        // the step's inputs from outside it: datasets no task of the step writes
        List<String> inputTypes = tasks.stream().flatMap(t -> t.inputs().stream())
                .filter(i -> !i.lookedUp()).map(i -> i.type().name())
                .filter(type -> p.producer(type) == null || !labels.contains(p.producer(type).label()))
                .distinct().toList();
        String run = "DECam/processing/" + cluster + "/" + step + "/"
                + ZonedDateTime.now(ZoneOffset.UTC).format(RUN_STAMP_MILLIS);
        return sessions.withTransaction(s -> datasets(s, "d.cluster = :c AND d.dataset_type IN (:types) AND"
                                + " (d.run NOT LIKE 'DECam/processing/%' OR d.run IN (SELECT run FROM cluster_run"
                                + " WHERE cluster = :c))", Map.of("c", cluster, "types", inputTypes))
                        .chain(inputs -> {
                            if (inputs.isEmpty()) {
                                return Uni.createFrom().failure(new IllegalArgumentException("cluster '" + cluster
                                        + "' has no " + inputTypes + " datasets for " + step + " to re-run"));
                            }
                            Uni<Integer> chain = s.createNativeQuery("INSERT INTO collection (name, type) VALUES (:n,"
                                            + " 'RUN') ON CONFLICT DO NOTHING").setParameter("n", run).executeUpdate()
                                    .chain(() -> s.createNativeQuery("INSERT INTO cluster_run (cluster, step, run)"
                                                    + " VALUES (:c, :s, :r) ON CONFLICT (cluster, step) DO UPDATE SET"
                                                    + " run = EXCLUDED.run")
                                            .setParameter("c", cluster).setParameter("s", step).setParameter("r", run)
                                            .executeUpdate())
                                    .chain(() -> chainIntoOutput(s, outputCollection(cluster, step), run))
                                    .replaceWith(0);
                            for (DatasetRef input : inputs) {
                                chain = chain.chain(n -> planFrom(s, cluster, input, labels, false).map(m -> n + m));
                            }
                            // a cluster whose raws are complete gets the step's gathers too, in this transaction
                            return chain.chain(n -> s.createNativeQuery("SELECT count(*) FROM cluster WHERE name = :c"
                                            + " AND raws_complete_at IS NOT NULL", Long.class).setParameter("c", cluster)
                                    .getSingleResult()
                                    .chain(complete -> complete > 0 ? planGathers(s, cluster).map(g -> n + g.planned())
                                            : Uni.createFrom().item(n)));
                        }))
                .invoke(relay::kick)
                .map(n -> new Rerun(step, run, n));
    }

    private static DataId dataId(String json) {
        try {
            return EventCodec.JSON.readValue(json, DataId.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("bad data ID in the registry: " + json, e);
        }
    }

    /** The CHAINED output collection of a cluster's step, e.g. {@code DECam/processing/A85/step1}. */
    static String outputCollection(String cluster, String step) {
        return "DECam/processing/" + cluster + "/" + step;
    }

    /**
     * Puts {@code run} first in the CHAINED output collection (created if missing), so the newest RUN of a step is
     * searched first, as the butler's output collections are.
     */
    private static Uni<Void> chainIntoOutput(Mutiny.Session s, String chain, String run) {
        return s.createNativeQuery("INSERT INTO collection (name, type) VALUES (:n, 'CHAINED') ON CONFLICT DO NOTHING")
                .setParameter("n", chain).executeUpdate()
                .chain(() -> s.createNativeQuery("INSERT INTO collection_chain (parent, position, child)"
                                + " SELECT :p, coalesce(min(position), 1) - 1, :c FROM collection_chain WHERE parent = :p"
                                + " ON CONFLICT DO NOTHING")
                        .setParameter("p", chain).setParameter("c", run).executeUpdate())
                .replaceWithVoid();
    }

    private static Uni<String> findRun(Mutiny.Session s, String cluster, String step) {
        return s.createNativeQuery("SELECT run FROM cluster_run WHERE cluster = :c AND step = :s", String.class)
                .setParameter("c", cluster).setParameter("s", step).getResultList()
                .map(l -> l.isEmpty() ? null : l.get(0));
    }

    /**
     * Where a planned dataset goes: {@code s3://<repo>/<RUN>/<type>/<visit or exposure>/<type>_<instrument>_<keys>.fits},
     * e.g. {@code .../postISRCCD/288976/postISRCCD_DECam_288976_35.fits}.
     */
    private String outputUri(String run, DatasetType type, DataId dataId) {
        StringBuilder path = new StringBuilder("s3://").append(repoBucket).append('/').append(run).append('/')
                .append(type.name()).append('/');
        Object group = dataId.get(Dimension.VISIT) != null ? dataId.get(Dimension.VISIT) : dataId.get(Dimension.EXPOSURE);
        if (group != null) {
            path.append(group).append('/');
        }
        path.append(type.name());
        for (Dimension d : type.dimensions()) {
            Object v = dataId.get(d);
            path.append('_').append(d == Dimension.DETECTOR ? String.format("%02d", ((Number) v).longValue()) : v);
        }
        // a plot (check_visit's seeing plot) is a PNG; everything else FITS
        return path.append("Plot".equals(type.storageClass()) ? ".png" : ".fits").toString();
    }
}
