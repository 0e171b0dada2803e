package org.lovoccs.butler.query;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A translated where expression: a PostgreSQL boolean condition over the dataset table {@code d}
 * and the dimension tables in {@code joins}, with {@code $1, $2, ...} placeholders (Vert.x PG
 * client style) whose values are {@code parameters} in order. A placeholder may occur more than
 * once in {@code sql} (e.g. the start of a strided range).
 *
 * @param sql        the condition, e.g. {@code d.instrument = $1 AND d.band = $2}
 * @param parameters the values of $1, $2, ... (Long, Double, String, OffsetDateTime or UUID)
 * @param joins      the JOIN clauses the condition needs, in the universe's dimension order
 */
public record SqlWhere(String sql, List<Object> parameters, Set<String> joins) {
    public SqlWhere {
        Objects.requireNonNull(sql, "sql");
        parameters = List.copyOf(parameters);
        joins = Collections.unmodifiableSet(new LinkedHashSet<>(joins));
    }

    /** The joins separated by spaces, ready to follow {@code FROM dataset d}; empty if none. */
    public String joinClause() {
        return String.join(" ", joins);
    }
}
