package org.lovoccs.pipeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pipeline task as pipe_base describes it, apart from its algorithm: the default label, the LSST
 * class it stands for (e.g. {@code lsst.ip.isr.IsrTask}), its connections and its config fields with
 * typed defaults. Every connection also gets a {@code connections.<name>} string field whose value is
 * the dataset type it reads or writes, so a pipeline can rename dataset types as LSST pipelines do
 * ({@code connections.inputSourceTableVisit: preSourceTable_visit}).
 *
 * <p>Subclasses in {@code org.lovoccs.pipeline.tasks} call {@link #input}, {@link #prerequisite},
 * {@link #output} and the config helpers from their constructor.
 */
public abstract class TaskDefinition {
    /** Common dimension sets. */
    protected static final List<String> EXPOSURE_DETECTOR = List.of("instrument", "exposure", "detector");
    /** {instrument, visit, detector}. */
    protected static final List<String> VISIT_DETECTOR = List.of("instrument", "visit", "detector");
    /** {instrument, visit}. */
    protected static final List<String> VISIT = List.of("instrument", "visit");
    /** {instrument, detector}. */
    protected static final List<String> DETECTOR = List.of("instrument", "detector");
    /** {instrument, physical_filter, detector}. */
    protected static final List<String> FILTER_DETECTOR = List.of("instrument", "physical_filter", "detector");
    /** {skymap, tract}. */
    protected static final List<String> TRACT = List.of("skymap", "tract");
    /** {instrument, skymap, tract}. */
    protected static final List<String> INSTRUMENT_TRACT = List.of("instrument", "skymap", "tract");
    /** {instrument, skymap, tract, visit}. */
    protected static final List<String> TRACT_VISIT = List.of("instrument", "skymap", "tract", "visit");
    /** {skymap, tract, patch}. */
    protected static final List<String> PATCH = List.of("skymap", "tract", "patch");
    /** {skymap, tract, patch, band}. */
    protected static final List<String> PATCH_BAND = List.of("skymap", "tract", "patch", "band");
    /** {instrument, skymap, tract, patch, visit}. */
    protected static final List<String> PATCH_VISIT = List.of("instrument", "skymap", "tract", "patch", "visit");
    /** {htm7}: reference catalogue shards. */
    protected static final List<String> HTM7 = List.of("htm7");

    private final String defaultLabel;
    private final String lsstClass;
    private final List<String> quantumDimensions;
    private final List<Connection> connections = new ArrayList<>();
    private final Map<String, ConfigField> fields = new LinkedHashMap<>();

    /**
     * @param defaultLabel      label the task gets in a pipeline unless renamed (e.g. {@code isr})
     * @param lsstClass         the LSST Science Pipelines class this task stands for
     * @param quantumDimensions dimensions of one quantum of the task
     */
    protected TaskDefinition(String defaultLabel, String lsstClass, List<String> quantumDimensions) {
        this.defaultLabel = defaultLabel;
        this.lsstClass = lsstClass;
        this.quantumDimensions = List.copyOf(quantumDimensions);
    }

    /** The default label. */
    public final String defaultLabel() {
        return defaultLabel;
    }

    /** The LSST class alias, e.g. {@code lsst.ip.isr.IsrTask}. */
    public final String lsstClass() {
        return lsstClass;
    }

    /** The Java class name, e.g. {@code org.lovoccs.pipeline.tasks.IsrTask}. */
    public final String javaClass() {
        return getClass().getName();
    }

    /** Dimensions of one quantum. */
    public final List<String> quantumDimensions() {
        return quantumDimensions;
    }

    /** The declared connections with their default dataset types, whatever the config. */
    public final List<Connection> connections() {
        return Collections.unmodifiableList(connections);
    }

    /** Config fields by key, in declaration order (task fields first, then {@code connections.*}). */
    public final Map<String, ConfigField> configFields() {
        return Collections.unmodifiableMap(fields);
    }

    /** The default config: key to default value, in declaration order. */
    public final Map<String, Object> defaultConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        fields.forEach((k, f) -> m.put(k, f.defaultValue()));
        return m;
    }

    /**
     * The connections under an effective config: those whose {@code enabledBy} flag is False are
     * dropped, and {@code connections.<name>} renames the dataset type.
     */
    public final List<Connection> connections(Map<String, Object> config) {
        List<Connection> out = new ArrayList<>();
        for (Connection c : connections) {
            if (c.enabledBy() != null && !Boolean.TRUE.equals(config.get(c.enabledBy()))) {
                continue;
            }
            Object type = config.get("connections." + c.name());
            out.add(type instanceof String s && !s.equals(c.datasetType()) ? c.withDatasetType(s) : c);
        }
        return out;
    }

    // ---- declaration helpers for subclasses ----

    /** Declares an input read once per quantum. */
    protected final void input(String name, String datasetType, List<String> dims, String storageClass) {
        add(new Connection(name, datasetType, dims, storageClass, Connection.Kind.INPUT, false, null));
    }

    /** Declares an input of which a quantum reads several datasets. */
    protected final void inputs(String name, String datasetType, List<String> dims, String storageClass) {
        add(new Connection(name, datasetType, dims, storageClass, Connection.Kind.INPUT, true, null));
    }

    /** Declares an input present only when the boolean config field {@code flag} is True. */
    protected final void inputIf(String flag, String name, String datasetType, List<String> dims,
                                 String storageClass, boolean multiple) {
        add(new Connection(name, datasetType, dims, storageClass, Connection.Kind.INPUT, multiple, flag));
    }

    /** Declares a prerequisite input (possibly conditional on {@code flag}, which may be null). */
    protected final void prerequisite(String flag, String name, String datasetType, List<String> dims,
                                      String storageClass, boolean multiple) {
        add(new Connection(name, datasetType, dims, storageClass, Connection.Kind.PREREQUISITE_INPUT, multiple,
                flag));
    }

    /** Declares an output written once per quantum. */
    protected final void output(String name, String datasetType, List<String> dims, String storageClass) {
        add(new Connection(name, datasetType, dims, storageClass, Connection.Kind.OUTPUT, false, null));
    }

    /** Declares an output present only when {@code flag} is True (possibly several per quantum). */
    protected final void outputIf(String flag, String name, String datasetType, List<String> dims,
                                  String storageClass, boolean multiple) {
        add(new Connection(name, datasetType, dims, storageClass, Connection.Kind.OUTPUT, multiple, flag));
    }

    /** Declares a bool field. */
    protected final void bool(String key, boolean def, String doc) {
        field(new ConfigField(key, ConfigType.BOOL, def, doc));
    }

    /** Declares an int field. */
    protected final void integer(String key, long def, String doc) {
        field(new ConfigField(key, ConfigType.INT, def, doc));
    }

    /** Declares a float field. */
    protected final void real(String key, double def, String doc) {
        field(new ConfigField(key, ConfigType.FLOAT, def, doc));
    }

    /** Declares a str field. */
    protected final void string(String key, String def, String doc) {
        field(new ConfigField(key, ConfigType.STRING, def, doc));
    }

    private void field(ConfigField f) {
        if (fields.containsKey(f.key())) {
            throw new IllegalStateException(getClass().getSimpleName() + " declares config field " + f.key()
                    + " twice");
        }
        // keep connections.* fields after the task's own fields
        Map<String, ConfigField> connectionFields = new LinkedHashMap<>();
        fields.entrySet().removeIf(e -> {
            if (e.getKey().startsWith("connections.")) {
                connectionFields.put(e.getKey(), e.getValue());
                return true;
            }
            return false;
        });
        fields.put(f.key(), f);
        fields.putAll(connectionFields);
    }

    private void add(Connection c) {
        for (Connection other : connections) {
            if (other.name().equals(c.name())) {
                throw new IllegalStateException(getClass().getSimpleName() + " declares connection " + c.name()
                        + " twice");
            }
        }
        if (c.enabledBy() != null && (!fields.containsKey(c.enabledBy())
                || fields.get(c.enabledBy()).type() != ConfigType.BOOL)) {
            throw new IllegalStateException(getClass().getSimpleName() + ": connection " + c.name()
                    + " depends on " + c.enabledBy() + ", which is not a bool field declared before it");
        }
        connections.add(c);
        fields.put("connections." + c.name(), new ConfigField("connections." + c.name(), ConfigType.STRING,
                c.datasetType(), "dataset type of connection " + c.name()));
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + lsstClass + ")";
    }
}
