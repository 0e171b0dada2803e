package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

/** meas_base's {@code ForcedPhotCoaddTask}: forced photometry on a band's coadd at the reference positions. */
public final class ForcedPhotCoaddTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public ForcedPhotCoaddTask() {
        super("forcedPhotCoadd", "lsst.meas.base.forcedPhotCoadd.ForcedPhotCoaddTask", PATCH_BAND);
        string("footprintDatasetName", "ScarletModelData", "where footprints come from");
        bool("doApCorr", true, "apply aperture corrections");
        bool("doConserveFlux", true, "conserve flux when re-distributing blends");
        input("exposure", "deepCoadd_calexp", PATCH_BAND, "ExposureF");
        input("refCat", "deepCoadd_ref", PATCH, "SourceCatalog");
        input("refCatInBand", "deepCoadd_meas", PATCH_BAND, "SourceCatalog");
        input("footprintCatalog", "deepCoadd_scarletModelData", PATCH, "ScarletModelData");
        output("measCat", "deepCoadd_forced_src", PATCH_BAND, "SourceCatalog");
    }
}
