package org.lovoccs.butler.query;

/**
 * A where expression that cannot be used: unknown names, type mismatches, bad bind values. When
 * the place is known the message quotes the expression's line and points at the mistake:
 *
 * <pre>
 * column 1: type mismatch: exposure is an integer, but 'abc' is a string literal
 *   exposure = 'abc'
 *   ^^^^^^^^
 * </pre>
 */
public class WhereException extends RuntimeException {
    private final String problem;
    private final Span span;

    /** A problem at a known place of the expression. */
    public WhereException(String problem, Span span) {
        super(format(problem, span));
        this.problem = problem;
        this.span = span;
    }

    /** A problem with no particular place. */
    public WhereException(String problem) {
        this(problem, null);
    }

    private static String format(String problem, Span span) {
        if (span == null) {
            return problem;
        }
        String where = span.source().indexOf('\n') >= 0
                ? "line " + span.line() + ", column " + span.column()
                : "column " + span.column();
        return where + ": " + problem + "\n" + span.caretLines();
    }

    /** The problem without the position and caret lines. */
    public String problem() {
        return problem;
    }

    /** The place of the mistake, or null if none. */
    public Span span() {
        return span;
    }

    /** 1-based column of the mistake in its line, or -1 if unknown. */
    public int column() {
        return span == null ? -1 : span.column();
    }

    /** 1-based line of the mistake, or -1 if unknown. */
    public int line() {
        return span == null ? -1 : span.line();
    }

    /** The whole expression, or null if unknown. */
    public String expression() {
        return span == null ? null : span.source();
    }
}
