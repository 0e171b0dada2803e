package org.lovoccs.registry.db;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.lovoccs.events.QuantumFinished;
import org.lovoccs.events.QuantumStarted;
import org.lovoccs.events.RawIngested;
import org.lovoccs.events.RawQuarantined;
import org.lovoccs.events.Topics;
import org.lovoccs.registry.Retries;

/**
 * The registry's Kafka consumers. A message that fails its schema is a poison message: it is nacked
 * and goes to {@code lovoccs.deadletter} with the error. A database failure is retried with backoff
 * before the message is given up to the dead-letter topic.
 */
@ApplicationScoped
public class RegistryConsumers {
    @Inject
    Registry registry;

    @Incoming("raw-ingested")
    public Uni<Void> rawIngested(String payload) {
        return Retries.decodeThen(Topics.RAW_INGESTED, payload, RawIngested.class, registry::recordRawIngest);
    }

    @Incoming("raw-quarantined")
    public Uni<Void> rawQuarantined(String payload) {
        return Retries.decodeThen(Topics.RAW_QUARANTINED, payload, RawQuarantined.class, registry::recordQuarantine);
    }

    @Incoming("quantum-started")
    public Uni<Void> quantumStarted(String payload) {
        return Retries.decodeThen(Topics.QUANTUM_STARTED, payload, QuantumStarted.class, registry::recordQuantumStarted);
    }

    @Incoming("quantum-finished")
    public Uni<Void> quantumFinished(String payload) {
        return Retries.decodeThen(Topics.QUANTUM_FINISHED, payload, QuantumFinished.class,
                registry::recordQuantumFinished);
    }

}
