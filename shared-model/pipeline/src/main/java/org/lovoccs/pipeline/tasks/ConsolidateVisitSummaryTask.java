package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

/** pipe_tasks' {@code ConsolidateVisitSummaryTask}: per-CCD WCS, PSF and photometric calibration of a visit in one catalogue. */
public final class ConsolidateVisitSummaryTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public ConsolidateVisitSummaryTask() {
        super("consolidateVisitSummary", "lsst.pipe.tasks.postprocess.ConsolidateVisitSummaryTask", VISIT);
        bool("full", false, "include the full PSF and aperture-correction models");
        inputs("calexp", "calexp", VISIT_DETECTOR, "ExposureF");
        output("visitSummary", "visitSummary", VISIT, "ExposureCatalog");
    }
}
