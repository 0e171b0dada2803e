package org.lovoccs.registry.orchestrator;

import java.util.UUID;

import io.smallrye.mutiny.Uni;
import org.hibernate.reactive.mutiny.Mutiny;
import org.lovoccs.events.DatasetRef;

/**
 * The edges of the quantum graph as the registry keeps them: the datasets each quantum reads and writes
 * ({@code quantum_dataset}), known with their deterministic IDs when the quantum is planned. A quantum depends on
 * the quanta writing what it reads; its dependants are the quanta reading what it writes, transitively.
 */
public final class QuantumGraphEdges {

    /**
     * The dependants of one quantum, transitively: the quanta that read its outputs, then theirs. A gather reading
     * one of them through an optional edge is not a dependant: it goes on without that input.
     */
    private static final String DEPENDANTS = "WITH RECURSIVE dependant(id) AS ("
            + " SELECT i.quantum FROM quantum_dataset o JOIN quantum_dataset i ON i.dataset = o.dataset"
            + " AND i.role = 'input' AND NOT i.optional WHERE o.quantum = :q AND o.role = 'output'"
            + " UNION SELECT i.quantum FROM dependant d JOIN quantum_dataset o ON o.quantum = d.id AND o.role = 'output'"
            + " JOIN quantum_dataset i ON i.dataset = o.dataset AND i.role = 'input' AND NOT i.optional)";

    /**
     * Records that {@code quantum} reads or writes {@code ref}; {@code dataId} is its data ID with implied values;
     * {@code optional}: a gather's input or a crosstalk source, dropped when its producer fails.
     */
    static Uni<Void> add(Mutiny.Session s, UUID quantum, DatasetRef ref, String role, String connection,
                         org.lovoccs.events.DataId dataId, boolean optional) {
        return s.createNativeQuery("INSERT INTO quantum_dataset (quantum, dataset, role, connection, dataset_type,"
                        + " data_id, optional) VALUES (:q, :d, :r, :c, :t, cast(cast(:did as text) as jsonb), :o)"
                        + " ON CONFLICT DO NOTHING")
                .setParameter("q", quantum).setParameter("d", ref.id()).setParameter("r", role)
                .setParameter("c", connection).setParameter("t", ref.datasetType())
                .setParameter("did", org.lovoccs.events.EventCodec.toJson(dataId)).setParameter("o", optional)
                .executeUpdate().replaceWithVoid();
    }

    /**
     * The optional inputs (a gather's, a crosstalk source) that will never exist, because the quantum writing them failed or is
     * dep_fail, are dropped from the cluster's waiting quanta. The quanta that lost an input, with the connection.
     */
    record Dropped(UUID quantum, String connection, String taskLabel) {
    }

    static Uni<java.util.List<Dropped>> dropFailedOptionalInputs(Mutiny.Session s, String cluster) {
        return s.createNativeQuery("DELETE FROM quantum_dataset i USING quantum_dataset o, quantum p, quantum w"
                        + " WHERE i.role = 'input' AND i.optional AND o.dataset = i.dataset AND o.role = 'output'"
                        + " AND p.id = o.quantum AND p.state IN ('failed', 'dep_fail') AND w.id = i.quantum"
                        + " AND w.cluster = :c AND w.state = 'unready'"
                        + " AND NOT EXISTS (SELECT 1 FROM dataset d WHERE d.id = i.dataset)"
                        + " RETURNING i.quantum, i.connection, w.task_label", Object[].class)
                .setParameter("c", cluster).getResultList()
                .map(rows -> rows.stream().map(r -> new Dropped((UUID) r[0], (String) r[1], (String) r[2])).distinct().toList());
    }

    /**
     * A gather left with no input of a gathered connection (every CCD of the band failed upstream) cannot run: it is
     * dep_fail, naming the connection. Whether it was.
     */
    static Uni<Boolean> failIfNothingGathered(Mutiny.Session s, UUID quantum, String connection) {
        return s.createNativeQuery("UPDATE quantum q SET state = 'dep_fail', error_type = 'DependencyFailed',"
                        + " error_message = 'every quantum writing its ' || :c || ' inputs failed' WHERE q.id = :q"
                        + " AND q.state = 'unready' AND NOT EXISTS (SELECT 1 FROM quantum_dataset e WHERE"
                        + " e.quantum = q.id AND e.role = 'input' AND e.connection = :c)")
                .setParameter("c", connection).setParameter("q", quantum).executeUpdate().map(n -> n > 0);
    }

