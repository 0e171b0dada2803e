package org.lovoccs.registry.outbox;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Publishes committed outbox rows to Kafka, oldest first, and marks them published once the broker
 * acknowledged them. Rows are claimed with {@code FOR UPDATE SKIP LOCKED}, so several registry
 * replicas can relay without publishing a row twice; a crash between publish and mark re-publishes,
 * which consumers tolerate (delivery is at-least-once and every consumer is idempotent).
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 500;

    @Inject
    Mutiny.SessionFactory sessions;

    @Inject
    @Channel("outbox")
    MutinyEmitter<String> emitter;

    @Scheduled(every = "${lovoccs.outbox.poll:0.1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "3s")
    Uni<Void> relay() {
        return sessions.withTransaction(s -> s.createNativeQuery(
                                "SELECT id, topic, msg_key, payload, traceparent FROM outbox WHERE published_at IS NULL"
                                        + " ORDER BY id LIMIT " + BATCH + " FOR UPDATE SKIP LOCKED", Object[].class)
                        .getResultList()
                        .chain(rows -> rows.isEmpty() ? Uni.createFrom().voidItem() : publish(s, rows)))
                .onFailure().invoke(e -> LOG.warnf("outbox relay failed, will retry: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /**
     * Relays now rather than at the next tick: called after a transaction that wrote outbox rows, so an
     * event leaves within milliseconds of its commit. Concurrent relays are safe (SKIP LOCKED).
     */
    public void kick() {
        relay().subscribe().with(ignored -> { }, e -> LOG.debugf("outbox kick failed: %s", e));
    }

    private Uni<Void> publish(Mutiny.Session s, List<Object[]> rows) {
        List<Uni<Void>> sends = new ArrayList<>(rows.size());
        List<Long> ids = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            ids.add(((Number) r[0]).longValue());
            RecordHeaders headers = new RecordHeaders();
            if (r[4] != null) {
                headers.add("traceparent", ((String) r[4]).getBytes(StandardCharsets.UTF_8));
            }
            OutgoingKafkaRecordMetadata<String> meta = OutgoingKafkaRecordMetadata.<String>builder()
                    .withTopic((String) r[1]).withKey((String) r[2]).withHeaders(headers).build();
            sends.add(emitter.sendMessage(Message.of((String) r[3]).addMetadata(meta)));
        }
        return Uni.join().all(sends).andFailFast()
                .chain(() -> s.createNativeQuery("UPDATE outbox SET published_at = now() WHERE id = ANY(:ids)")
                        .setParameter("ids", ids.toArray(new Long[0]))
                        .executeUpdate())
                .invoke(n -> LOG.debugf("published %d outbox events", n))
                .replaceWithVoid();
    }
}
