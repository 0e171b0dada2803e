package org.lovoccs.events;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.UUID;

/**
 * A resolved reference to one dataset, as daf_butler's DatasetRef: ID, type, RUN collection, data ID,
 * and (once written) where its bytes are.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetRef(UUID id, String datasetType, String run, DataId dataId, StorageLocation location) {
    /** A ref for an output that is yet to be written, with its deterministic ID. */
    public static DatasetRef planned(DatasetType type, String run, DataId dataId, String uri) {
        DataId required = type.required(dataId);
        return new DatasetRef(DatasetIds.deterministic(type, run, required), type.name(), run, required,
                new StorageLocation(uri, null, null, null));
    }

    public DatasetRef withLocation(StorageLocation loc) {
        return new DatasetRef(id, datasetType, run, dataId, loc);
    }
}
