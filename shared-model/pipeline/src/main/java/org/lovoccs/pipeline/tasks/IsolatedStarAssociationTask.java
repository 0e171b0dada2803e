package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

import java.util.List;

/** pipe_tasks' {@code IsolatedStarAssociationTask}: matches isolated stars across visits of a tract. */
public final class IsolatedStarAssociationTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public IsolatedStarAssociationTask() {
        super("isolatedStarAssociation", "lsst.pipe.tasks.isolatedStarAssociation.IsolatedStarAssociationTask",
                INSTRUMENT_TRACT);
        real("matchRadius", 1.0, "match radius (arcsec)");
        real("isolationRadius", 2.0, "stars with a neighbour closer than this (arcsec) are dropped");
        string("bandOrder", "i,z,r,g,y,u", "band preference for the star positions");
        string("instFlux", "apFlux_12_0_instFlux", "flux column used for the signal-to-noise cut");
        real("minSourceSnr", 5.0, "minimum signal-to-noise of a source");
        inputs("source_table_visit", "sourceTable_visit", VISIT, "DataFrame");
        prerequisite(null, "skymap", "skyMap", List.of("skymap"), "SkyMap", false);
        output("isolated_star_sources", "isolated_star_sources", INSTRUMENT_TRACT, "DataFrame");
        output("isolated_star_cat", "isolated_star_cat", INSTRUMENT_TRACT, "DataFrame");
    }
}
