package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

/** pipe_tasks' {@code MergeMeasurementsTask}: picks each object's reference band and writes the reference catalogue. */
public final class MergeMeasurementsTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public MergeMeasurementsTask() {
        super("mergeMeasurements", "lsst.pipe.tasks.mergeMeasurements.MergeMeasurementsTask", PATCH);
        string("priorityList", "i,r,z,g,y,u", "band priority of the reference band");
        string("snName", "base_PsfFlux", "flux used for the S/N cut");
        real("minSN", 10.0, "minimum S/N for a band to be the reference");
        inputs("catalogs", "deepCoadd_meas", PATCH_BAND, "SourceCatalog");
        output("mergedCatalog", "deepCoadd_ref", PATCH, "SourceCatalog");
    }
}
