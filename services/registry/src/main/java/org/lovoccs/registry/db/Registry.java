package org.lovoccs.registry.db;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;
import org.lovoccs.events.DatasetReady;
import org.lovoccs.events.DatasetRef;
import org.lovoccs.events.EventCodec;
import org.lovoccs.events.ExposureRecord;
import org.lovoccs.events.QuantumFinished;
import org.lovoccs.events.QuantumStarted;
import org.lovoccs.events.RawIngested;
import org.lovoccs.events.RawQuarantined;
import org.lovoccs.events.StorageLocation;
import org.lovoccs.events.Topics;
import org.lovoccs.registry.orchestrator.QuantumGraphEdges;
import org.lovoccs.registry.outbox.Outbox;
import org.lovoccs.registry.outbox.OutboxRelay;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The registry's writes. Each method is one transaction and idempotent: datasets are keyed by their
 * deterministic UUIDs and inserted with ON CONFLICT DO NOTHING, and a {@code dataset.ready} event is
 * written to the outbox only for a row that was actually inserted, so a redelivered message changes
 * nothing. Quantum states only move forward (unready, pending, running, then done or failed; a failure makes the
 * quanta downstream dep_fail) except when a user retries.
 */
@ApplicationScoped
public class Registry {
    private static final Logger LOG = Logger.getLogger(Registry.class);
    @Inject
    Mutiny.SessionFactory sessions;

    @Inject
    Outbox outbox;

    @Inject
    org.lovoccs.registry.orchestrator.Orchestrator orchestrator;

    @Inject
    OutboxRelay relay;

    public Uni<Void> recordRawIngest(RawIngested ev) {
        return sessions.withTransaction(s -> ensureCluster(s, ev.cluster())
                .chain(() -> upsertExposure(s, ev.instrument(), ev.exposure()))
                .chain(() -> insertAll(s, ev.cluster(), ev.datasets(), "ingest")))
                .invoke(relay::kick)
                .invoke(n -> LOG.infof("cluster %s exposure %d: %d raw datasets recorded (%d already known)",
                        ev.cluster(), ev.exposure().exposure(), n, ev.datasets().size() - n))
                .replaceWithVoid();
    }

    public Uni<Void> recordQuarantine(RawQuarantined ev) {
        return sessions.withTransaction(s -> ensureCluster(s, ev.cluster())
                .chain(() -> s.createNativeQuery("INSERT INTO quarantine (quarantine_uri, cluster, source_uri, problem,"
                                + " reason, quarantined_at) VALUES (:q, :c, :src, :p, :r, :t)"
                                + " ON CONFLICT (quarantine_uri) DO UPDATE SET problem = excluded.problem,"
                                + " reason = excluded.reason, quarantined_at = excluded.quarantined_at")
                        .setParameter("q", ev.quarantineUri()).setParameter("c", ev.cluster())
                        .setParameter("src", ev.sourceUri()).setParameter("p", ev.problem())
                        .setParameter("r", ev.reason()).setParameter("t", odt(ev.quarantinedAt()))
                        .executeUpdate()))
                .invoke(() -> LOG.warnf("cluster %s: %s quarantined as %s: %s", ev.cluster(), ev.sourceUri(),
                        ev.problem(), ev.reason()))
                .replaceWithVoid();
    }

    /**
     * A worker started the quantum: only the current attempt counts; a late or repeated start of an earlier attempt
     * (for a quantum now waiting for its retry) changes nothing.
     */
    public Uni<Void> recordQuantumStarted(QuantumStarted ev) {
        return sessions.withTransaction(s -> s.createNativeQuery("UPDATE quantum SET state = 'running',"
                        + " started_at = :t, worker = :w WHERE id = :id AND state = 'pending' AND retry_at IS NULL"
                        + " AND attempt = :a")
                .setParameter("t", odt(ev.startedAt())).setParameter("w", ev.worker())
                .setParameter("a", ev.attempt()).setParameter("id", ev.quantumId())
                .executeUpdate()).replaceWithVoid();
    }

