package org.lovoccs.butler;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One dimension of the {@link DimensionUniverse}: its key, its relations to other dimensions, its
 * record fields and where the registry keeps them.
 *
 * <p>In the registry's dataset table (aliased {@code d}) every dimension has one key column named
 * after the dimension. Its record fields live in {@link #table()}, whose primary key is the
 * {@link #requires() required} dimensions' keys (same column names) plus {@link #tableKeyColumn()}.
 *
 * @param name           the dimension's name, e.g. {@code exposure}
 * @param keyName        the name of its key field, {@code id} (integer keys) or {@code name} (string keys)
 * @param keyType        the type of its key ({@link FieldType#STRING} or {@link FieldType#INTEGER})
 * @param requires       dimensions whose keys are part of this one's identity, e.g. {@code instrument}
 * @param implies        dimensions determined by this one, e.g. exposure implies physical_filter
 * @param fields         the record fields (not including the key)
 * @param table          the registry table with the records
 * @param tableKeyColumn the column of {@code table} holding this dimension's own key
 */
public record Dimension(String name, String keyName, FieldType keyType, List<String> requires,
                        List<String> implies, List<DimensionField> fields, String table,
                        String tableKeyColumn) {

    public Dimension {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keyName, "keyName");
        Objects.requireNonNull(keyType, "keyType");
        requires = List.copyOf(requires);
        implies = List.copyOf(implies);
        fields = List.copyOf(fields);
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(tableKeyColumn, "tableKeyColumn");
        if (keyType != FieldType.STRING && keyType != FieldType.INTEGER) {
            throw new IllegalArgumentException("a dimension key is a string or an integer, not " + keyType.label());
        }
    }

    /** The record field with this name, if any (the key is not a record field; see {@link #keyName()}). */
    public Optional<DimensionField> field(String fieldName) {
        for (DimensionField f : fields) {
            if (f.name().equals(fieldName)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /**
     * The record field with this name.
     *
     * @throws UnknownNameException naming the valid fields and the closest one
     */
    public DimensionField fieldOrThrow(String fieldName) {
        return field(fieldName).orElseThrow(() -> UnknownNameException.of(
                "dimension " + name + " has no field '" + fieldName + "'", fieldName, "fields of " + name,
                fieldNames()));
    }

    /** The names users may write after {@code <name>.}: the key name first, then the record fields. */
    public List<String> fieldNames() {
        List<String> names = new ArrayList<>();
        names.add(keyName);
        for (DimensionField f : fields) {
            names.add(f.name());
        }
        return names;
    }

    /** True if this dimension's identity includes the instrument (e.g. exposure, detector). */
    public boolean requiresInstrument() {
        return requires.contains("instrument");
    }
}
