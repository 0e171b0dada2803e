package org.lovoccs.registry.orchestrator;

import org.lovoccs.events.DatasetType;

/**
 * A pipeline task as the orchestrator plans it: its label, the service that runs it, and its
 * connections (one input and one output per quantum, for the per-detector tasks of step1).
 *
 * @param step             the subset the task belongs to (step1 ...), which names its output RUN
 * @param inputConnection  connection name of the input, e.g. {@code ccdExposure}
 * @param outputConnection connection name of the output, e.g. {@code outputExposure}
 */
public record TaskDefinition(String label, String service, String step, String inputConnection, DatasetType input,
                             String outputConnection, DatasetType output) {
    /** ip_isr's IsrTask connections, as the LSST pipelines name them. */
    public static final TaskDefinition ISR = new TaskDefinition("isr", "isr", "step1", "ccdExposure", DatasetType.RAW,
            "outputExposure", DatasetType.POST_ISR_CCD);
}
