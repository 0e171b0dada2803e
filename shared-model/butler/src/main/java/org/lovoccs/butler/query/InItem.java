package org.lovoccs.butler.query;

/** An item of an IN list: a value {@link Expression} or a {@link Range}. */
public sealed interface InItem permits Expression, Range {
    /** Where the item came from. */
    Span span();
}
