package org.lovoccs.butler;

import java.util.Objects;

/**
 * One field of a dimension record, e.g. {@code exposure.observation_type}.
 *
 * @param name   the name users write after the dimension, e.g. {@code observation_type}
 * @param type   its value type
 * @param column the column of the dimension's table that holds it; for a TIMESPAN field the
 *               prefix of the two columns {@code <column>_begin} and {@code <column>_end}
 */
public record DimensionField(String name, FieldType type, String column) {
    public DimensionField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(column, "column");
    }

    /** A field stored in a column of the same name. */
    public static DimensionField of(String name, FieldType type) {
        return new DimensionField(name, type, name);
    }
}
