package org.lovoccs.events;

import java.time.Instant;

/**
 * The registry's announcement that a dataset is recorded and readable.
 *
 * @param producer {@code ingest} for raws, else the ID of the quantum that wrote it
 */
public record DatasetReady(String cluster, DatasetRef dataset, String producer, Instant recordedAt) {
}
