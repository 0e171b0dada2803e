package org.lovoccs.registry.butler;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.lovoccs.butler.query.SqlTranslator;
import org.lovoccs.butler.query.SqlWhere;
import org.lovoccs.butler.query.WhereException;

/**
 * A user's where clause made into SQL for JDBC: parsed and translated by the butler module (identifiers from the
 * dimension universe only, every literal a parameter), its {@code $n} placeholders turned into JDBC's {@code ?}
 * in order of appearance.
 */
final class WhereClause {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$(\\d+)");
    private static final WhereClause NONE = new WhereClause("", "", List.of());
    private static final SqlTranslator TRANSLATOR = new SqlTranslator();

    private final String sql;
    private final String joins;
    private final List<Object> parameters;

    private WhereClause(String sql, String joins, List<Object> parameters) {
        this.sql = sql;
        this.joins = joins;
        this.parameters = parameters;
    }

    /**
     * @param where             the expression, or null/blank for none
     * @param bind              bind values named in the expression
     * @param defaultInstrument instrument assumed when the expression does not name one (may be null); the
     *                          expression's parameters are bound after the caller's own ({@link #bindTo})
     * @throws ButlerException 400 with the parser's message (column of the mistake, valid names)
     */
    static WhereClause compile(String where, Map<String, Object> bind, String defaultInstrument) {
        if (where == null || where.isBlank()) {
            return NONE;
        }
        SqlWhere w;
        try {
            w = TRANSLATOR.translate(where, bind == null ? Map.of() : bind, defaultInstrument);
        } catch (WhereException e) {
            throw ButlerException.badRequest(e.getMessage());
        }
        // $n may repeat or come out of order: bind by occurrence
        List<Object> ordered = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(w.sql());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            ordered.add(w.parameters().get(Integer.parseInt(m.group(1)) - 1));
            m.appendReplacement(out, "?");
        }
        m.appendTail(out);
        return new WhereClause(out.toString(), String.join(" ", w.joins()), ordered);
    }

    /** The JOIN clauses the expression needs (empty when none). */
    String joins() {
        return joins;
    }

    /** " AND (expr)" or "". */
    String andSql() {
        return sql.isEmpty() ? "" : " AND (" + sql + ")";
    }

    /** Binds the expression's parameters from {@code first}; returns the next free index. */
    int bindTo(PreparedStatement ps, int first) throws SQLException {
        int i = first;
        for (Object p : parameters) {
            if (p instanceof Instant t) {
                ps.setTimestamp(i++, Timestamp.from(t));
            } else {
                ps.setObject(i++, p);
            }
        }
        return i;
    }
}
