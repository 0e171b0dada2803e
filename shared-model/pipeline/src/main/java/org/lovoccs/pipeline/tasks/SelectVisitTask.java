package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

import java.util.List;

/**
 * LoVoCCS's select_visit (seed step 8) over one band's check_visit results: drops detectors farther than
 * {@code maxRadiusDeg} from the cluster's X-ray peak, failing check_visit's cuts, or with too few reference stars
 * (detectors below mean - {@code detectorSigma} sigma, visits below mean - {@code visitSigma} sigma), then visits left
 * with fewer than {@code minGoodDetectors}. Writes every detector's decision ({@code selectVisitDetectors}) and tags
 * the kept detectors' datasets into the TAGGED collection {@code DECam/processing/<cluster>/quality_detectors_<band>}.
 */
public final class SelectVisitTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public SelectVisitTask() {
        super("selectVisit", "lovoccs.quality.SelectVisitTask", List.of("instrument", "band"));
        real("maxRadiusDeg", 1.5, "largest distance of a detector's centre from the X-ray peak, degrees");
        real("detectorSigma", 3.0, "detectors with fewer reference stars than mean - this many sigma are dropped");
        real("visitSigma", 2.0, "visits with fewer reference stars than mean - this many sigma are dropped");
        integer("minGoodDetectors", 10, "visits with fewer good detectors are dropped whole");
        string("xrayPeakRa", "cluster.ra", "X-ray peak RA, degrees; cluster.ra takes the cluster record's");
        string("xrayPeakDec", "cluster.dec", "X-ray peak Dec, degrees; cluster.dec takes the cluster record's");
        string("outputCollection", "quality_detectors_{band}",
                "the TAGGED collection under DECam/processing/<cluster>/ that gets the kept detectors");
        string("taggedDatasetTypes", "calexp,calexpBackground,src", "the kept detectors' dataset types tagged");
        inputs("quality", "ccdQuality", VISIT_DETECTOR, "DataFrame");
        output("selection", "selectVisitDetectors", List.of("instrument", "band"), "DataFrame");
    }
}
