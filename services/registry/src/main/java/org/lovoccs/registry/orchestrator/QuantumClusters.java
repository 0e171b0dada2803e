package org.lovoccs.registry.orchestrator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;
import org.lovoccs.events.DatasetRef;
import org.lovoccs.events.EventCodec;
import org.lovoccs.events.QuantumReady;
import org.lovoccs.events.Topics;

/**
 * Quantum clusters: ctrl_bps's clustering ({@code cluster: processCcd: pipetasks: isr,characterizeImage,calibrate}
 * with {@code dimensions: exposure,detector}) made event-driven. When the first quantum of a cluster is dispatched,
 * the quanta of the cluster's next tasks that read what it writes (and, after them, what they write), with every
 * other input already in the registry, are sent in the same message as its followers: one worker runs the chain of
 * one CCD in one job and hands each output to the next quantum in memory, instead of each quantum waiting in the
 * queue behind every other CCD's and reading its input back from the object store. Every quantum is still started,
 * finished, recorded and retried on its own, and every output is still written.
 *
 * <p>{@code lovoccs.orchestrator.clusters}: {@code NAME:LABEL,LABEL,...;NAME:...}, default
 * {@code processCcd:isr,characterizeImage,calibrate,checkVisit}; empty for one quantum per job. Labels the
 * pipeline does not have are left out; a cluster's tasks must be run by one service.
 *
 * <p>{@code lovoccs.orchestrator.held-in-job}: dataset types (default {@code postISRCCD,icExp}; {@code none}) that a job
 * holds in memory for its own later quanta instead of writing, when every quantum that reads them is in the job
 * (the output refs of the job's message say {@code stored: false}). A cluster's record can override it
 * ({@code ./lovoccs cluster create NAME ... -c orchestrator:heldInJob=none}). Such a dataset is registered but not
 * stored, as cleanup leaves it; the worker writes it after all when a quantum of its job that reads it fails.
 */
@ApplicationScoped
public class QuantumClusters {
    private static final Logger LOG = Logger.getLogger(QuantumClusters.class);

    @ConfigProperty(name = "lovoccs.orchestrator.clusters",
            defaultValue = "processCcd:isr,characterizeImage,calibrate,checkVisit")
    String spec;

    /** The cluster record's key that overrides {@code lovoccs.orchestrator.held-in-job}. */
    public static final String HELD_IN_JOB_KEY = "orchestrator:heldInJob";

    @ConfigProperty(name = "lovoccs.orchestrator.held-in-job", defaultValue = "postISRCCD,icExp")
    String heldInJob;

