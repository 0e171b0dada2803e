package org.lovoccs.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import org.lovoccs.pipeline.Connection;
import org.lovoccs.pipeline.Pipeline;
import org.lovoccs.pipeline.PipelineException;

/**
 * {@code ./lovoccs pipetask qgraph -p FILE#SEL -i IN,... -o OUT -d WHERE [-c ...] [-C ...]}: plans the quanta of a
 * pipeline from the registry and prints the Tasks/Quanta table, failing early, before anything runs, on the two errors
 * the seed calls the most common: a missing prerequisite input, and an output collection made from other inputs.
 *
 * <p>Data IDs flow from the datasets found in the input collections through the tasks in order; DECam visits are
 * one exposure each (visit = exposure). Tasks whose quanta need the skymap (tract, patch) are listed as not planned
 * yet. Prerequisites are checked for existence in the input collections (not for their validity ranges).
 */
final class QuantumGraphCommand {

    private static final Set<String> PLANNABLE = Set.of("instrument", "exposure", "visit", "detector", "band",
            "physical_filter", "day_obs");

    private final Main main;

    QuantumGraphCommand(Main main) {
        this.main = main;
    }

    int run(String[] a) {
        String pipelineSpec = null;
        String where = null;
        String output = null;
        List<String> inputs = new ArrayList<>();
        List<String> configs = new ArrayList<>();
        List<String> configFiles = new ArrayList<>();
        for (int i = 0; i < a.length; i++) {
            switch (a[i]) {
                case "-p", "--pipeline" -> pipelineSpec = value(a, ++i);
                case "-i", "--input" -> inputs.addAll(Arrays.asList(value(a, ++i).split(",")));
                case "-o", "--output" -> output = value(a, ++i);
                case "-d", "--data-query" -> where = value(a, ++i);
                case "-c", "--config" -> configs.add(value(a, ++i));
                case "-C", "--config-file" -> configFiles.add(value(a, ++i));
                case "-b", "--butler-config" -> value(a, ++i); // the repository is the registry service
                default -> throw new Main.UsageException("pipetask qgraph: unknown option '" + a[i] + "'");
            }
        }
        if (pipelineSpec == null || inputs.isEmpty() || output == null) {
            throw new Main.UsageException("pipetask qgraph needs -p FILE[#SUBSET] -i INPUT[,INPUT...] -o OUTPUT"
                    + " [-d WHERE]");
        }
        Pipeline p;
        try {
            p = Pipeline.load(pipelineSpec);
            configs.forEach(p::override);
            configFiles.forEach(p::applyConfigFile);
            p.validate();
        } catch (PipelineException e) {
            throw new Main.CliException(e.getMessage());
        }
        checkOutputCollection(output, inputs);

        Map<String, List<Map<String, Object>>> produced = new LinkedHashMap<>();
        Map<String, Integer> quanta = new LinkedHashMap<>();
        Map<String, String> notPlanned = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String label : p.taskOrder()) {
            List<String> qdims = p.task(label).definition().quantumDimensions();
            if (!PLANNABLE.containsAll(qdims)) {
                notPlanned.put(label, "quantum dimensions " + qdims + " need the skymap (not planned yet)");
                continue;
            }
            List<Connection> conns = p.connections(label);
            List<Map<String, Object>> ids = null;
            for (Connection c : conns) {
                if (c.kind() != Connection.Kind.INPUT) {
                    continue;
                }
                List<Map<String, Object>> found = produced.containsKey(c.datasetType())
                        ? produced.get(c.datasetType())
                        : fromRegistry(c, inputs, where);
                if (found == null) {
                    notPlanned.put(label, "its input " + c.datasetType() + " comes from a task not planned");
                    ids = null;
                    break;
                }
                List<Map<String, Object>> projected = project(found, qdims);
                ids = ids == null ? projected : intersect(ids, projected, qdims);
            }
            if (ids == null) {
                notPlanned.putIfAbsent(label, "no regular input");
                continue;
            }
            for (Connection c : conns) {
                if (c.kind() == Connection.Kind.PREREQUISITE_INPUT && !produced.containsKey(c.datasetType())) {
                    String problem = prerequisite(label, c, ids, inputs);
                    if (problem != null) {
                        missing.add(problem);
                    }
                }
            }
            quanta.put(label, ids.size());
            for (Connection c : conns) {
                if (c.kind() == Connection.Kind.OUTPUT) {
                    produced.put(c.datasetType(), ids);
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new Main.CliException("cannot build the quantum graph: missing prerequisite inputs in " + inputs
                    + ":\n  " + String.join("\n  ", missing) + "\nAdd the collection that holds them to -i, run the"
                    + " step that makes them, or turn the correction off (e.g. -c isr:doFlat=False).");
        }
        int total = quanta.values().stream().mapToInt(Integer::intValue).sum();
        if (total == 0) {
            throw new Main.CliException("the quantum graph is empty: no " + String.join(", ", firstInputs(p))
                    + " datasets in " + inputs + (where == null ? "" : " match -d \"" + where + "\"")
                    + "; check the data query and the input collections ('./lovoccs butler query-datasets')");
        }
        System.out.printf("QuantumGraph contains %d quanta for %d tasks (output %s)%n", total, quanta.size(), output);
        System.out.printf("%8s  %s%n", "Quanta", "Tasks");
        System.out.printf("%8s  %s%n", "------", "-----");
        quanta.forEach((t, n) -> System.out.printf("%8d  %s%n", n, t));
        notPlanned.forEach((t, why) -> System.out.printf("%8s  %s (%s)%n", "-", t, why));
        return 0;
    }

    private List<String> firstInputs(Pipeline p) {
        List<String> out = new ArrayList<>();
        for (String label : p.taskOrder()) {
            for (Connection c : p.connections(label)) {
                if (c.kind() == Connection.Kind.INPUT && Pipeline.REPOSITORY_INPUTS.contains(c.datasetType())) {
                    out.add(c.datasetType());
                }
            }
        }
        return out.isEmpty() ? List.of("input") : new ArrayList<>(new LinkedHashSet<>(out));
    }

    /** The data IDs of an input found in the collections, with the implied band and physical_filter if known. */
    private List<Map<String, Object>> fromRegistry(Connection c, List<String> inputs, String where) {
        List<Map<String, Object>> out = dataIds(c.dimensions(), c.datasetType(), inputs, where);
        if (c.dimensions().contains("exposure")) {
            // the exposure records' physical_filter and band (raws registered without records have none)
            Map<Object, Map<String, Object>> implied = new java.util.HashMap<>();
            for (Map<String, Object> r : dataIds(List.of("exposure", "physical_filter", "band"), c.datasetType(),
                    inputs, where)) {
                implied.put(r.get("exposure"), r);
            }
            for (Map<String, Object> id : out) {
                Map<String, Object> extra = implied.get(id.get("exposure"));
                if (extra != null) {
                    id.put("physical_filter", extra.get("physical_filter"));
                    id.put("band", extra.get("band"));
                }
            }
        }
        return out;
    }

    private List<Map<String, Object>> dataIds(List<String> dims, String datasetType, List<String> inputs,
                                              String where) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("dimensions", dims);
        body.put("datasets", datasetType);
        body.put("collections", inputs);
        body.put("where", where);
        body.put("limit", 1_000_000);
        List<Map<String, Object>> out = new ArrayList<>();
        for (JsonNode r : main.postJson("/butler/query-data-ids", body)) {
            Map<String, Object> id = new TreeMap<>();
            r.fields().forEachRemaining(f -> id.put(f.getKey(), f.getValue().isNumber() ? f.getValue().asLong()
                    : f.getValue().asText()));
            out.add(id);
        }
        return out;
    }

