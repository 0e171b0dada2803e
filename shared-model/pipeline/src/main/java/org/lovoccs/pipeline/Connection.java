package org.lovoccs.pipeline;

import java.util.List;
import java.util.Objects;

/**
 * A task connection as pipe_base declares it: the task-side name, the dataset type it reads or writes
 * by default (renamed by the config field {@code connections.<name>}), that dataset type's dimensions and
 * storage class, its kind, and whether one quantum takes several datasets of it.
 *
 * @param name         connection name inside the task (e.g. {@code ccdExposure})
 * @param datasetType  default dataset type name (e.g. {@code raw})
 * @param dimensions   dimensions of the dataset type (e.g. instrument, exposure, detector)
 * @param storageClass storage class (e.g. {@code Exposure})
 * @param kind         input, prerequisite input or output
 * @param multiple     whether a quantum reads or writes several datasets through it
 * @param enabledBy    a boolean config key that must be True for the connection to exist (as the
 *                     connections class's {@code __init__} removes it otherwise), or null if always present
 */
public record Connection(String name, String datasetType, List<String> dimensions, String storageClass, Kind kind,
                         boolean multiple, String enabledBy) {

    /** What the task does with the datasets of a connection. */
    public enum Kind {
        /** Read; produced by an upstream task or already in the repository. */
        INPUT,
        /** Read; must already be in the repository (calibrations, reference catalogues, the sky map). */
        PREREQUISITE_INPUT,
        /** Written. */
        OUTPUT
    }

    /** Validates and copies the dimensions. */
    public Connection {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(datasetType, "datasetType");
        Objects.requireNonNull(kind, "kind");
        dimensions = List.copyOf(dimensions);
        Objects.requireNonNull(storageClass, "storageClass");
    }

    /** The same connection reading or writing another dataset type (a {@code connections.<name>} override). */
    public Connection withDatasetType(String type) {
        return new Connection(name, type, dimensions, storageClass, kind, multiple, enabledBy);
    }

    /** The dimensions as {@code {a, b}}. */
    public String dimensionText() {
        return "{" + String.join(", ", dimensions) + "}";
    }
}
