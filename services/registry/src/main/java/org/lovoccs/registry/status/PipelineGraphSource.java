package org.lovoccs.registry.status;

import java.util.List;

/**
 * Where the status graph takes its nodes and edges from: the pipeline's tasks with their input and
 * output connections, as the orchestrator's pipeline declares them ({@code OrchestratorGraphSource}).
 */
public interface PipelineGraphSource {

    /** A connection of a task: its name in the task (e.g. {@code ccdExposure}) and the dataset type it carries. */
    record Connection(String name, String datasetType) {
    }

    /** A task of the pipeline with its connections. */
    record Task(String label, List<Connection> inputs, List<Connection> outputs) {
    }

    /** The pipeline's tasks, in any order; the graph derives the dataset-type nodes from their connections. */
    List<Task> tasks();
}