    /** A held-in-job value ({@code none}, or dataset types separated by commas) as a set of dataset types. */
    public static java.util.Set<String> parseHeld(String spec) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        if (spec == null || spec.isBlank() || spec.strip().equalsIgnoreCase("none")) {
            return out;
        }
        for (String t : spec.split(",")) {
            if (!t.isBlank()) {
                out.add(t.strip());
            }
        }
        return out;
    }

    /** The dataset types this cluster's jobs hold in memory: its record's override, else the service's setting. */
    Uni<java.util.Set<String>> heldTypes(Mutiny.Session s, String cluster) {
        return s.createNativeQuery("SELECT config->>'" + HELD_IN_JOB_KEY + "' FROM cluster WHERE name = :c",
                        String.class).setParameter("c", cluster).getResultList()
                .map(rows -> parseHeld(rows.isEmpty() || rows.get(0) == null ? heldInJob : rows.get(0)));
    }

    /** First label to the cluster's labels in order, for the clusters the pipeline can run. */
    private volatile Map<String, List<String>> chains;

    /**
     * The clusters as the pipeline can run them; refuses a cluster whose tasks different services run, or one
     * spelled wrong.
     */
    Map<String, List<String>> chains(OrchestratedPipeline pipeline) {
        Map<String, List<String>> c = chains;
        if (c == null) {
            c = parse(spec, pipeline);
            chains = c;
        }
        return c;
    }

    static Map<String, List<String>> parse(String spec, OrchestratedPipeline pipeline) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        for (String part : spec.split(";")) {
            if (part.isBlank()) {
                continue;
            }
            int colon = part.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("lovoccs.orchestrator.clusters: '" + part + "' is not"
                        + " NAME:LABEL,LABEL[,...] (e.g. processCcd:isr,characterizeImage,calibrate,checkVisit)");
            }
            String name = part.substring(0, colon).strip();
            List<String> labels = new ArrayList<>();
            String service = null;
            for (String label : part.substring(colon + 1).split(",")) {
                label = label.strip();
                OrchestratedPipeline.Task t = pipeline.task(label);
                if (t == null) {
                    continue;
                }
                if (service != null && !service.equals(t.service())) {
                    throw new IllegalArgumentException("lovoccs.orchestrator.clusters: cluster " + name + " puts "
                            + label + " (run by the " + t.service() + " service) after tasks of the " + service
                            + " service; a cluster's quanta run in one job, on one worker");
                }
                service = t.service();
                labels.add(label);
            }
            if (labels.size() >= 2) {
                if (out.containsKey(labels.get(0))) {
                    throw new IllegalArgumentException("lovoccs.orchestrator.clusters: two clusters start with "
                            + labels.get(0));
                }
                out.put(labels.get(0), List.copyOf(labels));
            }
        }
        return out;
    }

    /** Whether quanta of this task start a cluster. */
    boolean startsCluster(OrchestratedPipeline pipeline, String label) {
        return chains(pipeline).containsKey(label);
    }

    /**
     * {@code head} (just made pending) with its followers: for each next task of its cluster, the one waiting quantum
     * that reads an output of the quantum before it and whose other inputs all exist, made pending as sent with
     * {@code head}. The chain stops at the first task without such a quantum. The followers' messages carry the
     * existing inputs as the registry holds them and the job's own as planned.
     */
    Uni<QuantumReady> withFollowers(Mutiny.Session s, OrchestratedPipeline pipeline, QuantumReady head) {
        List<String> chain = chains(pipeline).get(head.taskLabel());
        if (chain == null) {
            return Uni.createFrom().item(head);
        }
        Map<UUID, DatasetRef> planned = new HashMap<>();
        head.outputs().values().forEach(list -> list.forEach(r -> planned.put(r.id(), r)));
        return next(s, head, chain, 1, head.quantumId(), planned, new ArrayList<>())
                .chain(followers -> followers.isEmpty() ? Uni.createFrom().item(head)
                        : heldTypes(s, head.cluster()).chain(held -> withHeld(s, head, followers, held))
                        .invoke(job -> LOG.infof("%s quantum %s of %s %s goes out with %s in its job%s",
                                head.taskLabel(), head.quantumId(), head.cluster(), head.dataId(),
                                String.join(", ", followers.stream().map(QuantumReady::taskLabel).toList()),
                                heldNote(job))));
    }

    /**
     * The job with the outputs of the held types marked {@code stored: false} where a later quantum of the job reads
     * them and no quantum outside it does.
     */
    private static Uni<QuantumReady> withHeld(Mutiny.Session s, QuantumReady head, List<QuantumReady> followers,
                                              java.util.Set<String> held) {
        List<QuantumReady> job = new ArrayList<>();
        job.add(head.alone());
        job.addAll(followers);
        List<UUID> ids = job.stream().map(QuantumReady::quantumId).toList();
        Uni<List<QuantumReady>> marked = Uni.createFrom().item(new ArrayList<>());
        for (int i = 0; i < job.size(); i++) {
            QuantumReady q = job.get(i);
            List<QuantumReady> later = job.subList(i + 1, job.size());
            marked = marked.chain(done -> heldOutputs(s, q, later, ids, held).map(outputs -> {
                done.add(q.withOutputs(outputs));
                return done;
            }));
        }
        return marked.map(done -> done.get(0).withFollowers(done.subList(1, done.size())));
    }

    private static Uni<Map<String, List<DatasetRef>>> heldOutputs(Mutiny.Session s, QuantumReady q,
                                                                 List<QuantumReady> later, List<UUID> job,
                                                                 java.util.Set<String> held) {
        Map<String, List<DatasetRef>> out = new LinkedHashMap<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (var e : q.outputs().entrySet()) {
            List<DatasetRef> refs = new ArrayList<>();
            out.put(e.getKey(), refs);
            for (DatasetRef r : e.getValue()) {
                boolean readLater = held.contains(r.datasetType()) && later.stream().anyMatch(f -> f.inputs().values()
                        .stream().anyMatch(list -> list.stream().anyMatch(in -> in.id().equals(r.id()))));
                if (!readLater) {
                    chain = chain.invoke(() -> refs.add(r));
                    continue;
                }
                chain = chain.call(() -> s.createNativeQuery("SELECT count(*) FROM quantum_dataset WHERE dataset = :d"
                                + " AND role = 'input' AND quantum NOT IN (:job)", Long.class)
                        .setParameter("d", r.id()).setParameter("job", job).getSingleResult()
                        .invoke(outside -> refs.add(outside == 0 ? r.withLocation(r.location().asHeld()) : r)));
            }
        }
        return chain.map(v -> out);
    }

    private static String heldNote(QuantumReady job) {
        List<String> held = new ArrayList<>();
        List<QuantumReady> all = new ArrayList<>();
        all.add(job);
        all.addAll(job.followersOrEmpty());
        for (QuantumReady q : all) {
            q.outputs().values().forEach(list -> list.forEach(r -> {
                if (r.location() != null && r.location().held()) {
                    held.add(r.datasetType());
                }
            }));
        }
        return held.isEmpty() ? "" : "; " + String.join(", ", held) + " held in its memory, not written";
    }

    private Uni<List<QuantumReady>> next(Mutiny.Session s, QuantumReady head, List<String> chain, int index,
                                         UUID previous, Map<UUID, DatasetRef> planned, List<QuantumReady> followers) {
        if (index >= chain.size()) {
            return Uni.createFrom().item(followers);
        }
        return s.createNativeQuery("SELECT DISTINCT q.id FROM quantum_dataset o JOIN quantum_dataset i"
                        + " ON i.dataset = o.dataset AND i.role = 'input' JOIN quantum q ON q.id = i.quantum"
                        + " WHERE o.quantum = :p AND o.role = 'output' AND q.task_label = :t AND q.cluster = :c"
                        + " AND q.state = 'unready'", UUID.class)
                .setParameter("p", previous).setParameter("t", chain.get(index)).setParameter("c", head.cluster())
                .getResultList()
                .chain(ids -> ids.size() != 1 ? Uni.createFrom().item(followers)
                        : follower(s, head, ids.get(0), planned).chain(f -> {
                            if (f == null) {
                                return Uni.createFrom().item(followers);
                            }
                            followers.add(f);
                            f.outputs().values().forEach(list -> list.forEach(r -> planned.put(r.id(), r)));
                            return next(s, head, chain, index + 1, f.quantumId(), planned, followers);
                        }));
    }

    /** The quantum's message as a follower, made pending; null when an input neither exists nor comes from the job. */
    private static Uni<QuantumReady> follower(Mutiny.Session s, QuantumReady head, UUID id,
                                              Map<UUID, DatasetRef> planned) {
        return s.createNativeQuery("SELECT e.dataset, d.id FROM quantum_dataset e LEFT JOIN dataset d"
                        + " ON d.id = e.dataset WHERE e.quantum = :q AND e.role = 'input'", Object[].class)
                .setParameter("q", id).getResultList()
                .chain(edges -> {
                    List<UUID> existing = new ArrayList<>();
                    for (Object[] e : edges) {
                        if (e[1] != null) {
                            existing.add((UUID) e[1]);
                        } else if (!planned.containsKey((UUID) e[0])) {
                            return Uni.createFrom().nullItem();
                        }
                    }
                    Uni<List<DatasetRef>> refs = existing.isEmpty() ? Uni.createFrom().item(List.of())
                            : Orchestrator.datasets(s, "d.id IN (:ids)", Map.of("ids", existing));
                    return refs.chain(found -> s.createNativeQuery("SELECT service, dispatch::text FROM quantum"
                                    + " WHERE id = :q", Object[].class).setParameter("q", id).getSingleResult()
                            .chain(row -> {
                                String topic = Topics.quantumReady((String) row[0]);
                                QuantumReady old = EventCodec.decode(topic, (String) row[1], QuantumReady.class);
                                // the registry's datasets, and the job's own outputs as planned
                                List<DatasetRef> now = new ArrayList<>(found);
                                now.addAll(planned.values());
                                Map<String, List<DatasetRef>> inputs = Orchestrator.inputsAsNow(old, now,
                                        Orchestrator.Missing.NONE);
                                if (inputs == null) {
                                    return Uni.createFrom().<QuantumReady>nullItem();
                                }
                                QuantumReady q = old.withInputs(inputs);
                                return s.createNativeQuery("UPDATE quantum SET state = 'pending',"
                                                + " dispatched_with = :h, dispatch = cast(cast(:d as text) as jsonb)"
                                                + " WHERE id = :q AND state = 'unready'")
                                        .setParameter("h", head.quantumId())
                                        .setParameter("d", EventCodec.encode(topic, q)).setParameter("q", id)
                                        .executeUpdate()
                                        .map(n -> n == 0 ? null : q);
                            }));
                });
    }

    /**
     * A quantum of a job failed (for now or for good) or its worker was lost: the followers of its job that never
     * started wait for their inputs again, so they are sent when those exist, or become dep_fail with the failure.
     * The number released.
     */
    public static Uni<Integer> releaseFollowers(Mutiny.Session s, UUID quantum) {
        return s.createNativeQuery("UPDATE quantum SET state = 'unready', dispatched_with = NULL"
                        + " WHERE dispatched_with = (SELECT coalesce(dispatched_with, id) FROM quantum WHERE id = :q)"
                        + " AND id <> :q AND state = 'pending' AND started_at IS NULL")
                .setParameter("q", quantum).executeUpdate()
                .invoke(n -> {
                    if (n > 0) {
                        LOG.infof("quantum %s failed: %d quanta after it in its job wait for their inputs again",
                                quantum, n);
                    }
                });
    }
}
