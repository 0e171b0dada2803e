package org.lovoccs.events;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One unit of work for a worker: everything it needs to run without the registry (a quantum-backed
 * butler). Inputs and outputs are keyed by the task's connection names.
 *
 * @param config  the task's effective config overrides, {@code key -> value} as text
 * @param attempt 1 for the first dispatch
 */
public record QuantumReady(UUID quantumId, String cluster, String taskLabel, String service, DataId dataId,
                           Map<String, String> config, Map<String, List<DatasetRef>> inputs,
                           Map<String, List<DatasetRef>> outputs, int attempt) {
}
