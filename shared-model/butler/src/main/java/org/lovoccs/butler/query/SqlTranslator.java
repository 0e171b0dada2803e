package org.lovoccs.butler.query;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.lovoccs.butler.Dimension;
import org.lovoccs.butler.DimensionField;
import org.lovoccs.butler.DimensionUniverse;
import org.lovoccs.butler.FieldType;
import org.lovoccs.butler.UnknownNameException;
import org.lovoccs.butler.query.Expression.And;
import org.lovoccs.butler.query.Expression.Arithmetic;
import org.lovoccs.butler.query.Expression.ArithmeticOp;
import org.lovoccs.butler.query.Expression.BindRef;
import org.lovoccs.butler.query.Expression.Comparison;
import org.lovoccs.butler.query.Expression.Identifier;
import org.lovoccs.butler.query.Expression.InList;
import org.lovoccs.butler.query.Expression.Negate;
import org.lovoccs.butler.query.Expression.Not;
import org.lovoccs.butler.query.Expression.NumberLit;
import org.lovoccs.butler.query.Expression.Or;
import org.lovoccs.butler.query.Expression.Overlaps;
import org.lovoccs.butler.query.Expression.StringLit;
import org.lovoccs.butler.query.Expression.TimeLit;
import org.lovoccs.butler.query.Expression.TimespanLit;
import org.lovoccs.butler.query.Expression.UuidLit;

