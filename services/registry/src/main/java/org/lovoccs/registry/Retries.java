package org.lovoccs.registry;

import io.smallrye.mutiny.Uni;
import org.lovoccs.events.EventCodec;
import org.lovoccs.events.InvalidEventException;

import java.time.Duration;
import java.util.function.Function;

/** Decode-validate-handle for consumers: poison fails at once, everything else is retried with backoff. */
public final class Retries {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(Retries.class);

    public static <T> Uni<Void> decodeThen(String topic, String payload, Class<T> type, Function<T, Uni<Void>> handler) {
        return Uni.createFrom().item(() -> EventCodec.decode(topic, payload, type))
                .chain(ev -> Uni.createFrom().deferred(() -> handler.apply(ev))
                        .onFailure().invoke(e -> LOG.warnf("%s: handling failed (will retry unless poison): %s",
                                topic, e.toString()))
                        .onFailure(e -> !(e instanceof InvalidEventException)).retry()
                        .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(6))
                .onFailure().invoke(e -> LOG.errorf(e, "%s: giving up on a message, it goes to the dead-letter topic:"
                        + " %s", topic, e.toString()));
    }

    private Retries() {
    }
}
