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

    /** The dependants of one quantum, transitively: the quanta that read its outputs, then theirs. */
    private static final String DEPENDANTS = "WITH RECURSIVE dependant(id) AS ("
            + " SELECT i.quantum FROM quantum_dataset o JOIN quantum_dataset i ON i.dataset = o.dataset"
            + " AND i.role = 'input' WHERE o.quantum = :q AND o.role = 'output'"
            + " UNION SELECT i.quantum FROM dependant d JOIN quantum_dataset o ON o.quantum = d.id AND o.role = 'output'"
            + " JOIN quantum_dataset i ON i.dataset = o.dataset AND i.role = 'input')";

    static Uni<Void> add(Mutiny.Session s, UUID quantum, DatasetRef ref, String role, String connection) {
        return s.createNativeQuery("INSERT INTO quantum_dataset (quantum, dataset, role, connection, dataset_type)"
                        + " VALUES (:q, :d, :r, :c, :t) ON CONFLICT DO NOTHING")
                .setParameter("q", quantum).setParameter("d", ref.id()).setParameter("r", role)
                .setParameter("c", connection).setParameter("t", ref.datasetType())
                .executeUpdate().replaceWithVoid();
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
                .chain(() -> s.createNativeQuery("SELECT id FROM quantum WHERE cluster = :c AND state = 'failed'",
                        UUID.class).setParameter("c", cluster).getResultList())
                .chain(failed -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (UUID f : failed) {
                        chain = chain.call(() -> markDependantsFailed(s, f));
                    }
                    return chain;
                })
                .chain(() -> s.createNativeQuery("SELECT id FROM quantum WHERE cluster = :c AND state = 'unready'",
                        UUID.class).setParameter("c", cluster).getResultList());
    }

    private QuantumGraphEdges() {
    }
}
