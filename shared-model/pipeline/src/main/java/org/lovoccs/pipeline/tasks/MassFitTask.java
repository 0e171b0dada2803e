package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

/** LoVoCCS mass fit (step 21): NFW fit to the reduced tangential shear profile. */
public final class MassFitTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public MassFitTask() {
        super("massFit", "lovoccs.lensing.MassFitTask", TRACT);
        string("profile", "NFW", "density profile");
        string("concentrationRelation", "Duffy08", "mass-concentration relation");
        real("rMinMpc", 0.75, "inner radius of the fit (Mpc)");
        real("rMaxMpc", 3.0, "outer radius of the fit (Mpc)");
        integer("nBins", 8, "radial bins");
        bool("centerOnXray", true, "centre the profile on the X-ray peak");
        input("shearCatalog", "lovoccs_shear_catalog", TRACT, "DataFrame");
        input("photoz", "lovoccs_photoz_catalog", TRACT, "DataFrame");
        output("shearProfile", "lovoccs_shear_profile", TRACT, "DataFrame");
        output("massFit", "lovoccs_mass_fit", TRACT, "StructuredDataDict");
    }
}
