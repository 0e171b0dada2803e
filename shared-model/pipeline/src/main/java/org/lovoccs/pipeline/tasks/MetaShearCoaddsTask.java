package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

/** LoVoCCS meta_4a: five copies of a central patch's coadd with synthetic shears (1p, 1m, 2p, 2m, ns). */
public final class MetaShearCoaddsTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public MetaShearCoaddsTask() {
        super("meta4a", "lovoccs.metadetect.MetaShearCoaddsTask", PATCH_BAND);
        string("shears", "1p,1m,2p,2m,ns", "sheared copies to make");
        real("shearStep", 0.01, "applied shear");
        string("centralPatches", "3,3:8,8", "patch range of the cluster centre");
        input("coadd", "deepCoadd_calexp", PATCH_BAND, "ExposureF");
        output("shearedCoadds", "deepCoadd_metaShear", PATCH_BAND, "MetaShearExposureSet");
    }
}
