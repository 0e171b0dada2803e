package org.lovoccs.butler;

/** The value type of a dimension key or dimension record field, as the where language sees it. */
public enum FieldType {
    /** Text; compared with string literals. */
    STRING("string"),
    /** Whole number (SQL bigint/integer). */
    INTEGER("integer"),
    /** Floating-point number (SQL double precision). */
    FLOAT("float"),
    /** A point in time (SQL timestamptz, UTC). */
    TIME("time"),
    /** A half-open interval of time stored as two TIME columns, {@code <name>_begin} and {@code <name>_end}. */
    TIMESPAN("timespan");

    private final String label;

    FieldType(String label) {
        this.label = label;
    }

    /** The lower-case word used for this type in error messages. */
    public String label() {
        return label;
    }

    /** True for INTEGER and FLOAT. */
    public boolean isNumeric() {
        return this == INTEGER || this == FLOAT;
    }
}