    /**
     * Records a finished quantum. Outputs must be the ones the orchestrator planned (same dataset IDs);
     * anything else marks the quantum failed rather than entering unplanned datasets.
     */
    public Uni<Void> recordQuantumFinished(QuantumFinished ev) {
        return sessions.withTransaction(s -> s.createNativeQuery(
                                "SELECT state, dispatch::text FROM quantum WHERE id = :id FOR UPDATE", Object[].class)
                        .setParameter("id", ev.quantumId()).getResultList()
                        .chain(rows -> {
                            if (rows.isEmpty()) {
                                LOG.warnf("quantum.finished for unknown quantum %s (%s); ignored", ev.quantumId(),
                                        ev.taskLabel());
                                return Uni.createFrom().voidItem();
                            }
                            String state = (String) rows.get(0)[0];
                            if ("done".equals(state)) {
                                return Uni.createFrom().voidItem();
                            }
                            if (ev.status() == QuantumFinished.Status.FAILED) {
                                return recordSpilled(s, ev)
                                        .chain(() -> markFailed(s, ev, ev.error().type(), ev.error().message()));
                            }
                            String unplanned = unplannedOutput(ev, (String) rows.get(0)[1]);
                            if (unplanned != null) {
                                return markFailed(s, ev, "UnplannedOutput", unplanned);
                            }
                            return insertAll(s, ev.cluster(), ev.outputs(), ev.quantumId().toString())
                                    .call(() -> associate(s, ev))
                                    .chain(() -> markDone(s, ev));
                        }))
                .invoke(relay::kick)
                .replaceWithVoid();
    }

    private static String unplannedOutput(QuantumFinished ev, String dispatchJson) {
        try {
            var planned = EventCodec.JSON.readTree(dispatchJson).path("outputs");
            java.util.Set<String> ids = new java.util.HashSet<>();
            planned.forEach(list -> list.forEach(ref -> ids.add(ref.path("id").asText())));
            for (DatasetRef out : ev.outputs()) {
                if (!ids.contains(out.id().toString())) {
                    return "worker reported output " + out.datasetType() + " " + out.dataId() + " (" + out.id()
                            + ") that was not planned for this quantum";
                }
            }
            return null;
        } catch (Exception e) {
            return "cannot read the quantum's planned outputs: " + e;
        }
    }

