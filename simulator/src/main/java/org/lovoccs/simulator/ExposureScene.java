package org.lovoccs.simulator;

import org.lovoccs.simulator.campaign.PlannedExposure;
import org.lovoccs.simulator.universe.SkyCatalog;

/**
 * Everything the simulator needs to draw one exposure of a campaign: the exposure's plan and truth (pointing,
 * PSF field, zero point, sky), the universe (stars and galaxies; null for calibration exposures) and the camera's
 * instrument signature (drawn from {@code instrumentSeed}, the same for every exposure of a campaign).
 *
 * @param clusterName       OBJECT of science exposures
 * @param exposure          the planned exposure
 * @param sky               the sky's objects, or null (calibrations)
 * @param instrumentSeed    seed of the instrument signature
 * @param instrumentEffects whether to apply the instrument signature (flat, fringe, brighter-fatter, defects,
 *                          cosmic rays, bleed, non-linearity, crosstalk, 2-D bias structure)
 */
public record ExposureScene(String clusterName, PlannedExposure exposure, SkyCatalog sky, long instrumentSeed,
                            boolean instrumentEffects) {

    public ExposureScene {
        if (exposure == null) {
            throw new IllegalArgumentException("exposure is required");
        }
        if (exposure.obsType() == ObsType.SCIENCE && sky == null) {
            throw new IllegalArgumentException("a science exposure needs a sky catalogue");
        }
    }
}
