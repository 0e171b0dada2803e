package org.lovoccs.registry.outbox;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;
import org.lovoccs.events.EventCodec;
import org.lovoccs.registry.Tracing;

/**
 * The transactional outbox: an event is written in the same transaction as the registry change that
 * caused it, and {@link OutboxRelay} publishes it after commit. A commit and its event never part.
 */
@ApplicationScoped
public class Outbox {
    /** Adds {@code event} for {@code topic} within the caller's transaction (schema-checked now, not at publish). */
    public Uni<Void> enqueue(Mutiny.Session session, String topic, String key, Object event) {
        String payload = EventCodec.encode(topic, event);
        return session.createNativeQuery(
                        "INSERT INTO outbox (topic, msg_key, payload, traceparent) VALUES (:topic, :key, :payload, :tp)")
                .setParameter("topic", topic)
                .setParameter("key", key)
                .setParameter("payload", payload)
                .setParameter("tp", Tracing.currentTraceparent())
                .executeUpdate()
                .replaceWithVoid();
    }
}
