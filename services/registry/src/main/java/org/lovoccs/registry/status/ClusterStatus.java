package org.lovoccs.registry.status;

import java.util.List;

/**
 * What {@code GET /clusters/{name}/status} answers: per task the quanta by state and their timing,
 * the failed quanta with their errors, the datasets produced per type and RUN, and the quarantine.
 */
public record ClusterStatus(String cluster, List<TaskStatus> tasks, List<DatasetCount> datasets,
                            List<Quarantined> quarantined) {

    /**
     * @param unready     quanta planned ahead of their inputs, waiting for them
     * @param pending     quanta sent to their worker (or waiting for a retry), not started
     * @param meanSeconds mean wall time of the done quanta (null when none is done)
     */
    public record TaskStatus(String task, long unready, long pending, long running, long done, long failed, long depFail,
                             Double meanSeconds,
                             List<FailedQuantum> failures) {
    }

    public record FailedQuantum(String quantumId, String dataId, String errorType, String errorMessage,
                                String logUri) {
    }

    public record DatasetCount(String datasetType, String run, long count) {
    }

    public record Quarantined(String sourceUri, String quarantineUri, String problem, String reason,
                              String quarantinedAt) {
    }
}
