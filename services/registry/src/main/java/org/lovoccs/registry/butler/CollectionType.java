package org.lovoccs.registry.butler;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The butler's four kinds of collection. */
public enum CollectionType {
    /** Holds the datasets written by one processing run; every dataset belongs to exactly one RUN. */
    RUN,
    /** An ordered list of other collections, searched in order. */
    CHAINED,
    /** A hand-picked set of datasets from any runs, at most one per dataset type and data ID. */
    TAGGED,
    /** Datasets certified over validity time ranges, which may not overlap for one dataset type and data ID. */
    CALIBRATION;

    /** The type called {@code name} (case-insensitive), or a message listing the valid ones. */
    public static CollectionType parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ButlerException.badRequest("unknown collection type '" + name + "'; valid types are "
                    + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
        }
    }
}
