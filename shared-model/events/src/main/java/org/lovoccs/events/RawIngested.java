package org.lovoccs.events;

import java.time.Instant;
import java.util.List;

/**
 * Ingestion's report of one raw file that passed check_raws: the exposure record and one {@code raw}
 * dataset per detector HDU, each located by the byte range of its HDU in the stored file. Ingestion
 * never writes the registry; the registry records this.
 *
 * @param cluster    the cluster the file was landed for (first folder of its landing key)
 * @param sourceUri  where the file landed
 */
public record RawIngested(String cluster, String instrument, ExposureRecord exposure, String sourceUri,
                          List<DatasetRef> datasets, Instant ingestedAt) {
}
