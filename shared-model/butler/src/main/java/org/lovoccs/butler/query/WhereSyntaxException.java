package org.lovoccs.butler.query;

/**
 * A where expression that does not parse. The message says what was found and what was expected,
 * quotes the expression and puts a caret under the offending column.
 */
public final class WhereSyntaxException extends WhereException {
    /** A syntax error at {@code span}. */
    public WhereSyntaxException(String problem, Span span) {
        super(problem, span);
    }
}
