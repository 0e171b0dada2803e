package org.lovoccs.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes the LSST pipeline YAML format: {@code description}, {@code instrument},
 * {@code parameters}, {@code imports} (a location, or {@code location} with {@code include} or
 * {@code exclude} of labels/subsets; locations relative to the importing file, {@code $VAR} expanded),
 * {@code tasks} (a class string, or {@code class} and {@code config}: keys, nested maps flattened to
 * dotted keys, {@code file:} config files), {@code subsets} (a list, or {@code subset} and
 * {@code description}). {@code contracts} and {@code steps} are accepted and ignored.
 */
final class PipelineYaml {
    private static final ObjectMapper READER = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper WRITER = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .build());
    private static final Set<String> TOP_KEYS = Set.of("description", "instrument", "parameters", "imports", "tasks",
            "subsets", "contracts", "steps");
    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    private PipelineYaml() {
    }

    static Path toPath(String spec) {
        if (spec.startsWith("file:")) {
            return Path.of(URI.create(spec));
        }
        if (spec.matches("[a-zA-Z][a-zA-Z0-9+.-]+://.*")) {
            throw new PipelineException("cannot load " + spec + ": only local files and file: URIs are supported");
        }
        return Path.of(expand(spec, spec));
    }

    static Pipeline read(Path file) {
        return read(file, new ArrayList<>());
    }

    private static Pipeline read(Path file, List<Path> importing) {
        Path abs = file.toAbsolutePath().normalize();
        if (importing.contains(abs)) {
            throw new PipelineException("pipeline " + abs + " imports itself through " + importing);
        }
        importing.add(abs);
        try {
            Map<String, Object> doc = parse(abs);
            for (String k : doc.keySet()) {
                if (!TOP_KEYS.contains(k)) {
                    throw new PipelineException(abs + ": unknown top-level key '" + k + "'"
                            + Suggest.didYouMean(k, TOP_KEYS) + "; valid keys: " + String.join(", ", new java.util.TreeSet<>(TOP_KEYS)));
                }
            }
            Pipeline p = new Pipeline(null, null);
            for (Object imp : list(doc.get("imports"), abs + ": imports")) {
                merge(p, readImport(abs, imp, importing));
            }
            if (doc.containsKey("description")) {
                p.setDescription(string(doc.get("description"), abs + ": description"));
            }
            if (doc.containsKey("instrument")) {
                p.setInstrument(string(doc.get("instrument"), abs + ": instrument"));
            }
            for (Map.Entry<String, Object> e : map(doc.get("parameters"), abs + ": parameters").entrySet()) {
                Object v = e.getValue();
                if (v instanceof Map || v instanceof List || v == null) {
                    throw new PipelineException(abs + ": parameter '" + e.getKey() + "' must be a single value");
                }
                p.setParameter(e.getKey(), v);
            }
            for (Map.Entry<String, Object> e : map(doc.get("tasks"), abs + ": tasks").entrySet()) {
                readTask(abs, p, e.getKey(), e.getValue());
            }
            for (Map.Entry<String, Object> e : map(doc.get("subsets"), abs + ": subsets").entrySet()) {
                String where = abs + ": subset " + e.getKey();
                Object v = e.getValue();
                List<String> labels = new ArrayList<>();
                String description = null;
                String query = null;
                if (v instanceof Map<?, ?> m) {
                    for (Object k : m.keySet()) {
                        if (!k.equals("subset") && !k.equals("description") && !k.equals("where")) {
                            throw new PipelineException(where + ": unknown key '" + k + "'; valid keys: subset,"
                                    + " description, where");
                        }
                    }
                    v = m.get("subset");
                    description = m.get("description") == null ? null : string(m.get("description"), where);
                    query = m.get("where") == null ? null : string(m.get("where"), where + " where");
                }
                for (Object l : list(v, where)) {
                    labels.add(string(l, where));
                }
                p.addSubset(e.getKey(), labels, description, query);
            }
            return p;
        } finally {
            importing.remove(importing.size() - 1);
        }
    }

    private static Pipeline readImport(Path from, Object imp, List<Path> importing) {
        String where = from + ": import";
        String location;
        List<String> include = null;
        List<String> exclude = null;
        if (imp instanceof String s) {
            location = s;
        } else if (imp instanceof Map<?, ?> m) {
            for (Object k : m.keySet()) {
                if (!Set.of("location", "include", "exclude", "importContracts", "importSteps", "labeledSubsetModifyMode")
                        .contains(k)) {
                    throw new PipelineException(where + ": unknown key '" + k + "'; valid keys: location, include, exclude");
                }
            }
            location = string(m.get("location"), where + " location");
            if (m.get("include") != null) {
                include = strings(m.get("include"), where + " include");
            }
            if (m.get("exclude") != null) {
                exclude = strings(m.get("exclude"), where + " exclude");
            }
            if (include != null && exclude != null) {
                throw new PipelineException(where + " of " + location + ": give include or exclude, not both");
            }
        } else {
            throw new PipelineException(where + ": expected a location or a mapping with location, got "
                    + ConfigType.describe(imp));
        }
        Path target = Path.of(expand(location, where));
        if (!target.isAbsolute()) {
            target = from.getParent().resolve(target);
        }
        Pipeline imported = read(target, importing);
        imported.validate();
        if (include != null) {
            return imported.select(include);
        }
        if (exclude != null) {
            Set<String> drop = new LinkedHashSet<>();
            for (String n : exclude) {
                if (imported.tasks().containsKey(n)) {
                    drop.add(n);
                } else if (imported.subsets().containsKey(n)) {
                    drop.addAll(imported.subsets().get(n).labels());
                } else {
                    throw new PipelineException(where + " of " + location + ": cannot exclude '" + n
                            + "', neither a label nor a subset there; labels: " + String.join(", ", imported.tasks().keySet())
                            + "; subsets: " + String.join(", ", imported.subsets().keySet()));
                }
            }
            List<String> keep = new ArrayList<>(imported.tasks().keySet());
            keep.removeAll(drop);
            return imported.select(keep);
        }
        return imported;
    }

    /** Adds an imported pipeline's tasks, subsets and parameters to {@code p}; what {@code p} has already wins. */
    private static void merge(Pipeline p, Pipeline imported) {
        if (imported.description() != null) {
            p.setDescription(imported.description());
        }
        if (imported.instrument() != null) {
            p.setInstrument(imported.instrument());
        }
        p.mutableParameters().putAll(imported.parameters());
        for (PipelineTask t : imported.tasks().values()) {
            if (p.tasks().containsKey(t.label())) {
                throw new PipelineException("label '" + t.label() + "' is declared by more than one imported pipeline");
            }
            p.replaceTask(t.copy());
        }
        p.mutableSubsets().putAll(imported.subsets());
    }

    private static void readTask(Path file, Pipeline p, String label, Object v) {
        String where = file + ": task " + label;
        String className = null;
        Map<String, Object> config = Map.of();
        if (v instanceof String s) {
            className = s;
        } else if (v instanceof Map<?, ?> m) {
            for (Object k : m.keySet()) {
                if (!k.equals("class") && !k.equals("config")) {
                    throw new PipelineException(where + ": unknown key '" + k + "'; valid keys: class, config");
                }
            }
            if (m.get("class") != null) {
                className = string(m.get("class"), where + " class");
            }
            config = readConfig(file, where, m.get("config"));
        } else if (v != null) {
            throw new PipelineException(where + ": expected a class name or a mapping with class and config, got "
                    + ConfigType.describe(v));
        }
        PipelineTask existing = p.tasks().get(label);
        if (existing == null || className != null && !TaskRegistry.get(className, where).lsstClass()
                .equals(existing.className())) {
            if (className == null) {
                throw new PipelineException(where + ": no class given and no imported task has this label");
            }
            if (existing != null) {
                p.removeTask(label);
            }
            p.addTask(label, TaskRegistry.get(className, where));
        }
        for (Map.Entry<String, Object> e : config.entrySet()) {
            try {
                p.set(label, e.getKey(), e.getValue());
            } catch (PipelineException ex) {
                throw new PipelineException(file + ": " + ex.getMessage(), ex);
            }
        }
    }

    private static Map<String, Object> readConfig(Path file, String where, Object config) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (config == null) {
            return out;
        }
        List<Object> blocks = config instanceof List<?> l ? new ArrayList<>(l) : List.of(config);
        for (Object block : blocks) {
            for (Map.Entry<String, Object> e : map(block, where + " config").entrySet()) {
                if (e.getKey().equals("python")) {
                    throw new PipelineException(where + ": python config blocks are not supported; write the settings"
                            + " as keys (doBias: false) or in a config file (file: overrides.py)");
                }
                if (e.getKey().equals("file")) {
                    Object files = e.getValue();
                    for (Object f : files instanceof List<?> fl ? fl : List.of(files)) {
                        Path cf = Path.of(expand(string(f, where + " config file"), where));
                        if (!cf.isAbsolute()) {
                            cf = file.getParent().resolve(cf);
                        }
                        List<String> lines;
                        try {
                            lines = Files.readAllLines(cf);
                        } catch (IOException ex) {
                            throw new PipelineException(where + ": cannot read config file " + cf + ": " + ex.getMessage());
                        }
                        for (Pipeline.ConfigLine cl : Pipeline.parseConfigFile(cf, lines)) {
                            out.remove(cl.key());
                            out.put(cl.key(), new ConfigText(cl.value()));
                        }
                    }
                    continue;
                }
                flatten(e.getKey(), e.getValue(), out);
            }
        }
        return out;
    }

    /** A config value written as text in a config file, parsed by the field's type when set. */
    record ConfigText(String text) {
    }

    private static void flatten(String prefix, Object v, Map<String, Object> out) {
        if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                flatten(prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else {
            out.remove(prefix);
            out.put(prefix, v);
        }
    }

    private static Map<String, Object> parse(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new PipelineException("no pipeline file " + file);
        }
        try {
            Map<String, Object> doc = READER.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, Object>>() {
            });
            return doc == null ? new LinkedHashMap<>() : doc;
        } catch (JsonProcessingException e) {
            throw new PipelineException(file + ": not valid pipeline YAML: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""), e);
        } catch (IOException e) {
            throw new PipelineException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static String write(Pipeline p) {
        Map<String, Object> doc = new LinkedHashMap<>();
        if (p.description() != null) {
            doc.put("description", p.description());
        }
        if (p.instrument() != null) {
            doc.put("instrument", p.instrument());
        }
        if (!p.parameters().isEmpty()) {
            doc.put("parameters", new LinkedHashMap<>(p.parameters()));
        }
        Map<String, Object> tasks = new LinkedHashMap<>();
        for (PipelineTask t : p.tasks().values()) {
            if (t.overrides().isEmpty()) {
                tasks.put(t.label(), t.className());
            } else {
                Map<String, Object> task = new LinkedHashMap<>();
                task.put("class", t.className());
                task.put("config", new LinkedHashMap<>(t.overrides()));
                tasks.put(t.label(), task);
            }
        }
        doc.put("tasks", tasks);
        if (!p.subsets().isEmpty()) {
            Map<String, Object> subsets = new LinkedHashMap<>();
            for (Subset s : p.subsets().values()) {
                if (s.description() == null && s.where() == null) {
                    subsets.put(s.name(), s.labels());
                } else {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("subset", s.labels());
                    if (s.description() != null) {
                        m.put("description", s.description());
                    }
                    if (s.where() != null) {
                        m.put("where", s.where());
                    }
                    subsets.put(s.name(), m);
                }
            }
            doc.put("subsets", subsets);
        }
        try {
            return WRITER.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new PipelineException("cannot write the pipeline as YAML: " + e.getMessage(), e);
        }
    }

    static String expand(String text, String where) {
        Matcher m = ENV.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String value = System.getenv(name);
            if (value == null) {
                throw new PipelineException(where + ": environment variable $" + name + " in '" + text + "' is not set");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object v, String where) {
        if (v == null) {
            return new LinkedHashMap<>();
        }
        if (v instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new PipelineException(where + ": expected a mapping, got " + ConfigType.describe(v));
    }

    private static List<?> list(Object v, String where) {
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            return l;
        }
        throw new PipelineException(where + ": expected a list, got " + ConfigType.describe(v));
    }

    private static List<String> strings(Object v, String where) {
        List<String> out = new ArrayList<>();
        for (Object o : v instanceof String s ? List.of(s) : list(v, where)) {
            out.add(string(o, where));
        }
        return out;
    }

    private static String string(Object v, String where) {
        if (v instanceof String s) {
            return s;
        }
        throw new PipelineException(where + ": expected a string, got " + ConfigType.describe(v));
    }
}