    /**
     * The TAGGED collections a finished quantum asks for (select_visit's {@code quality_detectors_<band>}), under
     * {@code DECam/processing/<cluster>/}: emptied, then given the datasets of the named types with the given data IDs
     * from the cluster's current output RUNs, in the quantum's transaction.
     */
    private static Uni<Void> associate(Mutiny.Session s, QuantumFinished ev) {
        if (ev.associations() == null || ev.associations().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (QuantumFinished.Association a : ev.associations()) {
            String collection = "DECam/processing/" + ev.cluster() + "/" + a.collection();
            chain = chain.call(() -> s.createNativeQuery("SELECT type FROM collection WHERE name = :n", String.class)
                            .setParameter("n", collection).getResultList()
                            .chain(types -> {
                                if (!types.isEmpty() && !"TAGGED".equals(types.get(0))) {
                                    return Uni.createFrom().failure(new IllegalStateException("quantum "
                                            + ev.quantumId() + " asks to tag datasets into " + collection + ", which"
                                            + " is a " + types.get(0) + " collection"));
                                }
                                return s.createNativeQuery("INSERT INTO collection (name, type) VALUES (:n, 'TAGGED')"
                                        + " ON CONFLICT DO NOTHING").setParameter("n", collection).executeUpdate();
                            })
                            .chain(() -> s.createNativeQuery("DELETE FROM tagged_dataset WHERE collection = :n")
                                    .setParameter("n", collection).executeUpdate())
                            .chain(() -> a.dataIds().isEmpty() ? Uni.createFrom().item(0) : s.createNativeQuery(
                                            "INSERT INTO tagged_dataset (collection, dataset_id, dataset_type, data_id)"
                                                    + " SELECT :n, d.id, d.dataset_type, d.data_id FROM dataset d JOIN"
                                                    + " jsonb_array_elements(cast(cast(:ids as text) as jsonb)) w(x)"
                                                    + " ON d.data_id @> w.x WHERE d.cluster = :c AND d.dataset_type IN"
                                                    + " (:types) AND d.run IN (SELECT run FROM cluster_run WHERE"
                                                    + " cluster = :c) ON CONFLICT DO NOTHING")
                                    .setParameter("n", collection).setParameter("c", ev.cluster())
                                    .setParameter("types", a.datasetTypes())
                                    .setParameter("ids", EventCodec.toJson(a.dataIds()))
                                    .executeUpdate())
                            .invoke(n -> LOG.infof("quantum %s %s: %s holds %d datasets (%s) of %d data IDs",
                                    ev.taskLabel(), ev.quantumId(), collection, n, a.datasetTypes(),
                                    a.dataIds().size()))
                            .replaceWithVoid());
        }
        return chain;
    }

    /**
     * The datasets earlier quanta of the failed quantum's job held in memory and the worker wrote when it failed:
     * stored now. A spilled dataset whose producer's report has not been recorded yet (the two messages can arrive in
     * either order) is inserted here, stored, with that producer (its quantum's output edge); the producer's report
     * then finds it and changes nothing.
     */
    private Uni<Void> recordSpilled(Mutiny.Session s, QuantumFinished ev) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (DatasetRef ref : ev.spilledOrEmpty()) {
            chain = chain.call(() -> s.createNativeQuery("UPDATE dataset SET stored = true, checksum = :sum"
                            + " WHERE id = :id").setParameter("sum", ref.location().checksum())
                    .setParameter("id", ref.id()).executeUpdate()
                    .chain(n -> n > 0 ? Uni.createFrom().item(0) : s.createNativeQuery("SELECT cast(quantum as text)"
                                    + " FROM quantum_dataset WHERE dataset = :id AND role = 'output'", String.class)
                            .setParameter("id", ref.id()).getResultList()
                            .chain(producers -> producers.isEmpty()
                                    ? Uni.createFrom().item(0).invoke(() -> LOG.warnf("quantum %s reports writing %s"
                                    + " %s, held in its job, which no quantum of the graph makes: not recorded",
                                    ev.quantumId(), ref.datasetType(), ref.id()))
                                    : insertAll(s, ev.cluster(), List.of(ref.withLocation(StorageLocation.whole(
                                    ref.location().uri(), ref.location().checksum()))), producers.get(0))))
                    .invoke(() -> LOG.infof("quantum %s %s failed: %s %s, held in its job's memory, was written for"
                            + " the retry", ev.taskLabel(), ev.quantumId(), ref.datasetType(), ref.dataId())));
        }
        return chain;
    }

    private Uni<Void> markDone(Mutiny.Session s, QuantumFinished ev) {
        return s.createNativeQuery("UPDATE quantum SET state = 'done', finished_at = :f,"
                        + " started_at = coalesce(started_at, :st), worker = :w, log_uri = :log,"
                        + " metrics = cast(cast(:m as text) as jsonb), error_type = NULL, error_message = NULL WHERE id = :id")
                .setParameter("f", odt(ev.finishedAt())).setParameter("st", odt(ev.startedAt()))
                .setParameter("w", ev.worker()).setParameter("log", ev.logUri())
                .setParameter("m", EventCodec.toJson(ev.metrics())).setParameter("id", ev.quantumId())
                .executeUpdate().replaceWithVoid();
    }

