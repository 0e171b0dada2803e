package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

import java.util.List;

/** pipe_tasks' {@code MergeDetectionsTask}: merges the per-band detections of a patch and adds sky objects. */
public final class MergeDetectionsTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public MergeDetectionsTask() {
        super("mergeDetections", "lsst.pipe.tasks.mergeDetections.MergeDetectionsTask", PATCH);
        string("priorityList", "i,r,z,g,y,u", "band priority of peak positions");
        real("minNewPeak", 1.0, "minimum distance (pixels) of a new peak from existing ones");
        integer("skyObjects.nSources", 100, "sky objects per patch");
        bool("doSkyObjects", true, "add sky objects");
        inputs("catalogs", "deepCoadd_det", PATCH_BAND, "SourceCatalog");
        prerequisite(null, "skyMap", "skyMap", List.of("skymap"), "SkyMap", false);
        output("outputCatalog", "deepCoadd_mergeDet", PATCH, "SourceCatalog");
    }
}
