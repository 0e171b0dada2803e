package org.lovoccs.simulator.campaign;

import java.nio.file.Path;

/**
 * One file of a campaign, reported as soon as it is complete on disk (raws are written to a temporary name and
 * renamed, so a watcher never sees half a file).
 *
 * @param kind     what the file is
 * @param path     where it is
 * @param exposure the exposure (raws only), else null
 * @param bytes    size
 * @param seconds  time taken to simulate and write it
 */
public record WrittenFile(Kind kind, Path path, PlannedExposure exposure, long bytes, double seconds) {

    /** Kinds of campaign file. */
    public enum Kind {
        SCIENCE_RAW("raw"), CALIBRATION_RAW("calib"), REFERENCE_CATALOG("refcat"), TRUTH("truth"),
        MANIFEST("manifest");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** A short label for progress lines. */
        public String label() {
            return label;
        }
    }
}