    /**
     * A failed attempt: retried with exponential backoff (1, 2, 4 ... s, at most 60 s) while attempts remain and the
     * error is not one a retry cannot fix; otherwise the quantum is failed. A report for an older attempt than the
     * quantum's current one changes nothing.
     */
    private Uni<Void> markFailed(Mutiny.Session s, QuantumFinished ev, String type, String message) {
        boolean retryable = !NON_RETRYABLE.contains(type);
        return s.createNativeQuery("UPDATE quantum SET"
                        + " state = CASE WHEN :r AND attempt < max_attempts THEN 'pending' ELSE 'failed' END,"
                        + " retry_at = CASE WHEN :r AND attempt < max_attempts"
                        + " THEN now() + least(60, power(2, attempt - 1)) * interval '1 second' END,"
                        + " finished_at = :f, started_at = coalesce(started_at, :st), worker = :w, log_uri = :log,"
                        + " error_type = :et, error_message = :em WHERE id = :id AND state <> 'done' AND attempt = :a"
                        + " RETURNING state, attempt, max_attempts", Object[].class)
                .setParameter("r", retryable)
                .setParameter("f", odt(ev.finishedAt())).setParameter("st", odt(ev.startedAt()))
                .setParameter("w", ev.worker()).setParameter("log", ev.logUri())
                .setParameter("et", type).setParameter("em", message).setParameter("id", ev.quantumId())
                .setParameter("a", ev.attempt())
                .getResultList()
                .call(rows -> rows.isEmpty() ? Uni.createFrom().voidItem()
                        : org.lovoccs.registry.orchestrator.QuantumClusters.releaseFollowers(s, ev.quantumId()))
                .call(rows -> rows.isEmpty() || !"failed".equals(rows.get(0)[0]) ? Uni.createFrom().voidItem()
                        : QuantumGraphEdges.markDependantsFailed(s, ev.quantumId())
                        .invoke(n -> {
                            if (n > 0) {
                                LOG.warnf("quantum %s %s failed: %d quanta downstream of it are dep_fail",
                                        ev.taskLabel(), ev.quantumId(), n);
                            }
                        })
                        .call(() -> orchestrator.afterFailures(s, ev.cluster())))
                .invoke(rows -> {
                    if (rows.isEmpty()) {
                        LOG.infof("quantum %s: ignored a failure report for attempt %d (not the current attempt)",
                                ev.quantumId(), ev.attempt());
                    } else if ("pending".equals(rows.get(0)[0])) {
                        LOG.warnf("quantum %s %s %s attempt %s of %s failed, will retry: %s: %s", ev.taskLabel(),
                                ev.quantumId(), ev.cluster(), rows.get(0)[1], rows.get(0)[2], type, message);
                    } else {
                        LOG.warnf("quantum %s %s %s failed%s: %s: %s", ev.taskLabel(), ev.quantumId(), ev.cluster(),
                                retryable ? " after " + rows.get(0)[1] + " attempts" : " (not retried)", type,
                                message);
                    }
                })
                .replaceWithVoid();
    }

    /**
     * Errors a retry cannot fix: the worker's output broke the plan, the input is not a valid raw, or the quantum's
     * config asks for what the worker does not implement, the CCD cannot be characterized (too few PSF stars), or the
     * calibration inputs cannot make the product (a detector's flats give no pair for the brighter-fatter kernel), or
     * the CCD cannot be calibrated against its reference catalogues (too few matches, no zero point), or an input
     * was held in the memory of a job that ended without writing it (its producer must run again).
     */
    static final java.util.Set<String> NON_RETRYABLE = java.util.Set.of("UnplannedOutput", "RawFormatException",
            "FitsFormatException", "InvalidEventException", "UnsupportedConfigException",
            "CharacterizationException", "CalibrationInputException", "CalibrationException",
            "InputNotStoredException");

    public static Uni<Void> ensureCluster(Mutiny.Session s, String cluster) {
        return s.createNativeQuery("INSERT INTO cluster (name) VALUES (:n) ON CONFLICT DO NOTHING")
                .setParameter("n", cluster).executeUpdate().replaceWithVoid();
    }

