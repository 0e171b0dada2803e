package org.lovoccs.pipeline;

import java.util.List;
import java.util.Objects;

/**
 * A named subset of a pipeline's task labels ({@code subsets:} in the YAML), selected with {@code FILE#name}.
 *
 * @param name        subset name, e.g. {@code step1}
 * @param labels      member task labels
 * @param description what the subset is for, or null
 * @param where       a data query in the butler's where language restricting the data IDs the subset runs on, as
 *                    {@code pipetask run -d} does for one run of it (cp_pipe runs cpFringe with {@code band='z'}), or
 *                    null for all. The orchestrator honours it (a step is one such run); {@code pipetask build}
 *                    carries it along
 */
public record Subset(String name, List<String> labels, String description, String where) {
    /** Copies the labels. */
    public Subset {
        Objects.requireNonNull(name, "name");
        labels = List.copyOf(labels);
        if (where != null && where.isBlank()) {
            where = null;
        }
    }

    /** A subset over every data ID. */
    public Subset(String name, List<String> labels, String description) {
        this(name, labels, description, null);
    }
}
