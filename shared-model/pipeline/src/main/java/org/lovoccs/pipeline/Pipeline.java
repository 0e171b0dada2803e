package org.lovoccs.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pipeline as pipe_base's {@code Pipeline}: labelled tasks with config overrides, subsets, parameters,
 * the instrument and a description. Load one with {@link #load(String)} ({@code FILE#label,subset}
 * selects), apply {@code -c}/{@code -C} overrides with {@link #override} and {@link #applyConfigFile},
 * then order the tasks ({@link #taskOrder()}), dump their configs ({@link #dumpConfig()}), draw them
 * ({@link #toDot()}) or {@link #write(Path)} the result as pipeline YAML.
 *
 * <p>Dataset types that an input connection reads but no task produces, and that are not known
 * repository inputs, are reported by {@link #missingProducers()}; cycles and two producers of one
 * dataset type are refused.
 */
public final class Pipeline {
    /** Dataset types a repository holds before any task runs (raws, calibrations, the sky map). */
    public static final Set<String> REPOSITORY_INPUTS = Set.of("raw", "camera", "bias", "dark", "flat", "fringe",
            "crosstalk", "linearizer", "bfk", "defects", "sky", "skyMap");

    private static final Pattern PARAMETER = Pattern.compile("parameters\\.([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern CONFIG_LINE =
            Pattern.compile("config\\.([A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)*)\\s*=\\s*(.*)");

    private String description;
    private String instrument;
    private final Map<String, Object> parameters = new LinkedHashMap<>();
    private final Map<String, PipelineTask> tasks = new LinkedHashMap<>();
    private final Map<String, Subset> subsets = new LinkedHashMap<>();
    /** Dataset types produced by tasks of the loaded document that a selection left out (not written, not compared). */
    private final Set<String> upstreamOutputs = new HashSet<>();

    /**
     * An empty pipeline.
     *
     * @param description free text
     * @param instrument  instrument class, e.g. {@code lsst.obs.decam.DarkEnergyCamera}, or null
     */
    public Pipeline(String description, String instrument) {
        this.description = description;
        this.instrument = instrument;
    }

    // ------------------------------------------------------------------ loading

    /**
     * Loads {@code FILE} or {@code FILE#name,name} (labels or subsets; a {@code file:} URI also works),
     * resolving imports and parameters, and validates the result.
     */
    public static Pipeline load(String uriWithSelection) {
        String spec = uriWithSelection;
        String selection = null;
        int hash = spec.lastIndexOf('#');
        if (hash >= 0) {
            selection = spec.substring(hash + 1);
            spec = spec.substring(0, hash);
        }
        return load(PipelineYaml.toPath(spec), selection);
    }

    /** Loads a file and keeps the labels and subsets named in {@code selection} (comma-separated), or all if null. */
    public static Pipeline load(Path file, String selection) {
        Pipeline p = PipelineYaml.read(file);
        p.validate();
        if (selection != null) {
            List<String> names = new ArrayList<>();
            for (String s : selection.split(",")) {
                if (!s.isBlank()) {
                    names.add(s.strip());
                }
            }
            if (names.isEmpty()) {
                throw new PipelineException("empty selection after '#' in " + file + "; valid labels: "
                        + String.join(", ", p.tasks.keySet()) + "; subsets: " + String.join(", ", p.subsets.keySet()));
            }
            p = p.select(names);
        }
        return p;
    }

    // ------------------------------------------------------------------ accessors

    /** The description. */
    public String description() {
        return description;
    }

    /** The instrument class name, or null. */
    public String instrument() {
        return instrument;
    }

    /** Parameters by name. */
    public Map<String, Object> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** Tasks by label, in declaration order. */
    public Map<String, PipelineTask> tasks() {
        return Collections.unmodifiableMap(tasks);
    }

    /** Subsets by name. */
    public Map<String, Subset> subsets() {
        return Collections.unmodifiableMap(subsets);
    }

    /** The task with this label, or an error listing the labels. */
    public PipelineTask task(String label) {
        PipelineTask t = tasks.get(label);
        if (t == null) {
            throw new PipelineException("no task labelled '" + label + "'" + Suggest.didYouMean(label, tasks.keySet())
                    + "; labels in this pipeline: " + String.join(", ", tasks.keySet()));
        }
        return t;
    }

    // ------------------------------------------------------------------ building

    /** Adds a task (its label must be new). */
    public Pipeline addTask(String label, TaskDefinition definition) {
        if (tasks.containsKey(label) || subsets.containsKey(label)) {
            throw new PipelineException("label '" + label + "' is already used in this pipeline");
        }
        tasks.put(label, new PipelineTask(label, definition));
        return this;
    }

    /** Sets a config value (already typed, or a {@code parameters.NAME} reference) and checks it. */
    public Pipeline set(String label, String key, Object value) {
        PipelineTask t = task(label);
        ConfigField f = field(t, key);
        Object v;
        if (value instanceof PipelineYaml.ConfigText text) {
            try {
                v = f.type().parse(text.text());
            } catch (IllegalArgumentException e) {
                throw new PipelineException(label + ": config." + key + ": " + e.getMessage());
            }
        } else {
            v = isParameterRef(value) ? value : coerce(t, f, value);
        }
        t.set(key, v);
        return this;
    }

    /** Adds or replaces a subset. */
    public Pipeline addSubset(String name, List<String> labels, String description) {
        return addSubset(name, labels, description, null);
    }

    /** Adds or replaces a subset restricted to the data IDs matching {@code where} (null: all). */
    public Pipeline addSubset(String name, List<String> labels, String description, String where) {
        if (tasks.containsKey(name)) {
            throw new PipelineException("subset '" + name + "' has the name of a task label");
        }
        subsets.put(name, new Subset(name, labels, description, where));
        return this;
    }

    /** Sets a parameter. */
    public Pipeline setParameter(String name, Object value) {
        parameters.put(name, value);
        return this;
    }

    void replaceTask(PipelineTask t) {
        tasks.put(t.label(), t);
    }

    void removeTask(String label) {
        tasks.remove(label);
    }

    void setDescription(String d) {
        description = d;
    }

    void setInstrument(String i) {
        instrument = i;
    }

    Map<String, Object> mutableParameters() {
        return parameters;
    }

    Map<String, Subset> mutableSubsets() {
        return subsets;
    }

    // ------------------------------------------------------------------ selection

    /**
     * A new pipeline with only the named labels and subsets (their union, in declaration order). Subsets
     * entirely inside the selection are kept. Outputs of the left-out tasks count as upstream outputs for
     * {@link #missingProducers()}.
     */
    public Pipeline select(Collection<String> names) {
        Set<String> chosen = new LinkedHashSet<>();
        for (String n : names) {
            if (tasks.containsKey(n)) {
                chosen.add(n);
            } else if (subsets.containsKey(n)) {
                chosen.addAll(subsets.get(n).labels());
            } else {
                List<String> all = new ArrayList<>(tasks.keySet());
                all.addAll(subsets.keySet());
                throw new PipelineException("'" + n + "' is neither a task label nor a subset"
                        + Suggest.didYouMean(n, all) + "; subsets: " + String.join(", ", subsets.keySet())
                        + "; labels: " + String.join(", ", tasks.keySet()));
            }
        }
        Pipeline p = new Pipeline(description, instrument);
        p.parameters.putAll(parameters);
        p.upstreamOutputs.addAll(upstreamOutputs);
        for (PipelineTask t : tasks.values()) {
            if (chosen.contains(t.label())) {
                p.tasks.put(t.label(), t.copy());
            } else {
                for (Connection c : connections(t.label())) {
                    if (c.kind() == Connection.Kind.OUTPUT) {
                        p.upstreamOutputs.add(c.datasetType());
                    }
                }
            }
        }
        for (Subset s : subsets.values()) {
            if (chosen.containsAll(s.labels())) {
                p.subsets.put(s.name(), s);
            }
        }
        return p;
    }

    // ------------------------------------------------------------------ config

    /**
     * Applies a {@code -c} override, {@code label:key=value}; the value is parsed by the key's type
     * (True/False, numbers, strings with or without quotes).
     */
    public Pipeline override(String labelKeyValue) {
        int colon = labelKeyValue.indexOf(':');
        int eq = labelKeyValue.indexOf('=', Math.max(colon, 0));
        if (colon <= 0 || eq < 0 || eq == colon + 1) {
            throw new PipelineException("config override '" + labelKeyValue + "' is not LABEL:KEY=VALUE");
        }
        return override(labelKeyValue.substring(0, colon).strip(), labelKeyValue.substring(colon + 1, eq).strip(),
                labelKeyValue.substring(eq + 1));
    }

    /** Sets {@code key} of task {@code label} from text, parsed by the key's type. */
    public Pipeline override(String label, String key, String text) {
        PipelineTask t = task(label);
        ConfigField f = field(t, key);
        Object v;
        try {
            v = f.type().parse(text);
        } catch (IllegalArgumentException e) {
            throw new PipelineException(label + ": config." + key + ": " + e.getMessage());
        }
        t.set(key, v);
        return this;
    }

    /** Applies a {@code -C} override, {@code label:file}. */
    public Pipeline applyConfigFile(String labelColonFile) {
        int colon = labelColonFile.indexOf(':');
        if (colon <= 0 || colon == labelColonFile.length() - 1) {
            throw new PipelineException("config file option '" + labelColonFile + "' is not LABEL:FILE");
        }
        return applyConfigFile(labelColonFile.substring(0, colon), Path.of(labelColonFile.substring(colon + 1)));
    }

    /**
     * Applies a config file to task {@code label}: lines {@code config.key = value}; comments ({@code #})
     * and blank lines are ignored; anything else is an error naming the file and line.
     */
    public Pipeline applyConfigFile(String label, Path file) {
        task(label);
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new PipelineException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        for (ConfigLine l : parseConfigFile(file, lines)) {
            try {
                override(label, l.key(), l.value());
            } catch (PipelineException e) {
                throw new PipelineException(file + ":" + l.line() + ": " + e.getMessage(), e);
            }
        }
        return this;
    }

    /** One {@code config.key = value} line of a config file. */
    record ConfigLine(String key, String value, int line) {
    }

    /** Parses config-file lines; a line that is not a comment, blank or an assignment fails with its number. */
    static List<ConfigLine> parseConfigFile(Path file, List<String> lines) {
        List<ConfigLine> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = stripComment(lines.get(i)).strip();
            if (line.isEmpty()) {
                continue;
            }
            Matcher m = CONFIG_LINE.matcher(line);
            if (!m.matches() || m.group(2).isBlank()) {
                throw new PipelineException(file + ":" + (i + 1) + ": expected 'config.KEY = VALUE', got: "
                        + lines.get(i).strip());
            }
            out.add(new ConfigLine(m.group(1), m.group(2).strip(), i + 1));
        }
        return out;
    }

    private static String stripComment(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#') {
                return line.substring(0, i);
            }
        }
        return line;
    }

    /** The effective config of a task: defaults, then the pipeline's settings with parameters resolved. */
    public Map<String, Object> effectiveConfig(String label) {
        PipelineTask t = task(label);
        Map<String, Object> config = t.definition().defaultConfig();
        for (Map.Entry<String, Object> e : t.overrides().entrySet()) {
            ConfigField f = field(t, e.getKey());
            config.put(e.getKey(), coerce(t, f, resolve(t, e.getKey(), e.getValue())));
        }
        return config;
    }

    /** The task's connections under its effective config (conditional ones dropped, renamed dataset types). */
    public List<Connection> connections(String label) {
        PipelineTask t = task(label);
        return t.definition().connections(effectiveConfig(label));
    }

    private Object resolve(PipelineTask t, String key, Object value) {
        if (isParameterRef(value)) {
            String name = ((String) value).substring("parameters.".length());
            if (!parameters.containsKey(name)) {
                throw new PipelineException(t.label() + ": config." + key + " refers to unknown parameter '" + name
                        + "'" + (parameters.isEmpty() ? "; the pipeline has no parameters"
                        : Suggest.didYouMean(name, parameters.keySet()) + "; parameters: "
                        + String.join(", ", parameters.keySet())));
            }
            return parameters.get(name);
        }
        return value;
    }

    static boolean isParameterRef(Object value) {
        return value instanceof String s && PARAMETER.matcher(s).matches();
    }

    private static ConfigField field(PipelineTask t, String key) {
        ConfigField f = t.definition().configFields().get(key);
        if (f == null) {
            throw new PipelineException(t.label() + " (" + t.className() + ") has no config field '" + key + "'"
                    + Suggest.didYouMean(key, t.definition().configFields().keySet()) + "; its fields: "
                    + String.join(", ", t.definition().configFields().keySet()));
        }
        return f;
    }

    private static Object coerce(PipelineTask t, ConfigField f, Object value) {
        try {
            return f.type().coerce(value);
        } catch (IllegalArgumentException e) {
            throw new PipelineException(t.label() + ": config." + f.key() + ": " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ validation and order

    /**
     * Checks config keys and types, subsets, parameters, unique producers and the absence of cycles.
     *
     * @throws PipelineException naming the first problem and the valid choices
     */
    public Pipeline validate() {
        for (String label : tasks.keySet()) {
            effectiveConfig(label);
        }
        for (Subset s : subsets.values()) {
            if (tasks.containsKey(s.name())) {
                throw new PipelineException("subset '" + s.name() + "' has the name of a task label");
            }
            for (String l : s.labels()) {
                if (!tasks.containsKey(l)) {
                    throw new PipelineException("subset '" + s.name() + "' names unknown label '" + l + "'"
                            + Suggest.didYouMean(l, tasks.keySet()) + "; labels: " + String.join(", ", tasks.keySet()));
                }
            }
        }
        taskOrder();
        return this;
    }

    /** Dataset type to the label of the task producing it. */
    public Map<String, String> producers() {
        Map<String, String> producers = new LinkedHashMap<>();
        for (String label : tasks.keySet()) {
            for (Connection c : connections(label)) {
                if (c.kind() == Connection.Kind.OUTPUT) {
                    String other = producers.putIfAbsent(c.datasetType(), label);
                    if (other != null) {
                        throw new PipelineException("dataset type '" + c.datasetType() + "' is produced by both "
                                + other + " and " + label + "; rename one with config connections." + c.name());
                    }
                }
            }
        }
        return producers;
    }

    /**
     * The task labels in an order where every task comes after the producers of its inputs (ties keep
     * declaration order).
     *
     * @throws PipelineException if the tasks form a cycle, naming it
     */
    public List<String> taskOrder() {
        Map<String, String> producers = producers();
        Map<String, Set<String>> deps = new LinkedHashMap<>();
        Map<String, Map<String, String>> via = new HashMap<>();
        for (String label : tasks.keySet()) {
            Set<String> d = new LinkedHashSet<>();
            for (Connection c : connections(label)) {
                if (c.kind() != Connection.Kind.OUTPUT && producers.containsKey(c.datasetType())) {
                    String p = producers.get(c.datasetType());
                    d.add(p);
                    via.computeIfAbsent(label, k -> new HashMap<>()).putIfAbsent(p, c.datasetType());
                }
            }
            deps.put(label, d);
        }
        List<String> order = new ArrayList<>();
        Set<String> done = new HashSet<>();
        boolean progress = true;
        while (order.size() < tasks.size() && progress) {
            progress = false;
            for (String label : tasks.keySet()) {
                if (!done.contains(label) && done.containsAll(deps.get(label))) {
                    order.add(label);
                    done.add(label);
                    progress = true;
                    break;
                }
            }
        }
        if (order.size() < tasks.size()) {
            throw new PipelineException("the tasks form a cycle: " + describeCycle(deps, via, done)
                    + "; break it by renaming a dataset type with config connections.<name>");
        }
        return order;
    }

    private static String describeCycle(Map<String, Set<String>> deps, Map<String, Map<String, String>> via,
                                        Set<String> done) {
        // walk dependencies among the unfinished tasks until a label repeats
        String start = null;
        for (String l : deps.keySet()) {
            if (!done.contains(l)) {
                start = l;
                break;
            }
        }
        List<String> path = new ArrayList<>();
        String cur = start;
        while (!path.contains(cur)) {
            path.add(cur);
            String next = null;
            for (String d : deps.get(cur)) {
                if (!done.contains(d)) {
                    next = d;
                    break;
                }
            }
            cur = next;
        }
        List<String> cycle = new ArrayList<>(path.subList(path.indexOf(cur), path.size()));
        Collections.reverse(cycle); // producer first
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cycle.size(); i++) {
            String a = cycle.get(i);
            String b = cycle.get((i + 1) % cycle.size());
            sb.append(a).append(" -(").append(via.get(b).get(a)).append(")-> ");
        }
        return sb.append(cycle.get(0)).toString();
    }

    /**
     * Input dataset types that no task of the pipeline (nor of the document a selection was taken from)
     * produces and that are not {@link #REPOSITORY_INPUTS}: dataset type to the labels reading it.
     * Prerequisite inputs are expected in the repository and are not reported.
     */
    public Map<String, List<String>> missingProducers() {
        Map<String, String> producers = producers();
        Map<String, List<String>> missing = new TreeMap<>();
        for (String label : tasks.keySet()) {
            for (Connection c : connections(label)) {
                String type = c.datasetType();
                if (c.kind() == Connection.Kind.INPUT && !producers.containsKey(type)
                        && !upstreamOutputs.contains(type) && !REPOSITORY_INPUTS.contains(type)) {
                    missing.computeIfAbsent(type, k -> new ArrayList<>()).add(label);
                }
            }
        }
        return missing;
    }

    // ------------------------------------------------------------------ output

    /** The effective config of every task, in task order, as {@code config.key = value} lines under a header per task. */
    public String dumpConfig() {
        StringBuilder sb = new StringBuilder();
        for (String label : taskOrder()) {
            PipelineTask t = tasks.get(label);
            sb.append("### Configuration for task '").append(label).append("' (").append(t.className())
                    .append(")\n");
            Map<String, ConfigField> fields = t.definition().configFields();
            for (Map.Entry<String, Object> e : effectiveConfig(label).entrySet()) {
                sb.append("config.").append(e.getKey()).append(" = ")
                        .append(fields.get(e.getKey()).type().format(e.getValue())).append('\n');
            }
        }
        return sb.toString();
    }

    /** Task labels in order with their classes and connections, one block per task. */
    public String describeTasks() {
        StringBuilder sb = new StringBuilder();
        for (String label : taskOrder()) {
            PipelineTask t = tasks.get(label);
            sb.append(label).append(": ").append(t.className()).append(" (").append(t.definition().javaClass())
                    .append(") quantum {").append(String.join(", ", t.definition().quantumDimensions())).append("}\n");
            for (Connection c : connections(label)) {
                String kind = switch (c.kind()) {
                    case INPUT -> "input";
                    case PREREQUISITE_INPUT -> "prereq";
                    case OUTPUT -> "output";
                };
                sb.append(String.format("  %-7s %-26s %s %s [%s]%s%n", kind, c.name(), c.datasetType(),
                        c.dimensionText(), c.storageClass(), c.multiple() ? " multiple" : ""));
            }
        }
        return sb.toString();
    }

    /**
     * A GraphViz digraph: one box per task, one ellipse per dataset type it reads or writes, edges
     * dataset to task for inputs (dashed for prerequisites) and task to dataset for outputs.
     */
    public String toDot() {
        List<String> order = taskOrder();
        StringBuilder sb = new StringBuilder("digraph Pipeline {\n  rankdir=TB;\n");
        Map<String, List<String>> datasetDims = new LinkedHashMap<>();
        List<String> edges = new ArrayList<>();
        for (String label : order) {
            PipelineTask t = tasks.get(label);
            sb.append("  ").append(dotId("task", label)).append(" [shape=box, style=filled, fillcolor=\"#dde8f5\", label=\"")
                    .append(label).append("\\n").append(t.className()).append("\"];\n");
            for (Connection c : connections(label)) {
                datasetDims.putIfAbsent(c.datasetType(), c.dimensions());
                String ds = dotId("ds", c.datasetType());
                String task = dotId("task", label);
                edges.add(switch (c.kind()) {
                    case INPUT -> "  " + ds + " -> " + task + ";";
                    case PREREQUISITE_INPUT -> "  " + ds + " -> " + task + " [style=dashed];";
                    case OUTPUT -> "  " + task + " -> " + ds + ";";
                });
            }
        }
        datasetDims.forEach((type, dims) -> sb.append("  ").append(dotId("ds", type))
                .append(" [shape=ellipse, label=\"").append(type).append("\\n{").append(String.join(", ", dims))
                .append("}\"];\n"));
        new LinkedHashSet<>(edges).forEach(e -> sb.append(e).append('\n'));
        return sb.append("}\n").toString();
    }

    private static String dotId(String kind, String name) {
        return '"' + kind + ":" + name.replace("\"", "\\\"") + '"';
    }

    /** This pipeline as pipeline YAML text. */
    public String toYaml() {
        return PipelineYaml.write(this);
    }

    /** Writes this pipeline as pipeline YAML; {@code load(write(p))} equals {@code p}. */
    public void write(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, toYaml());
        } catch (IOException e) {
            throw new PipelineException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pipeline p && Objects.equals(description, p.description)
                && Objects.equals(instrument, p.instrument) && parameters.equals(p.parameters)
                && tasks.equals(p.tasks) && subsets.equals(p.subsets);
    }

    @Override
    public int hashCode() {
        return Objects.hash(description, instrument, parameters, tasks, subsets);
    }

    @Override
    public String toString() {
        return "Pipeline(" + tasks.keySet() + ", subsets " + subsets.keySet() + ")";
    }

}
