package org.lovoccs.events;

import java.util.List;

/**
 * The Kafka topics of the system. Each topic carries exactly one message type, whose JSON Schema
 * lives beside this class under {@code schemas/<topic>.schema.json}.
 */
public final class Topics {
    /** S3 event notification (MinIO's JSON) for an object created in the landing bucket. */
    public static final String RAW_LANDED = "raw.landed";
    /** Ingestion's report of a checked raw file: its exposure record and one {@code raw} dataset per detector. */
    public static final String RAW_INGESTED = "raw.ingested";
    /** Ingestion's report of a landed object it refused and moved to the quarantine prefix. */
    public static final String RAW_QUARANTINED = "raw.quarantined";
    /** The registry's announcement of a dataset it has recorded (published through the outbox). */
    public static final String DATASET_READY = "dataset.ready";
    /** Prefix of the per-service work topics: {@code quantum.ready.<service>}. */
    public static final String QUANTUM_READY_PREFIX = "quantum.ready.";
    /** A worker took a quantum. */
    public static final String QUANTUM_STARTED = "quantum.started";
    /** A worker finished a quantum, with its outputs or its error. */
    public static final String QUANTUM_FINISHED = "quantum.finished";
    /** Messages no consumer could read, with the error in the record headers. */
    public static final String DEAD_LETTER = "lovoccs.deadletter";

    public static String quantumReady(String service) {
        return QUANTUM_READY_PREFIX + service;
    }

    /** Every topic that has a schema (the dead-letter topic carries whatever failed, so it has none). */
    public static List<String> withSchemas() {
        return List.of(RAW_LANDED, RAW_INGESTED, RAW_QUARANTINED, DATASET_READY, quantumReady("isr"),
                quantumReady("calibration"),
                QUANTUM_STARTED, QUANTUM_FINISHED);
    }

    private Topics() {
    }
}
