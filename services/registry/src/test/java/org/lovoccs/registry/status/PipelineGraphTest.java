package org.lovoccs.registry.status;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The graph builder alone: topological columns, counts per state as the registry holds them, node states. */
class PipelineGraphTest {
    static PipelineGraphSource.Task task(String label, String in, String out) {
        return new PipelineGraphSource.Task(label, List.of(new PipelineGraphSource.Connection("in", in)),
                List.of(new PipelineGraphSource.Connection("out", out)));
    }

    static PipelineGraph.Counts counts(long unready, long pending, long running, long done, long failed, long depFail) {
        return new PipelineGraph.Counts(unready, pending, running, done, failed, depFail, done > 0 ? 2.0 : null);
    }

    @Test
    void columnsCountsAndStatesFollowTheConnections() {
        // listed out of order on purpose: the columns come from the connections, not the listing
        List<PipelineGraphSource.Task> tasks = List.of(task("calibrate", "icExp", "calexp"),
                task("isr", "raw", "postISRCCD"), task("characterize", "postISRCCD", "icExp"));
        PipelineGraph g = PipelineGraph.build("A85", tasks, Map.of(
                "isr", counts(0, 0, 0, 3, 1, 0),
                "characterize", counts(0, 0, 1, 2, 0, 1),
                "calibrate", counts(2, 0, 0, 0, 0, 1)), Map.of("raw", 4L, "postISRCCD", 3L));
        Map<String, PipelineGraph.TaskNode> byLabel = new java.util.HashMap<>();
        g.tasks().forEach(t -> byLabel.put(t.label(), t));
        assertEquals(1, byLabel.get("isr").column());
        assertEquals(3, byLabel.get("characterize").column());
        assertEquals(5, byLabel.get("calibrate").column());
        assertEquals("failed", byLabel.get("isr").state());
        assertEquals(0, byLabel.get("isr").depFail());
        assertEquals(1, byLabel.get("characterize").depFail());
        assertEquals("failed", byLabel.get("characterize").state());
        assertEquals(2, byLabel.get("calibrate").unready());
        assertEquals(1, byLabel.get("calibrate").depFail());
        Map<String, Integer> typeColumns = new java.util.HashMap<>();
        g.datasetTypes().forEach(d -> typeColumns.put(d.name(), d.column()));
        assertEquals(Map.of("raw", 0, "postISRCCD", 2, "icExp", 4, "calexp", 6), typeColumns);
        assertEquals(6, g.edges().size());
        assertEquals(new PipelineGraph.Edge("dataset:raw", "task:isr", "in"), g.edges().get(2));
    }

    @Test
    void statePrecedence() {
        assertEquals("done", PipelineGraph.state(counts(0, 0, 0, 2, 0, 0)));
        assertEquals("running", PipelineGraph.state(counts(0, 1, 1, 2, 0, 0)));
        assertEquals("pending", PipelineGraph.state(counts(0, 1, 0, 2, 0, 0)));
        assertEquals("pending", PipelineGraph.state(counts(3, 0, 0, 2, 0, 0)), "waiting for inputs is not done");
        assertEquals("pending", PipelineGraph.state(PipelineGraph.Counts.NONE));
        assertEquals("failed", PipelineGraph.state(counts(0, 0, 1, 2, 1, 0)));
        assertEquals("failed", PipelineGraph.state(counts(0, 0, 0, 2, 0, 1)));
    }

    @Test
    void countsTakeEachState() {
        PipelineGraph.Counts c = PipelineGraph.Counts.NONE.with("unready", 4).with("pending", 3).with("running", 2)
                .with("done", 7).with("failed", 1).with("dep_fail", 5);
        assertEquals(new PipelineGraph.Counts(4, 3, 2, 7, 1, 5, null), c);
    }
}
