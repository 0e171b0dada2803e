package org.lovoccs.events;

import java.time.Instant;
import java.util.UUID;

/** A worker took a quantum. {@code worker} names the process (host and pid). */
public record QuantumStarted(UUID quantumId, String cluster, String taskLabel, String worker, int attempt,
                             Instant startedAt) {
}