/**
 * Translates a where {@link Expression} into a parameterized PostgreSQL condition over the
 * registry schema ({@link SqlWhere}).
 *
 * <p>Schema: the dataset table is aliased {@code d} and has one key column per dimension
 * ({@code d.instrument, d.band, d.physical_filter, d.detector, d.day_obs, d."group", d.exposure,
 * d.visit, d.skymap, d.tract, d.patch}). A dimension's record fields are in its
 * {@link Dimension#table() table}, aliased {@code dim_<dimension>}, joined on its primary key
 * (the required dimensions' keys plus {@link Dimension#tableKeyColumn()}). Timespans are the two
 * timestamptz columns {@code <field>_begin} and {@code <field>_end} and are half-open.
 *
 * <p>Names: {@code visit} (and {@code visit.id}, {@code band.name}) is the dimension's key in
 * {@code d}; {@code exposure.observation_type} a record field (adds a join);
 * {@code exposure.timespan.begin} one end of a timespan; a bare name that is not a dimension, or
 * {@code :name}, is a bind value. Every literal and bind value becomes a parameter; SQL names come
 * only from the {@link DimensionUniverse}, never from the expression's text.
 *
 * <p>Default instrument: if {@code defaultInstrument} is given, the expression uses a dimension
 * that requires an instrument and never mentions {@code instrument}, then
 * {@code AND d.instrument = $n} is appended (as daf_butler applies its default data ID).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class SqlTranslator {

    private static final Set<String> RESERVED = Set.of("group", "order", "user", "select", "where", "from",
            "table", "limit", "offset", "all", "and", "or", "not", "in", "end", "to", "when", "case");

    private final DimensionUniverse universe;

    /** A translator over the {@link DimensionUniverse#defaultUniverse() default universe}. */
    public SqlTranslator() {
        this(DimensionUniverse.defaultUniverse());
    }

    /** A translator over the given universe. */
    public SqlTranslator(DimensionUniverse universe) {
        this.universe = Objects.requireNonNull(universe, "universe");
    }

    /**
     * Parses and translates in one step.
     *
     * @see #translate(Expression, Map, String)
     */
    public SqlWhere translate(String where, Map<String, ?> bind, String defaultInstrument) {
        return translate(WhereParser.parse(where), bind, defaultInstrument);
    }

    /**
     * Translates a parsed expression.
     *
     * @param ast               the expression
     * @param bind              bind values by name (may be null): String, Integer/Long/Short/BigInteger,
     *                          Float/Double/BigDecimal, Instant/OffsetDateTime/ZonedDateTime, UUID, or,
     *                          inside IN only, a Collection or array of those
     * @param defaultInstrument the instrument to assume when the expression names none, or null
     * @return the condition, its parameters and its joins
     * @throws WhereException for unknown names, type mismatches and unusable bind values
     */
    public SqlWhere translate(Expression ast, Map<String, ?> bind, String defaultInstrument) {
        Objects.requireNonNull(ast, "ast");
        Run run = new Run(bind == null ? Map.of() : bind);
        Rendered r = run.render(ast);
        run.requireBoolean(ast, r, "the expression");
        String sql = r.sql;
        if (defaultInstrument != null && !run.referenced.contains("instrument")
                && run.referenced.stream().anyMatch(n -> universe.get(n).requiresInstrument())) {
            sql = paren(r, AND) + " AND d.instrument = " + run.param(defaultInstrument);
        }
        return new SqlWhere(sql, run.params, new java.util.LinkedHashSet<>(run.joins.values()));
    }

    // ---- types and precedence of rendered pieces -----------------------------------------------

    private enum Type {
        STRING("a string"), INTEGER("an integer"), FLOAT("a float"), TIME("a time"), TIMESPAN("a timespan"),
        UUID("a UUID"), BOOLEAN("a condition");

        final String article;

        Type(String article) {
            this.article = article;
        }

        boolean numeric() {
            return this == INTEGER || this == FLOAT;
        }

        static Type of(FieldType t) {
            return switch (t) {
                case STRING -> STRING;
                case INTEGER -> INTEGER;
                case FLOAT -> FLOAT;
                case TIME -> TIME;
                case TIMESPAN -> TIMESPAN;
            };
        }
    }

    private static final int OR = 1;
    private static final int AND = 2;
    private static final int NOT = 3;
    private static final int ATOM = 4;

    /** A piece of SQL, its type and how tightly it binds; timespans carry their two ends. */
    private record Rendered(String sql, Type type, int precedence, String begin, String end, String what) {
        static Rendered atom(String sql, Type type, String what) {
            return new Rendered(sql, type, ATOM, null, null, what);
        }
    }

    private static String paren(Rendered r, int needed) {
        return r.precedence < needed ? "(" + r.sql + ")" : r.sql;
    }

    private static String quote(String name) {
        return RESERVED.contains(name) ? "\"" + name + "\"" : name;
    }

    // ---- one translation -----------------------------------------------------------------------

    private final class Run {
        final Map<String, ?> bind;
        final List<Object> params = new ArrayList<>();
        final TreeMap<Integer, String> joins = new TreeMap<>();
        final Set<String> referenced = new TreeSet<>();

        Run(Map<String, ?> bind) {
            this.bind = bind;
        }

        String param(Object value) {
            params.add(value);
            return "$" + params.size();
        }

        Rendered render(Expression e) {
            if (e instanceof Identifier id) {
                return identifier(id);
            } else if (e instanceof BindRef b) {
                return bindScalar(b.name(), e, "bind value :" + b.name());
            } else if (e instanceof StringLit s) {
                return Rendered.atom(param(s.value()), Type.STRING, "'" + s.value() + "' is a string literal");
            } else if (e instanceof NumberLit n) {
                return Rendered.atom(param(n.value()), n.isInteger() ? Type.INTEGER : Type.FLOAT,
                        n.span().text() + " is " + (n.isInteger() ? "an integer" : "a float") + " literal");
            } else if (e instanceof TimeLit t) {
                return Rendered.atom(param(OffsetDateTime.ofInstant(t.value(), ZoneOffset.UTC)), Type.TIME,
                        t.span().text() + " is a time literal");
            } else if (e instanceof UuidLit u) {
                return Rendered.atom(param(u.value()), Type.UUID, u.span().text() + " is a UUID literal");
            } else if (e instanceof TimespanLit ts) {
                return timespanLiteral(ts);
            } else if (e instanceof Negate n) {
                Rendered o = render(n.operand());
                requireNumeric(n.operand(), o, "unary minus");
                return Rendered.atom("(-" + o.sql + ")", o.type, n.span().text() + " is " + o.type.article);
            } else if (e instanceof Arithmetic a) {
                return arithmetic(a);
            } else if (e instanceof Comparison c) {
                return comparison(c);
            } else if (e instanceof InList in) {
                return inList(in);
            } else if (e instanceof Overlaps o) {
                return overlaps(o);
            } else if (e instanceof And a) {
                return logical(a.operands(), " AND ", AND, "AND");
            } else if (e instanceof Or o) {
                return logical(o.operands(), " OR ", OR, "OR");
            } else if (e instanceof Not n) {
                Rendered o = render(n.operand());
                requireBoolean(n.operand(), o, "NOT");
                return new Rendered("NOT " + paren(o, NOT), Type.BOOLEAN, NOT, null, null, null);
            }
            throw new IllegalStateException("unhandled node " + e);
        }

        Rendered logical(List<Expression> operands, String joiner, int precedence, String word) {
            List<String> parts = new ArrayList<>();
            for (Expression op : operands) {
                Rendered r = render(op);
                requireBoolean(op, r, word);
                parts.add(paren(r, precedence));
            }
            return new Rendered(String.join(joiner, parts), Type.BOOLEAN, precedence, null, null, null);
        }

        void requireBoolean(Expression e, Rendered r, String context) {
            if (r.type != Type.BOOLEAN) {
                throw new WhereException("not a condition: " + context + " needs a condition such as x = 1, but "
                        + r.what, e.span());
            }
        }

        void requireNumeric(Expression e, Rendered r, String context) {
            if (!r.type.numeric()) {
                throw new WhereException("type mismatch: " + context + " needs a number, but " + r.what, e.span());
            }
        }

        // ---- names -----------------------------------------------------------------------------

        Rendered identifier(Identifier id) {
            String first = id.dimension();
            Dimension dim = universe.find(first).orElse(null);
            if (dim == null) {
                if (id.field() == null && bind.containsKey(first)) {
                    return bindScalar(first, id, "bind value " + first);
                }
                List<String> valid = new ArrayList<>(universe.names());
                String what = "dimensions";
                if (id.field() == null) {
                    valid.addAll(new TreeSet<>(bind.keySet()));
                    what = bind.isEmpty() ? "dimensions (no bind values were given)" : "dimensions and bind names";
                }
                UnknownNameException u = UnknownNameException.of(
                        (id.field() == null ? "unknown name '" : "unknown dimension '") + first + "'", first, what, valid);
                throw new WhereException(u.getMessage(), sub(id.span(), 0, first.length()));
            }
            referenced.add(dim.name());
            String key = "d." + quote(dim.name());
            String name = id.name();
            if (id.field() == null || (id.field().equals(dim.keyName()) && dim.field(id.field()).isEmpty())) {
                if (id.column() != null) {
                    throw new WhereException("unknown name: " + first + "." + id.field() + " is the key of dimension "
                            + first + " and has no part '" + id.column() + "'", id.span());
                }
                return Rendered.atom(key, Type.of(dim.keyType()), name + " is " + Type.of(dim.keyType()).article
                        + " (key of dimension " + dim.name() + ")");
            }
            int fieldOffset = first.length() + 1;
            DimensionField field;
            try {
                field = dim.fieldOrThrow(id.field());
            } catch (UnknownNameException u) {
                throw new WhereException(u.getMessage(), sub(id.span(), fieldOffset, id.field().length()));
            }
            String alias = "dim_" + dim.name();
            join(dim);
            String column = alias + "." + quote(field.column());
            if (field.type() == FieldType.TIMESPAN) {
                String begin = alias + "." + field.column() + "_begin";
                String end = alias + "." + field.column() + "_end";
                if (id.column() == null) {
                    return new Rendered(begin + ", " + end, Type.TIMESPAN, ATOM, begin, end, name + " is a timespan");
                }
                if (id.column().equals("begin") || id.column().equals("end")) {
                    return Rendered.atom(id.column().equals("begin") ? begin : end, Type.TIME, name + " is a time");
                }
                UnknownNameException u = UnknownNameException.of("timespan " + first + "." + id.field()
                        + " has no part '" + id.column() + "'", id.column(), "parts", List.of("begin", "end"));
                throw new WhereException(u.getMessage(),
                        sub(id.span(), fieldOffset + id.field().length() + 1, id.column().length()));
            }
            if (id.column() != null) {
                throw new WhereException("unknown name: " + first + "." + id.field() + " is "
                        + Type.of(field.type()).article + "; only timespans have parts (.begin, .end)", id.span());
            }
            return Rendered.atom(column, Type.of(field.type()), name + " is " + Type.of(field.type()).article);
        }

        Span sub(Span s, int offset, int length) {
            int start = Math.min(s.start() + offset, s.stop());
            return new Span(s.source(), start, Math.min(start + length, s.stop()));
        }

        void join(Dimension dim) {
            String alias = "dim_" + dim.name();
            StringBuilder on = new StringBuilder();
            for (String req : dim.requires()) {
                on.append(alias).append('.').append(quote(req)).append(" = d.").append(quote(req)).append(" AND ");
            }
            on.append(alias).append('.').append(quote(dim.tableKeyColumn())).append(" = d.").append(quote(dim.name()));
            joins.put(universe.indexOf(dim.name()), "JOIN " + dim.table() + " " + alias + " ON " + on);
        }

        // ---- bind values -----------------------------------------------------------------------

        Object bindValue(String name, Expression where) {
            if (!bind.containsKey(name)) {
                UnknownNameException u = UnknownNameException.of("unknown bind name ':" + name + "'", name,
                        "bind names", new TreeSet<>(bind.keySet()));
                throw new WhereException(u.getMessage(), where.span());
            }
            Object v = bind.get(name);
            if (v == null) {
                throw new WhereException("bad bind value: " + name + " is null", where.span());
            }
            return v;
        }

        Rendered bindScalar(String name, Expression where, String label) {
            Object v = bindValue(name, where);
            if (v instanceof Collection<?> || v.getClass().isArray()) {
                throw new WhereException("bad bind value: " + label + " is a list; lists may only be used inside IN (...)",
                        where.span());
            }
            return scalar(v, where, label);
        }

        Rendered scalar(Object v, Expression where, String label) {
            Object p;
            Type t;
            if (v instanceof String s) {
                p = s;
                t = Type.STRING;
            } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
                p = ((Number) v).longValue();
                t = Type.INTEGER;
            } else if (v instanceof BigInteger b) {
                try {
                    p = b.longValueExact();
                } catch (ArithmeticException e) {
                    throw new WhereException("bad bind value: " + label + " = " + b + " is too large", where.span());
                }
                t = Type.INTEGER;
            } else if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
                p = ((Number) v).doubleValue();
                t = Type.FLOAT;
            } else if (v instanceof Instant i) {
                p = OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
                t = Type.TIME;
            } else if (v instanceof OffsetDateTime o) {
                p = o.withOffsetSameInstant(ZoneOffset.UTC);
                t = Type.TIME;
            } else if (v instanceof ZonedDateTime z) {
                p = z.toOffsetDateTime().withOffsetSameInstant(ZoneOffset.UTC);
                t = Type.TIME;
            } else if (v instanceof UUID u) {
                p = u;
                t = Type.UUID;
            } else {
                throw new WhereException("bad bind value: " + label + " is a " + v.getClass().getSimpleName()
                        + "; use a String, integer, floating-point number, Instant, OffsetDateTime or UUID", where.span());
            }
            return Rendered.atom(param(p), t, label + " is " + t.article + " bind value");
        }

        /** The bind list named by an IN item, or null if the item is not a list-valued bind. */
        List<Object> bindList(Expression item) {
            String name = null;
            if (item instanceof BindRef b) {
                name = b.name();
            } else if (item instanceof Identifier id && id.field() == null && universe.find(id.dimension()).isEmpty()
                    && bind.containsKey(id.dimension())) {
                name = id.dimension();
            }
            if (name == null) {
                return null;
            }
            Object v = bindValue(name, item);
            if (v instanceof Collection<?> c) {
                return new ArrayList<>(c);
            }
            if (v.getClass().isArray()) {
                List<Object> list = new ArrayList<>();
                for (int i = 0; i < Array.getLength(v); i++) {
                    list.add(Array.get(v, i));
                }
                return list;
            }
            return null;
        }

        // ---- operators -------------------------------------------------------------------------

        Rendered arithmetic(Arithmetic a) {
            Rendered l = render(a.left());
            Rendered r = render(a.right());
            requireNumeric(a.left(), l, "'" + a.op().sql() + "'");
            requireNumeric(a.right(), r, "'" + a.op().sql() + "'");
            if (a.op() == ArithmeticOp.MOD && (l.type != Type.INTEGER || r.type != Type.INTEGER)) {
                Rendered bad = l.type != Type.INTEGER ? l : r;
                throw new WhereException("type mismatch: '%' needs integers, but " + bad.what, a.span());
            }
            Type t = l.type == Type.INTEGER && r.type == Type.INTEGER ? Type.INTEGER : Type.FLOAT;
            return Rendered.atom("(" + l.sql + " " + a.op().sql() + " " + r.sql + ")", t,
                    a.span().text() + " is " + t.article);
        }

        void requireComparable(Expression where, Rendered l, Rendered r) {
            for (Rendered x : List.of(l, r)) {
                if (x.type == Type.TIMESPAN) {
                    throw new WhereException("type mismatch: " + x.what
                            + "; compare timespans with OVERLAPS, or use .begin / .end", where.span());
                }
                if (x.type == Type.BOOLEAN) {
                    throw new WhereException("type mismatch: a condition cannot be compared with a value", where.span());
                }
            }
            if (!(l.type == r.type || (l.type.numeric() && r.type.numeric()))) {
                throw new WhereException("type mismatch: " + l.what + ", but " + r.what, where.span());
            }
        }

        Rendered comparison(Comparison c) {
            Rendered l = render(c.left());
            Rendered r = render(c.right());
            requireComparable(c, l, r);
            return new Rendered(l.sql + " " + c.op().sql() + " " + r.sql, Type.BOOLEAN, ATOM, null, null, null);
        }

        Rendered inList(InList in) {
            Rendered lhs = render(in.operand());
            if (lhs.type == Type.TIMESPAN || lhs.type == Type.BOOLEAN) {
                throw new WhereException("type mismatch: IN needs a value on its left, but " + lhs.what,
                        in.operand().span());
            }
            List<String> values = new ArrayList<>();
            List<String> ranges = new ArrayList<>();
            for (InItem item : in.items()) {
                if (item instanceof Range range) {
                    if (lhs.type != Type.INTEGER) {
                        throw new WhereException("type mismatch: ranges like " + range.span().text()
                                + " need an integer on the left of IN, but " + lhs.what, range.span());
                    }
                    String a = param(range.start());
                    String b = param(range.stop());
                    if (range.stride() == 1) {
                        ranges.add(lhs.sql + " BETWEEN " + a + " AND " + b);
                    } else {
                        String s = param(range.stride());
                        ranges.add("(" + lhs.sql + " BETWEEN " + a + " AND " + b + " AND (" + lhs.sql + " - " + a
                                + ") % " + s + " = 0)");
                    }
                    continue;
                }
                Expression value = (Expression) item;
                List<Object> list = bindList(value);
                if (list != null) {
                    String label = "element of bind list " + value.span().text();
                    for (Object element : list) {
                        if (element == null || element instanceof Collection<?> || element.getClass().isArray()) {
                            throw new WhereException("bad bind value: bind list " + value.span().text()
                                    + " holds " + (element == null ? "null" : "a nested list"), value.span());
                        }
                        Rendered r = scalar(element, value, label);
                        requireComparable(value, lhs, r);
                        values.add(r.sql);
                    }
                    continue;
                }
                Rendered r = render(value);
                requireComparable(value, lhs, r);
                values.add(r.sql);
            }
            List<String> parts = new ArrayList<>();
            if (!values.isEmpty()) {
                parts.add(lhs.sql + (in.negated() && ranges.isEmpty() ? " NOT IN (" : " IN (")
                        + String.join(", ", values) + ")");
            }
            parts.addAll(ranges);
            if (parts.isEmpty()) { // only empty bind lists
                return new Rendered(in.negated() ? "TRUE" : "FALSE", Type.BOOLEAN, ATOM, null, null, null);
            }
            if (in.negated() && ranges.isEmpty()) {
                return new Rendered(parts.get(0), Type.BOOLEAN, ATOM, null, null, null);
            }
            String positive = parts.size() == 1 ? parts.get(0) : "(" + String.join(" OR ", parts) + ")";
            if (in.negated()) {
                String inner = positive.startsWith("(") && parts.size() > 1 || parts.get(0).startsWith("(")
                        ? positive : "(" + positive + ")";
                return new Rendered("NOT " + inner, Type.BOOLEAN, NOT, null, null, null);
            }
            return new Rendered(positive, Type.BOOLEAN, ATOM, null, null, null);
        }

        Rendered timespanLiteral(TimespanLit ts) {
            Rendered b = render(ts.begin());
            Rendered e = render(ts.end());
            for (Rendered x : List.of(b, e)) {
                if (x.type != Type.TIME) {
                    throw new WhereException("type mismatch: a timespan (begin, end) needs two times, but " + x.what,
                            ts.span());
                }
            }
            return new Rendered(b.sql + ", " + e.sql, Type.TIMESPAN, ATOM, b.sql, e.sql, ts.span().text() + " is a timespan");
        }

        Rendered overlaps(Overlaps o) {
            Rendered l = render(o.left());
            Rendered r = render(o.right());
            for (Rendered x : List.of(l, r)) {
                if (x.type != Type.TIMESPAN && x.type != Type.TIME) {
                    throw new WhereException("type mismatch: OVERLAPS needs timespans or times, but " + x.what, o.span());
                }
            }
            String sql;
            if (l.type == Type.TIMESPAN && r.type == Type.TIMESPAN) {
                sql = "(" + l.begin + " < " + r.end + " AND " + r.begin + " < " + l.end + ")";
            } else if (l.type == Type.TIMESPAN || r.type == Type.TIMESPAN) {
                Rendered span = l.type == Type.TIMESPAN ? l : r;
                Rendered time = l.type == Type.TIMESPAN ? r : l;
                sql = "(" + span.begin + " <= " + time.sql + " AND " + time.sql + " < " + span.end + ")";
            } else {
                throw new WhereException("type mismatch: OVERLAPS needs at least one timespan, but " + l.what
                        + " and " + r.what, o.span());
            }
            return new Rendered(sql, Type.BOOLEAN, ATOM, null, null, null);
        }
    }
}
