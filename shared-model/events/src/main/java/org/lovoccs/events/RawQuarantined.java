package org.lovoccs.events;

import java.time.Instant;

/**
 * Ingestion's report of a landed object it refused. The object was moved (never deleted) to
 * {@code quarantineUri}, with the reason stored beside it.
 *
 * @param problem a stable code: NOT_FITS, TRUNCATED, MISSING_KEYWORD, BAD_KEYWORD, UNREADABLE, or
 *                EXPOSURE_ALREADY_INGESTED (landing: the registry holds the exposure for another cluster or with
 *                other pixels)
 * @param reason  a sentence for a human, naming the HDU and keyword where there is one
 */
public record RawQuarantined(String cluster, String sourceUri, String quarantineUri, String problem, String reason,
                             Instant quarantinedAt) {
}
