package org.lovoccs.registry.status;

import java.util.List;

/**
 * Where the status graph takes its nodes and edges from: the pipeline's tasks with their input and
 * output connections. Today it is built from the orchestrator's {@code TaskDefinition}s; a pipeline
 * model (a parsed pipeline YAML) can replace it by providing another bean of this type.
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
