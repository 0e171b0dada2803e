package org.lovoccs.butler.query;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The immutable syntax tree of a where expression, as produced by {@link WhereParser#parse}.
 * Every node records the {@link Span} of text it came from. The tree is purely syntactic: whether
 * an identifier is a dimension, a record field or a bind name is decided by {@link SqlTranslator}.
 */
public sealed interface Expression extends InItem {

    /** Where the node came from. */
    Span span();

    /**
     * A (possibly dotted) name: {@code visit}, {@code exposure.day_obs},
     * {@code exposure.timespan.begin}. Names that are not dimensions may name bind values.
     *
     * @param dimension the first part (a dimension name, or a bind name)
     * @param field     the second part, or null
     * @param column    the third part (e.g. {@code begin} of a timespan), or null
     */
    record Identifier(String dimension, String field, String column, Span span) implements Expression {
        public Identifier {
            Objects.requireNonNull(dimension, "dimension");
            if (field == null && column != null) {
                throw new IllegalArgumentException("column without field");
            }
        }

        /** The name as written, parts joined with dots. */
        public String name() {
            return dimension + (field == null ? "" : "." + field) + (column == null ? "" : "." + column);
        }
    }

    /** {@code :name}, a value supplied by the caller in the bind map. */
    record BindRef(String name, Span span) implements Expression {
        public BindRef {
            Objects.requireNonNull(name, "name");
        }
    }

    /** A string literal; {@code value} has the quotes removed and doubled quotes undone. */
    record StringLit(String value, Span span) implements Expression {
        public StringLit {
            Objects.requireNonNull(value, "value");
        }
    }

    /** An integer ({@link Long}) or float ({@link Double}) literal. */
    record NumberLit(Number value, Span span) implements Expression {
        public NumberLit {
            if (!(value instanceof Long) && !(value instanceof Double)) {
                throw new IllegalArgumentException("a number literal is a Long or a Double");
            }
        }

        /** True for an integer literal. */
        public boolean isInteger() {
            return value instanceof Long;
        }
    }

    /** {@code T'...'}: the literal's text (inside the quotes) and the instant it denotes (UTC). */
    record TimeLit(String text, Instant value, Span span) implements Expression {
        public TimeLit {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(value, "value");
        }
    }

    /** {@code UUID('...')}. */
    record UuidLit(java.util.UUID value, Span span) implements Expression {
        public UuidLit {
            Objects.requireNonNull(value, "value");
        }
    }

    /** {@code (begin, end)} on a side of OVERLAPS: a half-open timespan. */
    record TimespanLit(Expression begin, Expression end, Span span) implements Expression {
        public TimespanLit {
            Objects.requireNonNull(begin, "begin");
            Objects.requireNonNull(end, "end");
        }
    }

    /** Unary minus (unary minus of a number literal is folded into the literal). */
    record Negate(Expression operand, Span span) implements Expression {
        public Negate {
            Objects.requireNonNull(operand, "operand");
        }
    }

    /** {@code left op right} with {@code + - * / %}. */
    record Arithmetic(ArithmeticOp op, Expression left, Expression right, Span span) implements Expression {
        public Arithmetic {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }
    }

    /** {@code left op right} with {@code = != <> < <= > >=}. */
    record Comparison(CompareOp op, Expression left, Expression right, Span span) implements Expression {
        public Comparison {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }
    }

    /** {@code operand [NOT] IN (item, ...)}; items are values or {@link Range}s. */
    record InList(Expression operand, List<InItem> items, boolean negated, Span span) implements Expression {
        public InList {
            Objects.requireNonNull(operand, "operand");
            items = List.copyOf(items);
            if (items.isEmpty()) {
                throw new IllegalArgumentException("IN needs at least one item");
            }
        }
    }

    /** {@code left OVERLAPS right}; each side a timespan or a time. */
    record Overlaps(Expression left, Expression right, Span span) implements Expression {
        public Overlaps {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }
    }

    /** Conjunction of two or more operands. */
    record And(List<Expression> operands, Span span) implements Expression {
        public And {
            operands = List.copyOf(operands);
            if (operands.size() < 2) {
                throw new IllegalArgumentException("AND needs two operands");
            }
        }
    }

    /** Disjunction of two or more operands. */
    record Or(List<Expression> operands, Span span) implements Expression {
        public Or {
            operands = List.copyOf(operands);
            if (operands.size() < 2) {
                throw new IllegalArgumentException("OR needs two operands");
            }
        }
    }

    /** Logical negation. */
    record Not(Expression operand, Span span) implements Expression {
        public Not {
            Objects.requireNonNull(operand, "operand");
        }
    }

    /** Comparison operators. */
    enum CompareOp {
        EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">=");

        private final String sql;

        CompareOp(String sql) {
            this.sql = sql;
        }

        /** The SQL spelling. */
        public String sql() {
            return sql;
        }
    }

    /** Arithmetic operators. */
    enum ArithmeticOp {
        ADD("+"), SUB("-"), MUL("*"), DIV("/"), MOD("%");

        private final String sql;

        ArithmeticOp(String sql) {
            this.sql = sql;
        }

        /** The SQL spelling. */
        public String sql() {
            return sql;
        }
    }
}
