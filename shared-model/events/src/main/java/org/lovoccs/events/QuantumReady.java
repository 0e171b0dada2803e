package org.lovoccs.events;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One unit of work for a worker: everything it needs to run without the registry (a quantum-backed
 * butler). Inputs and outputs are keyed by the task's connection names.
 *
 * @param taskClass the task's class as the pipeline names it (e.g. {@code lsst.ip.isr.IsrTask}): what the worker runs;
 *                  the label only names this use of it (isr and isrForCrosstalkSources are both IsrTask)
 * @param config    the task's effective config, {@code key -> value} as text
 * @param attempt   1 for the first dispatch
 * @param followers the rest of a quantum cluster (ctrl_bps's clustering: a job of several quanta), run by the same
 *                  worker after this quantum, in order, each reading what the ones before it wrote from the job's
 *                  memory instead of the object store; each is a quantum of its own, started, finished and recorded
 *                  as usual. A failure stops the job: the followers not run go back to waiting for their inputs.
 *                  Null or empty: a job of one quantum
 */
public record QuantumReady(UUID quantumId, String cluster, String taskLabel, String taskClass, String service, DataId dataId,
                           Map<String, String> config, Map<String, List<DatasetRef>> inputs,
                           Map<String, List<DatasetRef>> outputs, int attempt,
                           @JsonInclude(JsonInclude.Include.NON_EMPTY) List<QuantumReady> followers) {

    /** A job of one quantum. */
    public QuantumReady(UUID quantumId, String cluster, String taskLabel, String taskClass, String service,
                        DataId dataId, Map<String, String> config, Map<String, List<DatasetRef>> inputs,
                        Map<String, List<DatasetRef>> outputs, int attempt) {
        this(quantumId, cluster, taskLabel, taskClass, service, dataId, config, inputs, outputs, attempt, null);
    }

    /** The quanta after this one in its job; empty for a job of one quantum. */
    public List<QuantumReady> followersOrEmpty() {
        return followers == null ? List.of() : followers;
    }

    /** This quantum with {@code followers} as the rest of its job. */
    public QuantumReady withFollowers(List<QuantumReady> followers) {
        return new QuantumReady(quantumId, cluster, taskLabel, taskClass, service, dataId, config, inputs, outputs,
                attempt, followers == null || followers.isEmpty() ? null : List.copyOf(followers));
    }

    /** This quantum with {@code inputs} instead of its own. */
    public QuantumReady withInputs(Map<String, List<DatasetRef>> inputs) {
        return new QuantumReady(quantumId, cluster, taskLabel, taskClass, service, dataId, config, inputs, outputs,
                attempt, followers);
    }

    /** This quantum with {@code outputs} instead of its own. */
    public QuantumReady withOutputs(Map<String, List<DatasetRef>> outputs) {
        return new QuantumReady(quantumId, cluster, taskLabel, taskClass, service, dataId, config, inputs, outputs,
                attempt, followers);
    }

    /** This quantum as attempt {@code attempt}. */
    public QuantumReady withAttempt(int attempt) {
        return new QuantumReady(quantumId, cluster, taskLabel, taskClass, service, dataId, config, inputs, outputs,
                attempt, followers);
    }

    /** This quantum alone, without the rest of its job. */
    public QuantumReady alone() {
        return withFollowers(null);
    }
}
