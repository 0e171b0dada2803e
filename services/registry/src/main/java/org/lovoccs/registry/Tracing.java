package org.lovoccs.registry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/**
 * The W3C {@code traceparent} of the span being processed, so that an event written to the outbox
 * now and published later still belongs to the trace of the message that caused it.
 */
public final class Tracing {
    /** The current span's traceparent, or null when there is no valid span (tracing off). */
    public static String currentTraceparent() {
        SpanContext c = Span.current().getSpanContext();
        if (!c.isValid()) {
            return null;
        }
        return "00-" + c.getTraceId() + "-" + c.getSpanId() + "-" + c.getTraceFlags().asHex();
    }

    private Tracing() {
    }
}
