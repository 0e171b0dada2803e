package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

/**
 * check_visit's seeing plot of one visit (PNG): every CCD where it lies on the sky, with its FWHM and ellipticity;
 * the CCDs failing check_visit's cuts in red.
 */
public final class PlotVisitSeeingTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public PlotVisitSeeingTask() {
        super("plotVisitSeeing", "lovoccs.quality.PlotVisitSeeingTask", VISIT);
        inputs("quality", "ccdQuality", VISIT_DETECTOR, "DataFrame");
        output("plot", "seeingPlot", VISIT, "Plot");
    }
}
