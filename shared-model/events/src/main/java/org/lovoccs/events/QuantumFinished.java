package org.lovoccs.events;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A worker's report of a finished quantum: on success the outputs it wrote (with locations and
 * checksums) and its metrics; on failure the error. {@code logUri} points at the quantum's log.
 * {@code associations}, when present, are the TAGGED collections the registry is to fill for this quantum
 * (select_visit's {@code quality_detectors_<band>}): workers never write the registry, they say what to tag.
 * {@code spilled}, on a failure: datasets earlier quanta of the same job held in memory only
 * ({@link StorageLocation#held()}) and the worker wrote to their URIs when this quantum failed, so that its retry
 * (and whatever else reads them) finds them; the registry records them as stored.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QuantumFinished(UUID quantumId, String cluster, String taskLabel, Status status,
                              List<DatasetRef> outputs, Map<String, Double> metrics, String logUri,
                              ErrorInfo error, String worker, int attempt, Instant startedAt, Instant finishedAt,
                              List<Association> associations, List<DatasetRef> spilled) {
    public enum Status { SUCCEEDED, FAILED }

    /** A report with no spilled datasets. */
    public QuantumFinished(UUID quantumId, String cluster, String taskLabel, Status status, List<DatasetRef> outputs,
                           Map<String, Double> metrics, String logUri, ErrorInfo error, String worker, int attempt,
                           Instant startedAt, Instant finishedAt, List<Association> associations) {
        this(quantumId, cluster, taskLabel, status, outputs, metrics, logUri, error, worker, attempt, startedAt,
                finishedAt, associations, null);
    }

    /** The spilled datasets, or none. */
    public List<DatasetRef> spilledOrEmpty() {
        return spilled == null ? List.of() : spilled;
    }

    /** A report without associations. */
    public QuantumFinished(UUID quantumId, String cluster, String taskLabel, Status status, List<DatasetRef> outputs,
                           Map<String, Double> metrics, String logUri, ErrorInfo error, String worker, int attempt,
                           Instant startedAt, Instant finishedAt) {
        this(quantumId, cluster, taskLabel, status, outputs, metrics, logUri, error, worker, attempt, startedAt,
                finishedAt, null, null);
    }

    /**
     * Tag into the cluster's TAGGED collection {@code collection} (relative to {@code DECam/processing/<cluster>/},
     * replaced as a whole) the datasets of {@code datasetTypes} with these data IDs, from the cluster's current
     * output RUNs.
     */
    public record Association(String collection, List<String> datasetTypes, List<DataId> dataIds) {
    }

    /** @param type the exception class or a stable code; @param message what went wrong */
    public record ErrorInfo(String type, String message) {
    }
}
