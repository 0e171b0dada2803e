package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

import java.util.List;

/** jointcal's {@code JointcalTask}: joint astrometric and photometric model of all visits of a tract and filter. */
public final class JointcalTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public JointcalTask() {
        super("jointcal", "lsst.jointcal.JointcalTask", List.of("instrument", "skymap", "tract", "physical_filter"));
        bool("doAstrometry", true, "fit the astrometric model");
        bool("doPhotometry", true, "fit the photometric model");
        string("astrometryModel", "constrained", "simple or constrained");
        string("photometryModel", "constrainedMagnitude", "simpleFlux, constrainedFlux, simpleMagnitude or constrainedMagnitude");
        integer("astrometryVisitOrder", 5, "polynomial order of the per-visit astrometric mapping");
        integer("astrometrySimpleOrder", 3, "polynomial order of the simple astrometric model");
        integer("photometryVisitOrder", 7, "polynomial order of the per-visit photometric mapping");
        string("sourceFluxType", "apFlux_12_0", "flux field of the sources");
        integer("minMeasuredStarsPerCcd", 100, "CCDs with fewer measured stars are dropped");
        bool("writeChi2FilesInitialFinal", false, "write chi2 contributions before and after the fit");
        inputs("inputSourceTableVisit", "sourceTable_visit", VISIT, "DataFrame");
        inputs("inputVisitSummary", "visitSummary", VISIT, "ExposureCatalog");
        prerequisite("doAstrometry", "astrometryRefCat", "gaia_dr2_20200414", HTM7, "SimpleCatalog", true);
        prerequisite("doPhotometry", "photometryRefCat", "ps1_pv3_3pi_20170110", HTM7, "SimpleCatalog", true);
        outputIf("doAstrometry", "outputWcs", "jointcalSkyWcsCatalog", TRACT_VISIT, "ExposureCatalog", true);
        outputIf("doPhotometry", "outputPhotoCalibCatalog", "jointcalPhotoCalibCatalog", TRACT_VISIT, "ExposureCatalog", true);
    }
}
