package org.lovoccs.registry.orchestrator;

import java.util.List;
import java.util.UUID;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;
import org.lovoccs.events.EventCodec;
import org.lovoccs.events.QuantumReady;
import org.lovoccs.events.Topics;
import org.lovoccs.registry.outbox.Outbox;
import org.lovoccs.registry.outbox.OutboxRelay;

/**
 * Sends again the quanta due for another attempt (automatic retries after their backoff, and those a user asked to
 * re-run): each one's attempt number goes up by one, its dispatch message is rewritten with it and queued in the
 * outbox in the same transaction. Rows are claimed with {@code FOR UPDATE SKIP LOCKED}, so several registry
 * replicas never send one quantum twice.
 */
@ApplicationScoped
public class RetryDispatcher {
    private static final Logger LOG = Logger.getLogger(RetryDispatcher.class);

    @Inject
    Mutiny.SessionFactory sessions;

    @Inject
    Outbox outbox;

    @Inject
    OutboxRelay relay;

    @Inject
    Orchestrator orchestrator;

    @Inject
    QuantumClusters clusters;

    /** How long a quantum may run without its {@code quantum.finished} before its worker is taken for lost. */
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "lovoccs.orchestrator.running-timeout-minutes",
            defaultValue = "60")
    int runningTimeoutMinutes;

    /**
     * A worker that died (or lost the message) mid-quantum never reports it: a quantum running longer than the
     * timeout fails as {@code WorkerLost}, and is retried after its backoff like any failure while attempts remain;
     * one failed for good makes its dependants dep_fail. A late report of that attempt is then ignored.
     */
    @Scheduled(every = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> failLostQuanta() {
        return sessions.withTransaction(s -> s.createNativeQuery("UPDATE quantum SET"
                        + " state = CASE WHEN attempt < max_attempts THEN 'pending' ELSE 'failed' END,"
                        + " retry_at = CASE WHEN attempt < max_attempts THEN now() END, finished_at = now(),"
                        + " error_type = 'WorkerLost', error_message = 'no quantum.finished from worker '"
                        + " || coalesce(worker, '?') || ' within ' || :label || ' minutes of its start (attempt '"
                        + " || attempt::text"
                        + " || '): the worker died or lost the message; see its log'"
                        + " WHERE state = 'running' AND started_at < now() - make_interval(mins => :m)"
                        + " RETURNING id, state, task_label, cluster", Object[].class)
                .setParameter("m", runningTimeoutMinutes).setParameter("label", String.valueOf(runningTimeoutMinutes))
                .getResultList()
                .chain(rows -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Object[] r : rows) {
                        chain = chain.call(() -> QuantumClusters.releaseFollowers(s, (UUID) r[0]));
                        LOG.warnf("quantum %s %s of %s: no report within %d minutes; worker taken for lost, %s",
                                r[2], r[0], r[3], runningTimeoutMinutes, "failed".equals(r[1]) ? "failed"
                                        : "retried after its backoff");
                        if ("failed".equals(r[1])) {
                            chain = chain.call(() -> QuantumGraphEdges.markDependantsFailed(s, (UUID) r[0]))
                                    .call(() -> orchestrator.afterFailures(s, (String) r[3]));
                        }
                    }
                    return chain;
                }));
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> dispatchDue() {
        return sessions.withTransaction(s -> s.createNativeQuery("SELECT id, service, dispatch::text FROM quantum"
                        + " WHERE state = 'pending' AND retry_at <= now() ORDER BY retry_at LIMIT 100"
                        + " FOR UPDATE SKIP LOCKED", Object[].class).getResultList()
                .chain(rows -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Object[] r : rows) {
                        chain = chain.chain(() -> resend(s, (UUID) r[0], (String) r[1], (String) r[2]));
                    }
                    return chain.replaceWith(rows.size());
                }))
                .invoke(n -> {
                    if (n > 0) {
                        relay.kick();
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Void> resend(Mutiny.Session s, UUID id, String service, String dispatch) {
        String topic = Topics.quantumReady(service);
        QuantumReady old = EventCodec.decode(topic, dispatch, QuantumReady.class);
        // the inputs as the registry holds them now (a quantum first sent in another's job carried that job's
        // outputs as planned, without their checksums)
        List<UUID> ids = old.inputs().values().stream().flatMap(List::stream).map(org.lovoccs.events.DatasetRef::id)
                .distinct().toList();
        return (ids.isEmpty() ? Uni.createFrom().item(List.<org.lovoccs.events.DatasetRef>of())
                : Orchestrator.datasets(s, "d.id IN (:ids)", java.util.Map.of("ids", ids)))
                .chain(found -> resend(s, id, topic, old, found));
    }

    private Uni<Void> resend(Mutiny.Session s, UUID id, String topic, QuantumReady old,
                             List<org.lovoccs.events.DatasetRef> found) {
        List<org.lovoccs.events.DatasetRef> gone = found.stream()
                .filter(r -> r.location() != null && r.location().held()).toList();
        if (!gone.isEmpty()) {
            return remakeHeld(s, id, old, gone);
        }
        QuantumReady next = old.withInputs(Orchestrator.inputsAsNow(old, found, Orchestrator.Missing.KEEP))
                .withAttempt(old.attempt() + 1);
        // the first quantum of a quantum cluster goes out again with the quanta after it that wait for it
        Uni<QuantumReady> job = clusters.startsCluster(orchestrator.pipeline(), next.taskLabel())
                ? clusters.withFollowers(s, orchestrator.pipeline(), next) : Uni.createFrom().item(next);
        return s.createNativeQuery("UPDATE quantum SET attempt = :a, retry_at = NULL,"
                        + " dispatch = cast(cast(:d as text) as jsonb) WHERE id = :id")
                .setParameter("a", next.attempt()).setParameter("d", EventCodec.encode(topic, next))
                .setParameter("id", id).executeUpdate()
                .chain(() -> job)
                .call(j -> outbox.enqueue(s, topic, id.toString(), j))
                .invoke(j -> LOG.infof("re-dispatched %s quantum %s for %s, attempt %d%s", next.taskLabel(), id,
                        next.cluster(), next.attempt(), j.followersOrEmpty().isEmpty() ? "" : " with "
                                + String.join(", ", j.followersOrEmpty().stream().map(QuantumReady::taskLabel)
                                .toList()) + " in its job"))
                .replaceWithVoid();
    }

    /**
     * A quantum due again reads a dataset its producer's job held in memory and never wrote (the job ended, its
     * worker lost, before this quantum read it): the producer runs again, and this quantum waits for its inputs, so
     * that it goes out in the producer's job and reads the dataset there (lovoccs.orchestrator.held-in-job).
     */
    private Uni<Void> remakeHeld(Mutiny.Session s, UUID id, QuantumReady old, List<org.lovoccs.events.DatasetRef> gone) {
        List<UUID> datasets = gone.stream().map(org.lovoccs.events.DatasetRef::id).toList();
        return s.createNativeQuery("UPDATE quantum SET state = 'unready', retry_at = NULL, dispatched_with = NULL"
                        + " WHERE id = :id").setParameter("id", id).executeUpdate()
                .chain(() -> s.createNativeQuery("UPDATE quantum SET state = 'pending', retry_at = now(),"
                                + " error_type = NULL, error_message = NULL, dispatched_with = NULL WHERE id IN"
                                + " (SELECT quantum FROM quantum_dataset WHERE dataset IN (:d) AND role = 'output')"
                                + " AND state IN ('done', 'failed') RETURNING task_label", String.class)
                        .setParameter("d", datasets).getResultList())
                .invoke(producers -> LOG.warnf("%s quantum %s of %s reads %s, held in the memory of a job that ended"
                                + " before it was read and never written: %s run again, and it goes out in their job",
                        old.taskLabel(), id, old.cluster(), gone.stream().map(r -> r.datasetType() + " "
                                + r.dataId()).toList(), producers.isEmpty() ? "its producer is already due to"
                                : String.join(", ", producers)))
                .replaceWithVoid();
    }

    /** What a retry did: failed quanta sent again, and dep_fail quanta waiting for their inputs again. */
    public record Retried(int failed, int dependants) {
    }

    /**
     * Re-runs a cluster's failed quanta (of one task if given) now, each as one more attempt; then its dep_fail quanta
     * wait for their inputs again, except those still downstream of a quantum that stays failed, and the waiting
     * quanta whose inputs all exist are dispatched. One transaction.
     */
    public Uni<Retried> retry(String cluster, String task) {
        return sessions.withTransaction(s -> {
            // quanta planned failed for a missing prerequisite are looked up again; found, they wait for their inputs
            var missing = s.createNativeQuery("SELECT id FROM quantum WHERE cluster = :c AND state = 'failed' AND"
                    + " error_type = 'MissingPrerequisite'" + (task == null ? "" : " AND task_label = :t"), UUID.class)
                    .setParameter("c", cluster);
            Uni<Integer> resolved = (task == null ? missing : missing.setParameter("t", task)).getResultList()
                    .chain(ids -> {
                        Uni<Integer> chain = Uni.createFrom().item(0);
                        for (UUID id : ids) {
                            chain = chain.chain(n -> orchestrator.resolveAgain(s, id).map(ok -> ok ? n + 1 : n));
                        }
                        return chain;
                    });
            var q = s.createNativeQuery("UPDATE quantum SET state = 'pending', error_type = NULL, error_message = NULL,"
                    + " retry_at = now(), max_attempts = greatest(max_attempts, attempt + 1)"
                    + " WHERE cluster = :c AND state = 'failed' AND error_type IS DISTINCT FROM 'MissingPrerequisite'"
                    + (task == null ? "" : " AND task_label = :t")).setParameter("c", cluster);
            return resolved.chain(found -> (task == null ? q : q.setParameter("t", task)).executeUpdate()
                    .map(n -> n + found))
                    .chain(failed -> s.createNativeQuery("SELECT count(*) FROM quantum WHERE cluster = :c AND"
                                    + " state = 'dep_fail'", Long.class).setParameter("c", cluster).getSingleResult()
                            .chain(depFailBefore -> QuantumGraphEdges.reviveDependants(s, cluster)
                                    .call(() -> orchestrator.restoreGatheredInputs(s, cluster))
                                    .chain(() -> s.createNativeQuery("SELECT count(*) FROM quantum WHERE cluster = :c"
                                            + " AND state = 'dep_fail'", Long.class).setParameter("c", cluster)
                                            .getSingleResult())
                                    .chain(depFailAfter -> orchestrator.dispatchReadyOf(s, cluster)
                                            .replaceWith(new Retried(failed, (int) (depFailBefore - depFailAfter))))));
        }).invoke(r -> relay.kick());
    }

    /** The labels of the tasks the cluster has quanta for. */
    public Uni<List<String>> tasks(String cluster) {
        return sessions.withSession(s -> s.createNativeQuery("SELECT DISTINCT task_label FROM quantum WHERE"
                + " cluster = :c ORDER BY 1", String.class).setParameter("c", cluster).getResultList());
    }
}