    /**
     * After a cluster's gathers are planned: a waiting quantum reading a dataset that neither exists nor is written by
     * any planned quantum can never run (a flat's ISR needs the bias of a detector that has no zeros). It fails,
     * naming what is missing. The number failed.
     */
    static Uni<Integer> failOrphans(Mutiny.Session s, String cluster) {
        return s.createNativeQuery("UPDATE quantum q SET state = 'failed', error_type = 'MissingInput',"
                        + " error_message = (SELECT 'no quantum will write its input ' || e.dataset_type || ' '"
                        + " || coalesce(e.data_id::text, '') || ': the exposures it is made from are missing (were the"
                        + " calibration frames landed before the raws were declared complete?)'"
                        + " FROM quantum_dataset e WHERE e.quantum = q.id AND e.role = 'input'"
                        + " AND NOT EXISTS (SELECT 1 FROM dataset d WHERE d.id = e.dataset)"
                        + " AND NOT EXISTS (SELECT 1 FROM quantum_dataset o WHERE o.dataset = e.dataset"
                        + " AND o.role = 'output') LIMIT 1)"
                        + " WHERE q.cluster = :c AND q.state = 'unready' AND EXISTS (SELECT 1 FROM quantum_dataset e"
                        + " WHERE e.quantum = q.id AND e.role = 'input'"
                        + " AND NOT EXISTS (SELECT 1 FROM dataset d WHERE d.id = e.dataset)"
                        + " AND NOT EXISTS (SELECT 1 FROM quantum_dataset o WHERE o.dataset = e.dataset"
                        + " AND o.role = 'output'))")
                .setParameter("c", cluster).executeUpdate();
    }

    /** Marks dep_fail the quanta downstream of every failed quantum of the cluster. */
    static Uni<Void> propagateFailures(Mutiny.Session s, String cluster) {
        return s.createNativeQuery("SELECT id FROM quantum WHERE cluster = :c AND state = 'failed'", UUID.class)
                .setParameter("c", cluster).getResultList()
                .chain(failed -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (UUID f : failed) {
                        chain = chain.call(() -> markDependantsFailed(s, f));
                    }
                    return chain;
                });
    }

    /**
     * A quantum failed for good: every quantum downstream of it that has not run is {@code dep_fail}, with the failed
     * quantum named as the cause. The number marked.
     */
    public static Uni<Integer> markDependantsFailed(Mutiny.Session s, UUID failed) {
        return s.createNativeQuery(DEPENDANTS + " UPDATE quantum q SET state = 'dep_fail', retry_at = NULL,"
                        + " error_type = 'DependencyFailed', error_message = (SELECT 'upstream quantum ' || f.task_label"
                        + " || ' ' || f.id || ' ' || f.data_id::text || ' failed: ' || coalesce(f.error_type, '?')"
                        + " FROM quantum f WHERE f.id = :q)"
                        + " WHERE q.id IN (SELECT id FROM dependant) AND q.state IN ('unready', 'pending')")
                .setParameter("q", failed).executeUpdate();
    }

    /**
     * Before a retry: the cluster's dep_fail quanta wait for their inputs again, then those still downstream of a
     * failed quantum are marked dep_fail anew. The IDs of the quanta now waiting.
     */
    public static Uni<java.util.List<UUID>> reviveDependants(Mutiny.Session s, String cluster) {
        return s.createNativeQuery("UPDATE quantum SET state = 'unready', error_type = NULL, error_message = NULL"
                        + " WHERE cluster = :c AND state = 'dep_fail'").setParameter("c", cluster).executeUpdate()
                .chain(() -> propagateFailures(s, cluster))
                .chain(() -> s.createNativeQuery("SELECT id FROM quantum WHERE cluster = :c AND state = 'unready'",
                        UUID.class).setParameter("c", cluster).getResultList());
    }

    private QuantumGraphEdges() {
    }
}
