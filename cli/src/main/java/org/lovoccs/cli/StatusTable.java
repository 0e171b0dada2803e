package org.lovoccs.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;

/** Renders the JSON of {@code GET /clusters/{name}/status} as the tables {@code ./lovoccs status} prints. */
public final class StatusTable {
    public static void print(JsonNode s, PrintStream out) {
        out.println("Cluster " + s.path("cluster").asText());
        out.println();
        out.printf("%-24s %8s %8s %8s %8s %8s %8s %10s%n", "task", "unready", "pending", "running", "done", "failed",
                "dep_fail", "mean s");
        long unready = 0, pending = 0, running = 0, done = 0, failed = 0, depFail = 0;
        for (JsonNode t : s.path("tasks")) {
            out.printf("%-24s %8d %8d %8d %8d %8d %8d %10s%n", t.path("task").asText(), t.path("unready").asLong(),
                    t.path("pending").asLong(),
                    t.path("running").asLong(), t.path("done").asLong(), t.path("failed").asLong(),
                    t.path("depFail").asLong(),
                    t.path("meanSeconds").isNumber() ? String.format("%.2f", t.path("meanSeconds").asDouble()) : "-");
            depFail += t.path("depFail").asLong();
            pending += t.path("pending").asLong();
            unready += t.path("unready").asLong();
            running += t.path("running").asLong();
            done += t.path("done").asLong();
            failed += t.path("failed").asLong();
        }
        if (s.path("tasks").isEmpty()) {
            out.println("(no quanta planned yet)");
        }
        out.printf("Quanta: %d exec_done, %d failed, %d dep_fail, %d running, %d pending, %d unready (waiting for"
                + " inputs)%n", done, failed, depFail, running, pending, unready);
        out.println();
        out.printf("%-16s %-56s %8s%n", "dataset type", "run", "count");
        for (JsonNode d : s.path("datasets")) {
            out.printf("%-16s %-56s %8d%n", d.path("datasetType").asText(), d.path("run").asText(),
                    d.path("count").asLong());
        }
        if (s.path("datasets").isEmpty()) {
            out.println("(no datasets yet)");
        }
        for (JsonNode t : s.path("tasks")) {
            for (JsonNode f : t.path("failures")) {
                out.printf("%nFAILED %s %s %s: %s: %s%n  log: %s%n", t.path("task").asText(),
                        f.path("quantumId").asText(), f.path("dataId").asText(), f.path("errorType").asText(),
                        f.path("errorMessage").asText(), f.path("logUri").asText("-"));
            }
        }
        JsonNode q = s.path("quarantined");
        if (!q.isEmpty()) {
            out.printf("%nQuarantined raws (%d): moved aside, not ingested%n", q.size());
            for (JsonNode x : q) {
                out.printf("  %s%n    -> %s%n    %s: %s%n", x.path("sourceUri").asText(), x.path("quarantineUri").asText(),
                        x.path("problem").asText(), x.path("reason").asText());
            }
        }
    }

    private StatusTable() {
    }
}
