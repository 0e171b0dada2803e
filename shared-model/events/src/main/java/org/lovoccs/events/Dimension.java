package org.lovoccs.events;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The butler's dimensions that data IDs are made of, with the Java type of their values.
 * Names are the LSST ones, so a user's {@code exposure=123} or {@code band='r'} reads the same here.
 */
public enum Dimension {
    INSTRUMENT(String.class),
    BAND(String.class),
    PHYSICAL_FILTER(String.class),
    DAY_OBS(Long.class),
    GROUP(String.class),
    EXPOSURE(Long.class),
    VISIT(Long.class),
    DETECTOR(Long.class),
    SKYMAP(String.class),
    TRACT(Long.class),
    PATCH(Long.class),
    /** Level-7 HTM triangle (sphgeom numbering): the sharding of reference catalogues. */
    HTM7(Long.class);

    private final Class<?> valueType;

    Dimension(Class<?> valueType) {
        this.valueType = valueType;
    }

    /** The name users write, e.g. {@code physical_filter}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Class<?> valueType() {
        return valueType;
    }

    /** @throws IllegalArgumentException naming the valid dimensions when {@code key} is not one */
    public static Dimension of(String key) {
        for (Dimension d : values()) {
            if (d.key().equals(key)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown dimension '" + key + "'; valid dimensions: "
                + Arrays.stream(values()).map(Dimension::key).collect(Collectors.joining(", ")));
    }
}
