package org.lovoccs.registry.orchestrator;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;
import org.lovoccs.events.DataId;
import org.lovoccs.events.DatasetIds;
import org.lovoccs.events.DatasetReady;
import org.lovoccs.events.DatasetRef;
import org.lovoccs.events.Dimension;
import org.lovoccs.events.EventCodec;
import org.lovoccs.events.QuantumReady;
import org.lovoccs.events.Topics;
import org.lovoccs.registry.Retries;
import org.lovoccs.registry.db.Registry;
import org.lovoccs.registry.outbox.Outbox;
import org.lovoccs.registry.outbox.OutboxRelay;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Plans quanta incrementally as datasets become ready: every task whose input is the new dataset's
 * type gets a quantum for that data ID (the quantum graph, grown one node at a time). A quantum's ID is
 * deterministic in task, cluster and data ID, so a redelivered {@code dataset.ready} plans nothing new.
 * The quantum row and its {@code quantum.ready.<service>} message are written in one transaction.
 */
@ApplicationScoped
public class Orchestrator {
    private static final Logger LOG = Logger.getLogger(Orchestrator.class);
    private static final DateTimeFormatter RUN_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    static final List<TaskDefinition> TASKS = List.of(TaskDefinition.ISR);

    @Inject
    Mutiny.SessionFactory sessions;

    @Inject
    Outbox outbox;

    @Inject
    OutboxRelay relay;

    @ConfigProperty(name = "lovoccs.repo-bucket")
    String repoBucket;

    @Incoming("dataset-ready")
    public Uni<Void> datasetReady(String payload) {
        return Retries.decodeThen(Topics.DATASET_READY, payload, DatasetReady.class, this::plan);
    }

    Uni<Void> plan(DatasetReady ev) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (TaskDefinition task : TASKS) {
            if (task.input().name().equals(ev.dataset().datasetType())) {
                chain = chain.chain(() -> planQuantum(task, ev.cluster(), ev.dataset()));
            }
        }
        return chain;
    }

    private Uni<Void> planQuantum(TaskDefinition task, String cluster, DatasetRef input) {
        return sessions.withTransaction(s -> planQuantum(s, task, cluster, input)).invoke(relay::kick);
    }

    /** Plans one quantum in the caller's transaction (the quantum row and its message together). */
    private Uni<Void> planQuantum(Mutiny.Session s, TaskDefinition task, String cluster, DatasetRef input) {
        DataId dataId = task.output().required(input.dataId());
        return outputRun(s, cluster, task.step())
                .chain(run -> {
                    // the ID is deterministic in task, cluster, data ID and output RUN: a redelivered
                    // dataset.ready plans nothing new, a re-run of the step (a new RUN) plans new quanta
                    UUID quantumId = DatasetIds.quantum(task.label(), cluster + "@" + run, dataId);
                    DatasetRef output = DatasetRef.planned(task.output(), run, dataId, outputUri(run, task, dataId));
                    QuantumReady q = new QuantumReady(quantumId, cluster, task.label(), task.service(), dataId, Map.of(),
                            Map.of(task.inputConnection(), List.of(input)),
                            Map.of(task.outputConnection(), List.of(output)), 1);
                    String topic = Topics.quantumReady(task.service());
                    String dispatch = EventCodec.encode(topic, q);
                    return s.createNativeQuery("INSERT INTO quantum (id, cluster, task_label, service, data_id, state,"
                                    + " dispatch, run) VALUES (:id, :c, :t, :svc, cast(cast(:did as text) as jsonb),"
                                    + " 'pending', cast(cast(:d as text) as jsonb), :run) ON CONFLICT (id) DO NOTHING")
                            .setParameter("id", quantumId).setParameter("c", cluster).setParameter("t", task.label())
                            .setParameter("run", run)
                            .setParameter("svc", task.service())
                            .setParameter("did", EventCodec.toJson(dataId))
                            .setParameter("d", dispatch)
                            .executeUpdate()
                            .chain(inserted -> inserted == 0 ? Uni.createFrom().voidItem()
                                    : outbox.enqueue(s, topic, quantumId.toString(), q)
                                    .invoke(() -> LOG.infof("planned %s quantum %s for %s %s", task.label(), quantumId,
                                            cluster, dataId)));
                });
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
     * collection, and every input dataset of the step's tasks gets a new quantum writing into it. The old RUN and
     * its datasets stay, behind the new one in the chain.
     */
    public Uni<Rerun> rerun(String cluster, String step) {
        List<TaskDefinition> tasks = TASKS.stream().filter(t -> t.step().equals(step)).toList();
        if (tasks.isEmpty()) {
            return Uni.createFrom().failure(new IllegalArgumentException("no step '" + step + "'; steps are "
                    + TASKS.stream().map(TaskDefinition::step).distinct().toList()));
        }
        String run = "DECam/processing/" + cluster + "/" + step + "/"
                + ZonedDateTime.now(ZoneOffset.UTC).format(RUN_STAMP_MILLIS);
        List<String> inputTypes = tasks.stream().map(t -> t.input().name()).toList();
        return sessions.withTransaction(s -> s.createNativeQuery("SELECT id, dataset_type, run, data_id::text, uri,"
                                + " byte_offset, byte_length, checksum FROM dataset WHERE cluster = :c AND dataset_type"
                                + " IN (:types) ORDER BY created_at", Object[].class)
                        .setParameter("c", cluster).setParameter("types", inputTypes).getResultList()
                        .chain(rows -> {
                            if (rows.isEmpty()) {
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
                            for (Object[] r : rows) {
                                DatasetRef input = new DatasetRef((UUID) r[0], (String) r[1], (String) r[2],
                                        dataId((String) r[3]), new org.lovoccs.events.StorageLocation((String) r[4],
                                        r[5] == null ? null : ((Number) r[5]).longValue(),
                                        r[6] == null ? null : ((Number) r[6]).longValue(), (String) r[7]));
                                for (TaskDefinition task : tasks) {
                                    if (task.input().name().equals(input.datasetType())) {
                                        chain = chain.call(() -> planQuantum(s, task, cluster, input)).map(n -> n + 1);
                                    }
                                }
                            }
                            return chain;
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

    private static final DateTimeFormatter RUN_STAMP_MILLIS = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'");

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

    private String outputUri(String run, TaskDefinition task, DataId dataId) {
        String name = task.output().name();
        long exposure = dataId.getLong(Dimension.EXPOSURE);
        long detector = dataId.getLong(Dimension.DETECTOR);
        return "s3://" + repoBucket + "/" + run + "/" + name + "/" + exposure + "/" + name + "_"
                + dataId.getString(Dimension.INSTRUMENT) + "_" + exposure + "_" + String.format("%02d", detector)
                + ".fits";
    }
}