    private Uni<Void> upsertExposure(Mutiny.Session s, String instrument, ExposureRecord e) {
        int dayObs = (int) e.dayObs();
        return s.createNativeQuery("INSERT INTO day_obs (instrument, id, timespan_begin, timespan_end) VALUES (:i, :d,"
                        + " to_timestamp(:ds, 'YYYYMMDD') + interval '12 hours',"
                        + " to_timestamp(:ds, 'YYYYMMDD') + interval '36 hours') ON CONFLICT DO NOTHING")
                .setParameter("i", instrument).setParameter("d", dayObs).setParameter("ds", String.valueOf(dayObs))
                .executeUpdate()
                .chain(() -> s.createNativeQuery("INSERT INTO exposure (instrument, id, day_obs, physical_filter, band,"
                                + " timespan_begin, timespan_end, exposure_time, dark_time, target_name, tracking_ra,"
                                + " tracking_dec, observation_type, obs_id, \"group\") VALUES (:i, :id, :d, :pf, :b, :t,"
                                + " cast(:t as timestamptz) + cast(:et as double precision) * interval '1 second', :et, :et, :tg, :ra, :dec,"
                                + " :ot, :obsid, :grp)"
                                + " ON CONFLICT (instrument, id) DO NOTHING")
                        .setParameter("i", instrument).setParameter("id", e.exposure()).setParameter("d", dayObs)
                        .setParameter("pf", e.physicalFilter()).setParameter("b", e.band())
                        .setParameter("t", odt(e.obsStart())).setParameter("et", e.exposureTime())
                        .setParameter("tg", e.target()).setParameter("ra", e.ra()).setParameter("dec", e.dec())
                        .setParameter("ot", e.observationType()).setParameter("obsid", "ct4m" + e.exposure())
                        .setParameter("grp", String.valueOf(e.exposure()))
                        .executeUpdate())
                .replaceWithVoid();
    }

    /**
     * Inserts datasets, queueing dataset.ready for each new one (or one registered not stored, held in a job, that is
     * now written); the number inserted.
     */
    private Uni<Integer> insertAll(Mutiny.Session s, String cluster, List<DatasetRef> refs, String producer) {
        Uni<Integer> chain = Uni.createFrom().item(0);
        for (DatasetRef ref : refs) {
            chain = chain.chain(count -> ensureRun(s, ref.run())
                    .chain(() -> s.createNativeQuery("INSERT INTO dataset (id, dataset_type, run, cluster, data_id, uri,"
                                    + " byte_offset, byte_length, checksum, producer, stored) VALUES (:id, :t, :run, :c,"
                                    + " cast(cast(:did as text) as jsonb), :uri, :off, :len, :sum, :p, :stored)"
                                    // a dataset registered not stored (held in a job) and now written: stored
                                    + " ON CONFLICT (id) DO UPDATE SET stored = true, checksum = EXCLUDED.checksum"
                                    + " WHERE NOT dataset.stored AND EXCLUDED.stored")
                            .setParameter("id", ref.id()).setParameter("t", ref.datasetType())
                            .setParameter("run", ref.run()).setParameter("c", cluster)
                            .setParameter("did", EventCodec.toJson(ref.dataId())).setParameter("uri", ref.location().uri())
                            .setParameter("off", ref.location().byteOffset())
                            .setParameter("len", ref.location().byteLength())
                            .setParameter("sum", ref.location().checksum()).setParameter("p", producer)
                            .setParameter("stored", !ref.location().held())
                            .executeUpdate())
                    .chain(inserted -> inserted == 0 ? Uni.createFrom().item(count)
                            : outbox.enqueue(s, Topics.DATASET_READY, ref.id().toString(),
                                    new DatasetReady(cluster, ref, producer, Instant.now())).replaceWith(count + 1)));
        }
        return chain;
    }

    private static Uni<Void> ensureRun(Mutiny.Session s, String run) {
        return s.createNativeQuery("INSERT INTO collection (name, type) VALUES (:n, 'RUN') ON CONFLICT DO NOTHING")
                .setParameter("n", run).executeUpdate().replaceWithVoid();
    }

    static OffsetDateTime odt(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }
}
