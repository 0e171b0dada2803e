package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

/** pipe_tasks' {@code FinalizeCharacterizationTask}: final PSF and aperture corrections from isolated stars. */
public final class FinalizeCharacterizationTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public FinalizeCharacterizationTask() {
        super("finalizeCharacterization", "lsst.pipe.tasks.finalizeCharacterization.FinalizeCharacterizationTask",
                VISIT);
        real("source_selector.signalToNoise.minimum", 20.0, "minimum S/N of PSF stars");
        real("psf_determiner.spatialOrder", 2.0, "spatial order of the PSF model");
        string("psf_determiner.name", "piff", "PSF determiner");
        inputs("srcs", "src", VISIT_DETECTOR, "SourceCatalog");
        inputs("calexps", "calexp", VISIT_DETECTOR, "ExposureF");
        inputs("isolated_star_cats", "isolated_star_cat", INSTRUMENT_TRACT, "DataFrame");
        inputs("isolated_star_sources", "isolated_star_sources", INSTRUMENT_TRACT, "DataFrame");
        output("finalized_psf_ap_corr_cat", "finalized_psf_ap_corr_catalog", VISIT, "ExposureCatalog");
        output("finalized_src_table", "finalized_src_table", VISIT, "DataFrame");
    }
}
