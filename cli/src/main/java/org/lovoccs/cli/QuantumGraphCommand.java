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
 * one exposure each (visit = exposure). Prerequisites are checked for existence in the input collections (not for
 * their validity ranges); a prerequisite with a dimension the quantum lacks (skyCorr's per-detector skyFrames) is
 * checked for every input data ID of the quanta.
 *
 * <p>Tasks whose quanta have tract and patch (makeWarp {tract, patch, visit}, assembleCoadd and detection
 * {tract, patch, band}) are planned on the skymap whose skyMap dataset the inputs hold (exactly one). An input with visit and detector is related to the skymap spatially: each
 * (visit, detector) goes to the patches its region overlaps, which the registry answers for all visits in one
 * {@code POST /butler/query-overlaps} (HEALPix pixel join, then the exact polygon test, in the database's process
 * rather than here: only the overlapping pairs travel, not every region). Inputs with no spatial dimension
 * (finalVisitSummary {visit}, skyCorr planned per visit) join on the dimensions they share with the quantum, and
 * inputs that already have tract and patch (warps) are projected onto the quantum's dimensions.
 */
final class QuantumGraphCommand {

    private static final Set<String> PLANNABLE = Set.of("instrument", "exposure", "visit", "detector", "band",
            "physical_filter", "day_obs");
    private static final Set<String> SPATIAL = Set.of("instrument", "visit", "band", "physical_filter", "skymap",
            "tract", "patch");

    /** The skymap the graph is planned on (resolved when a task first needs it). */
    private String skymap;
    /** Overlaps by visit, then detector: the {tract, patch} pairs its region overlaps. */
    private final Map<Long, Map<Long, List<long[]>>> overlaps = new java.util.HashMap<>();
    private List<String> inputs;
    private String where;

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
        this.inputs = inputs;
        this.where = where;
        Map<String, List<Map<String, Object>>> inputIds = new LinkedHashMap<>();
        for (String label : p.taskOrder()) {
            List<String> qdims = p.task(label).definition().quantumDimensions();
            List<Connection> conns = p.connections(label);
            List<Map<String, Object>> ids = null;
            inputIds.clear();
            if (!PLANNABLE.containsAll(qdims)) {
                if (!qdims.contains("patch") || !SPATIAL.containsAll(qdims)) {
                    notPlanned.put(label, "quantum dimensions " + qdims + " are not planned yet");
                    continue;
                }
                String why = planSpatial(label, qdims, conns, produced, inputIds);
                if (why != null) {
                    notPlanned.put(label, why);
                    continue;
                }
                ids = spatialResult;
            }
            for (Connection c : ids != null ? List.<Connection>of() : conns) {
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
                inputIds.putIfAbsent(c.datasetType(), found);
                List<Map<String, Object>> projected = project(found, qdims);
                ids = ids == null ? projected : intersect(ids, projected, qdims);
            }
            if (ids == null) {
                notPlanned.putIfAbsent(label, "no regular input");
                continue;
            }
            for (Connection c : conns) {
                if (c.kind() == Connection.Kind.PREREQUISITE_INPUT && !produced.containsKey(c.datasetType())) {
                    String problem = prerequisite(label, c, basisFor(c, ids, qdims, inputIds), inputs);
                    if (problem != null) {
                        missing.add(problem);
                    }
                }
            }
            quanta.put(label, ids.size());
            for (Connection c : conns) {
                if (c.kind() == Connection.Kind.OUTPUT) {
                    // an output finer than the quantum (skyCorr's per-detector backgrounds of a visit) exists for
                    // each input data ID that carries its dimensions
                    produced.put(c.datasetType(), basisFor(c, ids, qdims, inputIds));
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

    private List<Map<String, Object>> spatialResult;

    /**
     * Plans a task whose quanta have tract and patch into {@link #spatialResult}; returns why it cannot be planned,
     * or null.
     */
    private String planSpatial(String label, List<String> qdims, List<Connection> conns,
                               Map<String, List<Map<String, Object>>> produced,
                               Map<String, List<Map<String, Object>>> inputIds) {
        List<Map<String, Object>> ids = null;
        Map<List<Map<String, Object>>, List<String>> relational = new java.util.IdentityHashMap<>();
        for (Connection c : conns) {
            if (c.kind() != Connection.Kind.INPUT) {
                continue;
            }
            List<Map<String, Object>> found = produced.containsKey(c.datasetType()) ? produced.get(c.datasetType())
                    : fromRegistry(c, inputs, where);
            if (found == null) {
                return "its input " + c.datasetType() + " comes from a task not planned";
            }
            inputIds.putIfAbsent(c.datasetType(), found);
            boolean hasPatch = c.dimensions().contains("patch");
            boolean hasDetector = c.dimensions().containsAll(List.of("visit", "detector")) && !found.isEmpty()
                    && found.get(0).containsKey("detector");
            List<Map<String, Object>> projected;
            if (hasPatch) {
                projected = project(found, qdims);
            } else if (hasDetector) {
                projected = project(expand(found), qdims);
            } else {
                relational.put(found, c.dimensions().stream().filter(qdims::contains).toList());
                continue;
            }
            ids = ids == null ? projected : intersect(ids, projected, qdims);
        }
        if (ids == null) {
            return relational.isEmpty() ? "no regular input" : "no input relates its quanta to the skymap (an input"
                    + " with visit and detector, or with tract and patch)";
        }
        for (Map.Entry<List<Map<String, Object>>, List<String>> r : relational.entrySet()) {
            ids = intersect(ids, r.getKey(), r.getValue());
        }
        spatialResult = ids;
        return null;
    }

    /** Each (visit, detector) data ID once per patch its region overlaps, with skymap, tract and patch added. */
    private List<Map<String, Object>> expand(List<Map<String, Object>> found) {
        String sm = skymap();
        Set<Long> visits = new java.util.TreeSet<>();
        for (Map<String, Object> id : found) {
            visits.add(((Number) id.get("visit")).longValue());
        }
        visits.removeAll(overlaps.keySet());
        if (!visits.isEmpty()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("instrument", found.get(0).getOrDefault("instrument", "DECam"));
            body.put("skymap", sm);
            body.put("visits", new ArrayList<>(visits));
            for (Long v : visits) {
                overlaps.put(v, new java.util.HashMap<>());
            }
            for (JsonNode o : main.postJson("/butler/query-overlaps", body)) {
                overlaps.get(o.path("visit").asLong()).computeIfAbsent(o.path("detector").asLong(),
                        k -> new ArrayList<>()).add(new long[] {o.path("tract").asLong(), o.path("patch").asLong()});
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> id : found) {
            List<long[]> patches = overlaps.get(((Number) id.get("visit")).longValue())
                    .getOrDefault(((Number) id.get("detector")).longValue(), List.of());
            for (long[] tp : patches) {
                Map<String, Object> e = new TreeMap<>(id);
                e.put("skymap", sm);
                e.put("tract", tp[0]);
                e.put("patch", tp[1]);
                out.add(e);
            }
        }
        return out;
    }

    /** The skymap of the graph: the one skyMap dataset in the inputs. */
    private String skymap() {
        if (skymap != null) {
            return skymap;
        }
        List<String> names = new ArrayList<>();
        try {
            for (Map<String, Object> r : dataIds(List.of("skymap"), "skyMap", inputs, null)) {
                names.add(String.valueOf(r.get("skymap")));
            }
        } catch (Main.CliException e) {
            names.clear();
        }
        if (names.isEmpty()) {
            throw new Main.CliException("cannot build the quantum graph: its coadd tasks need a skymap, and no skyMap"
                    + " dataset is in " + inputs + ". Register one with './lovoccs butler register-skymap"
                    + " CLUSTER_skymap --ra RA --dec DEC' and add its collection (default 'skymaps') to -i.");
        }
        if (names.size() > 1) {
            throw new Main.CliException("cannot build the quantum graph: the inputs " + inputs + " hold "
                    + names.size() + " skymaps " + names + "; give -i a collection with one skyMap (register-skymap"
                    + " --collection RUN puts one in its own RUN)");
        }
        skymap = names.get(0);
        return skymap;
    }

    /**
     * The data IDs a prerequisite is checked for: the quanta, or, when it has dimensions the quanta lack (a
     * per-detector calibration of a per-visit task), the input data IDs that carry them.
     */
    private static List<Map<String, Object>> basisFor(Connection c, List<Map<String, Object>> quanta,
                                                      List<String> qdims,
                                                      Map<String, List<Map<String, Object>>> inputIds) {
        if (qdims.containsAll(c.dimensions()) || quanta.isEmpty()) {
            return quanta;
        }
        for (List<Map<String, Object>> ids : inputIds.values()) {
            if (!ids.isEmpty() && c.dimensions().stream().allMatch(ids.get(0)::containsKey)) {
                return project(ids, c.dimensions());
            }
        }
        return quanta;
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
        if (c.dimensions().contains("visit") && !c.dimensions().contains("exposure")) {
            // the visit records' physical_filter and band (from define-visits)
            Map<Object, Map<String, Object>> implied = new java.util.HashMap<>();
            try {
                for (Map<String, Object> r : dataIds(List.of("visit", "physical_filter", "band"), c.datasetType(),
                        inputs, where)) {
                    implied.put(r.get("visit"), r);
                }
            } catch (Main.CliException e) {
                // no visit records: the data IDs stay without band
            }
            for (Map<String, Object> id : out) {
                Map<String, Object> extra = implied.get(id.get("visit"));
                if (extra != null) {
                    id.put("physical_filter", extra.get("physical_filter"));
                    id.put("band", extra.get("band"));
                }
            }
        }
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
