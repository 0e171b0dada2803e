package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

/** LoVoCCS photo-z (step 18): photometric redshifts of the corrected catalogue. */
public final class PhotoZTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public PhotoZTask() {
        super("photoZ", "lovoccs.photoz.PhotoZTask", TRACT);
        string("code", "BPZ", "photo-z code");
        string("prior", "hdfn_gen", "magnitude prior");
        real("zMin", 0.005, "lowest redshift of the grid");
        real("zMax", 3.5, "highest redshift of the grid");
        real("dz", 0.01, "redshift step");
        integer("interpolatedTemplates", 2, "templates interpolated between each pair");
        input("catalog", "lovoccs_photo_corrected_catalog", TRACT, "DataFrame");
        output("photoz", "lovoccs_photoz_catalog", TRACT, "DataFrame");
    }
}
