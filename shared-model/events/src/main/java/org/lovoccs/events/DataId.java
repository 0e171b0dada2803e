package org.lovoccs.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * An immutable data ID: dimension values keyed by dimension name, sorted by name.
 * Integer dimensions hold {@link Long}, string dimensions {@link String}; anything else is refused,
 * so that two data IDs that mean the same thing are equal and hash (and serialize) the same.
 */
public final class DataId {
    private final SortedMap<String, Object> values;

    private DataId(SortedMap<String, Object> values) {
        this.values = Collections.unmodifiableSortedMap(values);
    }

    @JsonCreator
    public static DataId of(Map<String, ?> raw) {
        SortedMap<String, Object> v = new TreeMap<>();
        raw.forEach((k, value) -> v.put(k, coerce(Dimension.of(k), value)));
        return new DataId(v);
    }

    public static Builder builder() {
        return new Builder();
    }

    private static Object coerce(Dimension d, Object value) {
        Objects.requireNonNull(value, () -> "data ID value of " + d.key() + " is null");
        if (d.valueType() == Long.class) {
            if (value instanceof Number n) {
                if (n.doubleValue() != n.longValue()) {
                    throw new IllegalArgumentException(d.key() + " must be an integer, got " + value);
                }
                return n.longValue();
            }
            try {
                return Long.parseLong(value.toString());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(d.key() + " must be an integer, got '" + value + "'");
            }
        }
        return value.toString();
    }

    @JsonValue
    public SortedMap<String, Object> asMap() {
        return values;
    }

    public Object get(Dimension d) {
        return values.get(d.key());
    }

    public long getLong(Dimension d) {
        Object v = values.get(d.key());
        if (v == null) {
            throw new IllegalStateException("data ID " + this + " has no " + d.key());
        }
        return (Long) v;
    }

    public String getString(Dimension d) {
        Object v = values.get(d.key());
        if (v == null) {
            throw new IllegalStateException("data ID " + this + " has no " + d.key());
        }
        return (String) v;
    }

    /** The canonical {@code key=value,...} form (sorted by key), as used in dataset ID hashing. */
    public String canonical() {
        return values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataId other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "{" + canonical() + "}";
    }

    public static final class Builder {
        private final SortedMap<String, Object> v = new TreeMap<>();

        public Builder with(Dimension d, Object value) {
            v.put(d.key(), coerce(d, value));
            return this;
        }

        public DataId build() {
            return new DataId(new TreeMap<>(v));
        }
    }
}
