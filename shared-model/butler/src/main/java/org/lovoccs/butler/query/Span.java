package org.lovoccs.butler.query;

import java.util.Objects;

/**
 * Where a node of a parsed expression came from: characters {@code [start, stop)} of
 * {@code source}. Used to point at mistakes with a caret line.
 *
 * @param source the whole expression text
 * @param start  offset of the first character (0-based)
 * @param stop   offset just after the last character
 */
public record Span(String source, int start, int stop) {
    public Span {
        Objects.requireNonNull(source, "source");
        if (start < 0 || stop < start || stop > source.length()) {
            throw new IllegalArgumentException("bad span [" + start + ", " + stop + ") of " + source.length() + " chars");
        }
    }

    /** 1-based line of {@link #start()}. */
    public int line() {
        int line = 1;
        for (int i = 0; i < start; i++) {
            if (source.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** 1-based column of {@link #start()} within its line. */
    public int column() {
        int lineStart = source.lastIndexOf('\n', start - 1) + 1;
        return start - lineStart + 1;
    }

    /** The covered text. */
    public String text() {
        return source.substring(start, stop);
    }

    /** The span covering both this and {@code other} (same source). */
    public Span to(Span other) {
        return new Span(source, Math.min(start, other.start), Math.max(stop, other.stop));
    }

    /**
     * Two lines: the source line containing {@link #start()}, and under it a caret line marking
     * the span ({@code ^^^}, at least one caret, not past the end of the line).
     */
    public String caretLines() {
        int lineStart = source.lastIndexOf('\n', start - 1) + 1;
        int lineEnd = source.indexOf('\n', start);
        if (lineEnd < 0) {
            lineEnd = source.length();
        }
        String line = source.substring(lineStart, lineEnd).replace("\r", "");
        StringBuilder caret = new StringBuilder();
        for (int i = lineStart; i < start; i++) {
            caret.append(source.charAt(i) == '\t' ? '\t' : ' ');
        }
        int width = Math.max(1, Math.min(stop, lineEnd) - start);
        caret.append("^".repeat(width));
        return "  " + line + "\n  " + caret;
    }
}
