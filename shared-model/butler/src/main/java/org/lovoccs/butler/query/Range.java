package org.lovoccs.butler.query;

/**
 * {@code start..stop[:stride]} inside IN: the integers from start to stop inclusive, every
 * {@code stride}-th one. Only valid in an IN list.
 *
 * @param start  first value
 * @param stop   last value (inclusive), not less than start
 * @param stride step, at least 1
 */
public record Range(long start, long stop, long stride, Span span) implements InItem {
    public Range {
        if (stride < 1) {
            throw new IllegalArgumentException("range stride must be positive");
        }
        if (stop < start) {
            throw new IllegalArgumentException("range stop must not be less than its start");
        }
    }
}
