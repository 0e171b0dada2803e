package org.lovoccs.registry.status;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The graph builder alone: topological columns, dep_fail propagation and node states. */
class PipelineGraphTest {
    static PipelineGraphSource.Task task(String label, String in, String out) {
        return new PipelineGraphSource.Task(label, List.of(new PipelineGraphSource.Connection("in", in)),
                List.of(new PipelineGraphSource.Connection("out", out)));
    }

    @Test
    void columnsDepFailAndStatesFollowTheConnections() {
        // listed out of order on purpose: the columns come from the connections, not the listing
        List<PipelineGraphSource.Task> tasks = List.of(task("calibrate", "icExp", "calexp"),
                task("isr", "raw", "postISRCCD"), task("characterize", "postISRCCD", "icExp"));
        PipelineGraph g = PipelineGraph.build("A85", tasks, Map.of(
                "isr", new PipelineGraph.Counts(0, 0, 3, 1, 2.0),
                "characterize", new PipelineGraph.Counts(0, 1, 2, 0, 4.0)), Map.of("raw", 4L, "postISRCCD", 3L));
        Map<String, PipelineGraph.TaskNode> byLabel = new java.util.HashMap<>();
        g.tasks().forEach(t -> byLabel.put(t.label(), t));
        assertEquals(1, byLabel.get("isr").column());
        assertEquals(3, byLabel.get("characterize").column());
        assertEquals(5, byLabel.get("calibrate").column());
        assertEquals("failed", byLabel.get("isr").state());
        assertEquals(0, byLabel.get("isr").depFail());
        assertEquals(1, byLabel.get("characterize").depFail());
        assertEquals("failed", byLabel.get("characterize").state());
        assertEquals(1, byLabel.get("calibrate").depFail());
        Map<String, Integer> typeColumns = new java.util.HashMap<>();
        g.datasetTypes().forEach(d -> typeColumns.put(d.name(), d.column()));
        assertEquals(Map.of("raw", 0, "postISRCCD", 2, "icExp", 4, "calexp", 6), typeColumns);
        assertEquals(6, g.edges().size());
        assertEquals(new PipelineGraph.Edge("dataset:raw", "task:isr", "in"), g.edges().get(2));
    }

    @Test
    void statePrecedence() {
        assertEquals("done", PipelineGraph.state(new PipelineGraph.Counts(0, 0, 2, 0, 1.0), 0));
        assertEquals("running", PipelineGraph.state(new PipelineGraph.Counts(1, 1, 2, 0, 1.0), 0));
        assertEquals("pending", PipelineGraph.state(new PipelineGraph.Counts(1, 0, 2, 0, 1.0), 0));
        assertEquals("pending", PipelineGraph.state(PipelineGraph.Counts.NONE, 0));
        assertEquals("failed", PipelineGraph.state(new PipelineGraph.Counts(0, 1, 2, 1, 1.0), 0));
        assertEquals("failed", PipelineGraph.state(new PipelineGraph.Counts(0, 0, 2, 0, 1.0), 1));
    }
}
