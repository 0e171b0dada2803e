package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

import java.util.List;

/** pipe_tasks' {@code UpdateVisitSummaryTask}: the visit summary with jointcal's WCS/zero points and the final PSFs. */
public final class UpdateVisitSummaryTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public UpdateVisitSummaryTask() {
        super("updateVisitSummary", "lsst.pipe.tasks.update_visit_summary.UpdateVisitSummaryTask", VISIT);
        string("wcs_provider", "tract_wcs", "input_summary or tract_wcs");
        string("photo_calib_provider", "tract", "input_summary, global or tract");
        string("background_provider", "input_summary", "input_summary or replacement");
        input("input_summary_catalog", "visitSummary", VISIT, "ExposureCatalog");
        inputs("input_exposures", "calexp", VISIT_DETECTOR, "ExposureF");
        input("psf_overrides", "finalized_psf_ap_corr_catalog", VISIT, "ExposureCatalog");
        inputs("wcs_overrides_tract", "jointcalSkyWcsCatalog", TRACT_VISIT, "ExposureCatalog");
        inputs("photo_calib_overrides_tract", "jointcalPhotoCalibCatalog", TRACT_VISIT, "ExposureCatalog");
        prerequisite(null, "skymap", "skyMap", List.of("skymap"), "SkyMap", false);
        output("output_summary_catalog", "finalVisitSummary", VISIT, "ExposureCatalog");
    }
}