    /** Projects data IDs onto the quantum's dimensions (a DECam visit is its exposure), keeping implied values. */
    private static List<Map<String, Object>> project(List<Map<String, Object>> ids, List<String> qdims) {
        List<Map<String, Object>> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Map<String, Object> id : ids) {
            Map<String, Object> q = new TreeMap<>(id);
            if (qdims.contains("visit") && !q.containsKey("visit") && q.containsKey("exposure")) {
                q.put("visit", q.get("exposure"));
            }
            if (qdims.contains("exposure") && !q.containsKey("exposure") && q.containsKey("visit")) {
                q.put("exposure", q.get("visit"));
            }
            String key = key(q, qdims);
            if (seen.add(key)) {
                out.add(q);
            }
        }
        return out;
    }

    private static List<Map<String, Object>> intersect(List<Map<String, Object>> a, List<Map<String, Object>> b,
                                                       List<String> dims) {
        Set<String> keys = new HashSet<>();
        b.forEach(id -> keys.add(key(id, dims)));
        return a.stream().filter(id -> keys.contains(key(id, dims))).toList();
    }

    private static String key(Map<String, Object> id, List<String> dims) {
        StringBuilder k = new StringBuilder();
        for (String d : dims) {
            k.append(d).append('=').append(id.get(d)).append(',');
        }
        return k.toString();
    }

    /** Null when every quantum finds the prerequisite; otherwise a line naming what is missing for how many. */
    private String prerequisite(String label, Connection c, List<Map<String, Object>> quanta, List<String> inputs) {
        Set<String> available = new HashSet<>();
        try {
            for (Map<String, Object> id : dataIds(c.dimensions(), c.datasetType(), inputs, null)) {
                available.add(key(id, c.dimensions()));
            }
        } catch (Main.CliException e) {
            return label + ": prerequisite " + c.name() + " (" + c.datasetType() + " " + c.dimensions() + "): "
                    + e.getMessage();
        }
        int lacking = 0;
        Map<String, Object> example = null;
        for (Map<String, Object> q : quanta) {
            if (!available.contains(key(q, c.dimensions()))) {
                lacking++;
                if (example == null) {
                    example = new TreeMap<>();
                    for (String d : c.dimensions()) {
                        example.put(d, q.get(d));
                    }
                }
            }
        }
        return lacking == 0 ? null : label + ": prerequisite " + c.name() + " (" + c.datasetType() + " "
                + c.dimensions() + ") not found for " + lacking + " of " + quanta.size() + " quanta, e.g. " + example;
    }

    /**
     * The seed's classic error: an output CHAINED collection already made from other inputs. Its children are its
     * own RUNs (named under it) followed by the inputs it was made with.
     */
    private void checkOutputCollection(String output, List<String> inputs) {
        JsonNode found = main.getJson("/butler/collections?glob=" + Main.enc(output));
        if (found.isEmpty()) {
            return;
        }
        JsonNode c = found.get(0);
        if (!"CHAINED".equals(c.path("type").asText())) {
            throw new Main.CliException("output collection " + output + " exists as a " + c.path("type").asText()
                    + " collection; -o names a CHAINED collection (use --output-run for a RUN)");
        }
        List<String> previous = new ArrayList<>();
        for (JsonNode child : c.path("children")) {
            if (!child.asText().startsWith(output + "/")) {
                previous.add(child.asText());
            }
        }
        if (!previous.isEmpty() && !previous.equals(inputs)) {
            throw new Main.CliException("output collection " + output + " was made from inputs " + previous
                    + ", but this graph asks for " + inputs + ". Use the same -i to extend it, or choose a new -o.");
        }
    }

    private static String value(String[] a, int i) {
        if (i >= a.length || a[i].startsWith("-") && a[i].length() > 1 && !a[i].matches("-?\\d.*")) {
            throw new Main.UsageException("option " + a[i - 1] + " needs a value");
        }
        return a[i];
    }
}
