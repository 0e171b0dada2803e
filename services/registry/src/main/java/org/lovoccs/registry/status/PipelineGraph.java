package org.lovoccs.registry.status;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code GET /clusters/{name}/graph} answers: the pipeline as a bipartite graph of task nodes and
 * dataset-type nodes, each with its state for the cluster and a topological column for drawing
 * (dataset types nobody produces in column 0, a task one column right of its rightmost input, a dataset
 * type one column right of its rightmost producer).
 */
public record PipelineGraph(String cluster, List<TaskNode> tasks, List<DatasetTypeNode> datasetTypes,
                            List<Edge> edges) {

    /**
     * @param id          {@code task:<label>}
     * @param state       {@code failed} if any quantum failed or cannot run because an upstream one failed,
     *                    else {@code running} if any runs, {@code pending} if any waits to run or for its inputs or
     *                    none exists yet, {@code done} when every quantum is done
     * @param unready     quanta planned ahead of their inputs, waiting for them
     * @param depFail     quanta that cannot run because an upstream quantum failed, as the registry marked them
     * @param meanSeconds mean wall time of the done quanta, null when none is done
     */
    public record TaskNode(String id, String label, String state, int column, long unready, long pending, long running,
                           long done, long failed, long depFail, Double meanSeconds) {
    }

    /** @param id {@code dataset:<name>}; @param count datasets of this type the cluster has, over all RUNs */
    public record DatasetTypeNode(String id, String name, int column, long count) {
    }

    /** An input (dataset type to task) or output (task to dataset type) connection. */
    public record Edge(String from, String to, String connection) {
    }

    /** Counts of a task's quanta by state and their mean duration, as the registry holds them. */
    public record Counts(long unready, long pending, long running, long done, long failed, long depFail,
                         Double meanSeconds) {
        static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0, null);

        /** These counts with {@code n} quanta in {@code state}. */
        public Counts with(String state, long n) {
            return switch (state) {
                case "unready" -> new Counts(n, pending, running, done, failed, depFail, meanSeconds);
                case "pending" -> new Counts(unready, n, running, done, failed, depFail, meanSeconds);
                case "running" -> new Counts(unready, pending, n, done, failed, depFail, meanSeconds);
                case "done" -> new Counts(unready, pending, running, n, failed, depFail, meanSeconds);
                case "dep_fail" -> new Counts(unready, pending, running, done, failed, n, meanSeconds);
                default -> new Counts(unready, pending, running, done, failed + n, depFail, meanSeconds);
            };
        }

        /** These counts with a mean duration. */
        public Counts withMean(Double mean) {
            return new Counts(unready, pending, running, done, failed, depFail, mean);
        }
    }

    /** Builds the graph of {@code tasks} with the cluster's quantum counts per task and dataset counts per type. */
    public static PipelineGraph build(String cluster, List<PipelineGraphSource.Task> tasks, Map<String, Counts> counts,
                                      Map<String, Long> datasetCounts) {
        Map<String, PipelineGraphSource.Task> byLabel = new LinkedHashMap<>();
        tasks.forEach(t -> byLabel.put(t.label(), t));
        Map<String, List<String>> producers = new LinkedHashMap<>();
        Set<String> types = new java.util.LinkedHashSet<>();
        for (PipelineGraphSource.Task t : tasks) {
            t.inputs().forEach(c -> types.add(c.datasetType()));
            t.outputs().forEach(c -> {
                types.add(c.datasetType());
                producers.computeIfAbsent(c.datasetType(), k -> new ArrayList<>()).add(t.label());
            });
        }
        Layout layout = new Layout(byLabel, producers, counts);
        List<TaskNode> taskNodes = new ArrayList<>();
        List<Edge> edges = new ArrayList<>();
        for (PipelineGraphSource.Task t : tasks) {
            Counts c = counts.getOrDefault(t.label(), Counts.NONE);
            taskNodes.add(new TaskNode("task:" + t.label(), t.label(), state(c), layout.taskColumn(t.label()),
                    c.unready(), c.pending(), c.running(), c.done(), c.failed(), c.depFail(), c.meanSeconds()));
            t.inputs().forEach(in -> edges.add(new Edge("dataset:" + in.datasetType(), "task:" + t.label(), in.name())));
            t.outputs().forEach(out -> edges.add(new Edge("task:" + t.label(), "dataset:" + out.datasetType(),
                    out.name())));
        }
        List<DatasetTypeNode> typeNodes = types.stream().map(n -> new DatasetTypeNode("dataset:" + n, n,
                layout.typeColumn(n), datasetCounts.getOrDefault(n, 0L))).toList();
        return new PipelineGraph(cluster, taskNodes, typeNodes, edges);
    }

    static String state(Counts c) {
        if (c.failed() > 0 || c.depFail() > 0) {
            return "failed";
        } else if (c.running() > 0) {
            return "running";
        } else if (c.pending() > 0 || c.unready() > 0 || c.done() == 0) {
            return "pending";
        }
        return "done";
    }

    /** Memoized columns; a cycle (which a pipeline must not have) is cut where it closes. */
    private static final class Layout {
        final Map<String, PipelineGraphSource.Task> tasks;
        final Map<String, List<String>> producers;
        final Map<String, Counts> counts;
        final Map<String, Integer> taskColumns = new HashMap<>();
        final Map<String, Integer> typeColumns = new HashMap<>();
        final Set<String> visiting = new HashSet<>();

        Layout(Map<String, PipelineGraphSource.Task> tasks, Map<String, List<String>> producers,
               Map<String, Counts> counts) {
            this.tasks = tasks;
            this.producers = producers;
            this.counts = counts;
        }

        int taskColumn(String label) {
            Integer known = taskColumns.get(label);
            if (known != null) {
                return known;
            }
            if (!visiting.add("task:" + label)) {
                return 0;
            }
            int col = 1;
            for (PipelineGraphSource.Connection in : tasks.get(label).inputs()) {
                col = Math.max(col, typeColumn(in.datasetType()) + 1);
            }
            visiting.remove("task:" + label);
            taskColumns.put(label, col);
            return col;
        }

        int typeColumn(String type) {
            Integer known = typeColumns.get(type);
            if (known != null) {
                return known;
            }
            if (!visiting.add("dataset:" + type)) {
                return 0;
            }
            int col = 0;
            for (String p : producers.getOrDefault(type, List.of())) {
                col = Math.max(col, taskColumn(p) + 1);
            }
            visiting.remove("dataset:" + type);
            typeColumns.put(type, col);
            return col;
        }
    }
}
