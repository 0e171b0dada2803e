package org.lovoccs.pipeline;

import java.util.List;
import java.util.Objects;

/**
 * A named subset of a pipeline's task labels ({@code subsets:} in the YAML), selected with {@code FILE#name}.
 *
 * @param name        subset name, e.g. {@code step1}
 * @param labels      member task labels
 * @param description what the subset is for, or null
 */
public record Subset(String name, List<String> labels, String description) {
    /** Copies the labels. */
    public Subset {
        Objects.requireNonNull(name, "name");
        labels = List.copyOf(labels);
    }
}
