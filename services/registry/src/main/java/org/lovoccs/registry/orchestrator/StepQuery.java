package org.lovoccs.registry.orchestrator;

import java.util.Set;

import org.lovoccs.butler.query.Expression;
import org.lovoccs.butler.query.InItem;
import org.lovoccs.butler.query.WhereParser;
import org.lovoccs.butler.query.WhereSyntaxException;
import org.lovoccs.events.DataId;
import org.lovoccs.pipeline.PipelineException;

/**
 * A step's data query (its subset's {@code where}, as {@code pipetask run -d} restricts one run of a pipeline),
 * evaluated on the data ID of a raw that would start the step: its own keys and the band and physical filter its
 * exposure implies. The orchestrator decides per raw, before anything is planned, so only what that data ID holds can
 * be asked: comparisons ({@code =}, {@code <>}, {@code IN}, {@code NOT IN}) of {@code instrument}, {@code band},
 * {@code physical_filter}, {@code detector} or {@code exposure} with literals, joined by AND, OR and NOT. Anything else
 * is refused when the pipeline is loaded, naming the subset.
 */
final class StepQuery {

    private static final Set<String> KEYS = Set.of("instrument", "band", "physical_filter", "detector", "exposure");

    private final String text;
    private final Expression ast;

    private StepQuery(String text, Expression ast) {
        this.text = text;
        this.ast = ast;
    }

    /** Parses and checks a step's query; {@code where} names it in errors. */
    static StepQuery parse(String text, String where) {
        Expression ast;
        try {
            ast = WhereParser.parse(text);
        } catch (WhereSyntaxException e) {
            throw new PipelineException(where + ": where \"" + text + "\": " + e.getMessage());
        }
        check(ast, text, where);
        return new StepQuery(text, ast);
    }

    String text() {
        return text;
    }

    /** Whether a data ID is in the step's data; a key the data ID lacks matches nothing (not even {@code <>}). */
    boolean matches(DataId dataId) {
        return eval(ast, dataId);
    }

    private static void check(Expression e, String text, String where) {
        if (e instanceof Expression.And a) {
            a.operands().forEach(o -> check(o, text, where));
        } else if (e instanceof Expression.Or o) {
            o.operands().forEach(x -> check(x, text, where));
        } else if (e instanceof Expression.Not n) {
            check(n.operand(), text, where);
        } else if (e instanceof Expression.Comparison c) {
            if (c.op() != Expression.CompareOp.EQ && c.op() != Expression.CompareOp.NE) {
                throw refuse(text, where, "only = and <> compare");
            }
            boolean leftKey = key(c.left(), text, where) != null;
            boolean rightKey = key(c.right(), text, where) != null;
            if (leftKey == rightKey || !literal(leftKey ? c.right() : c.left())) {
                throw refuse(text, where, "compare a data ID key with a literal, e.g. band = 'z'");
            }
        } else if (e instanceof Expression.InList in) {
            if (key(in.operand(), text, where) == null) {
                throw refuse(text, where, "IN needs a data ID key on its left, e.g. band IN ('i', 'z')");
            }
            for (InItem item : in.items()) {
                if (!(item instanceof Expression x) || !literal(x)) {
                    throw refuse(text, where, "IN lists literals only (no ranges)");
                }
            }
        } else {
            throw refuse(text, where, "the orchestrator evaluates comparisons of data ID keys with literals joined"
                    + " by AND, OR, NOT only");
        }
    }

    private static PipelineException refuse(String text, String where, String why) {
        return new PipelineException(where + ": where \"" + text + "\" cannot be evaluated on a raw's data ID: " + why
                + "; keys: " + KEYS);
    }

    /** The data ID key an expression names, or null when it is not a plain name; refuses unknown names. */
    private static String key(Expression e, String text, String where) {
        if (!(e instanceof Expression.Identifier id)) {
            return null;
        }
        String name = id.field() == null ? id.dimension() : null;
        if (id.dimension().equals("band") && "name".equals(id.field())
                || id.dimension().equals("physical_filter") && "name".equals(id.field())) {
            name = id.dimension();
        }
        if (name == null || !KEYS.contains(name)) {
            throw refuse(text, where, "'" + id.name() + "' is not one of the keys");
        }
        return name;
    }

    private static boolean literal(Expression e) {
        return e instanceof Expression.StringLit || e instanceof Expression.NumberLit nl && nl.isInteger();
    }

    private static boolean eval(Expression e, DataId d) {
        if (e instanceof Expression.And a) {
            return a.operands().stream().allMatch(o -> eval(o, d));
        } else if (e instanceof Expression.Or o) {
            return o.operands().stream().anyMatch(x -> eval(x, d));
        } else if (e instanceof Expression.Not n) {
            return !eval(n.operand(), d);
        } else if (e instanceof Expression.Comparison c) {
            boolean leftKey = c.left() instanceof Expression.Identifier;
            Object have = value(d, (Expression.Identifier) (leftKey ? c.left() : c.right()));
            if (have == null) {
                return false;
            }
            boolean eq = same(have, leftKey ? c.right() : c.left());
            return c.op() == Expression.CompareOp.EQ ? eq : !eq;
        } else if (e instanceof Expression.InList in) {
            Object have = value(d, (Expression.Identifier) in.operand());
            if (have == null) {
                return false;
            }
            boolean any = in.items().stream().anyMatch(i -> same(have, (Expression) i));
            return in.negated() != any;
        }
        throw new IllegalStateException("unchecked where expression " + e);
    }

    private static Object value(DataId d, Expression.Identifier id) {
        return d.asMap().get(id.dimension());
    }

    private static boolean same(Object have, Expression literal) {
        if (literal instanceof Expression.StringLit s) {
            return s.value().equals(String.valueOf(have));
        }
        return have instanceof Number n && n.longValue() == ((Expression.NumberLit) literal).value().longValue();
    }

    @Override
    public String toString() {
        return text;
    }
}
