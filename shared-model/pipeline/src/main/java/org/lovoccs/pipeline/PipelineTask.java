package org.lovoccs.pipeline;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A task in a pipeline: its label, its definition and the config values the pipeline sets on top of the
 * definition's defaults (in the order they were set). A value may be the text {@code parameters.NAME},
 * resolved against the pipeline's parameters when the effective config is computed.
 */
public final class PipelineTask {
    private final String label;
    private final TaskDefinition definition;
    private final Map<String, Object> overrides = new LinkedHashMap<>();

    /**
     * @param label      the label, unique in its pipeline
     * @param definition the task definition
     */
    public PipelineTask(String label, TaskDefinition definition) {
        this.label = Objects.requireNonNull(label, "label");
        this.definition = Objects.requireNonNull(definition, "definition");
    }

    /** The label. */
    public String label() {
        return label;
    }

    /** The task definition. */
    public TaskDefinition definition() {
        return definition;
    }

    /** The LSST class name, as written in pipeline YAML. */
    public String className() {
        return definition.lsstClass();
    }

    /** The config values set by the pipeline (not the defaults), key to value. */
    public Map<String, Object> overrides() {
        return Collections.unmodifiableMap(overrides);
    }

    void set(String key, Object value) {
        overrides.remove(key); // a later setting moves to the end, as it was applied last
        overrides.put(key, value);
    }

    PipelineTask copy() {
        PipelineTask t = new PipelineTask(label, definition);
        t.overrides.putAll(overrides);
        return t;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PipelineTask t && label.equals(t.label) && className().equals(t.className())
                && overrides.equals(t.overrides);
    }

    @Override
    public int hashCode() {
        return Objects.hash(label, className(), overrides);
    }

    @Override
    public String toString() {
        return label + "(" + className() + ", " + overrides + ")";
    }
}
