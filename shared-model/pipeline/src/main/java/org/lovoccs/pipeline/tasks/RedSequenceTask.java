package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

/** LoVoCCS red sequence: the cluster's red-sequence members from the colour-magnitude diagram. */
public final class RedSequenceTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public RedSequenceTask() {
        super("redSequence", "lovoccs.galaxies.RedSequenceTask", TRACT);
        string("colorBands", "g,r", "colour (blue, red band)");
        string("magnitudeBand", "r", "magnitude axis");
        real("clusterRadiusMpc", 1.0, "members within this radius");
        real("sigmaClip", 3.0, "clipping of the red-sequence fit");
        input("catalog", "lovoccs_photo_corrected_catalog", TRACT, "DataFrame");
        output("members", "lovoccs_red_sequence", TRACT, "DataFrame");
    }
}
