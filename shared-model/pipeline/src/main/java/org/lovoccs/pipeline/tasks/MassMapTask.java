package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

/** LoVoCCS mass map (step 20): aperture-mass / convergence map across the cluster field. */
public final class MassMapTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public MassMapTask() {
        super("massMap", "lovoccs.lensing.MassMapTask", TRACT);
        string("method", "aperture_mass", "aperture_mass or kaiser_squires");
        string("filter", "schirmer", "aperture-mass filter");
        real("pixelScaleArcsec", 20.0, "map pixel (arcsec)");
        real("filterRadiusArcmin", 15.0, "aperture radius (arcmin)");
        real("zMinSource", 0.1, "background galaxies start this far behind the cluster redshift");
        integer("nRandomizations", 100, "shape-noise randomizations for the S/N map");
        input("shearCatalog", "lovoccs_shear_catalog", TRACT, "DataFrame");
        input("photoz", "lovoccs_photoz_catalog", TRACT, "DataFrame");
        output("massMap", "lovoccs_mass_map", TRACT, "ImageF");
        output("snrMap", "lovoccs_mass_map_snr", TRACT, "ImageF");
    }
}
