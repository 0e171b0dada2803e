package org.lovoccs.events;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A worker's report of a finished quantum: on success the outputs it wrote (with locations and
 * checksums) and its metrics; on failure the error. {@code logUri} points at the quantum's log.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QuantumFinished(UUID quantumId, String cluster, String taskLabel, Status status,
                              List<DatasetRef> outputs, Map<String, Double> metrics, String logUri,
                              ErrorInfo error, String worker, int attempt, Instant startedAt, Instant finishedAt) {
    public enum Status { SUCCEEDED, FAILED }

    /** @param type the exception class or a stable code; @param message what went wrong */
    public record ErrorInfo(String type, String message) {
    }
}
