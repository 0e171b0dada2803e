package org.lovoccs.events;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One unit of work for a worker: everything it needs to run without the registry (a quantum-backed
 * butler). Inputs and outputs are keyed by the task's connection names.
 *
 * @param taskClass the task's class as the pipeline names it (e.g. {@code lsst.ip.isr.IsrTask}): what the worker runs;
 *                  the label only names this use of it (isr and isrForCrosstalkSources are both IsrTask)
 * @param config  the task's effective config, {@code key -> value} as text
 * @param attempt 1 for the first dispatch
 */
public record QuantumReady(UUID quantumId, String cluster, String taskLabel, String taskClass, String service, DataId dataId,
                           Map<String, String> config, Map<String, List<DatasetRef>> inputs,
                           Map<String, List<DatasetRef>> outputs, int attempt) {
}
