package org.lovoccs.simulator.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.lovoccs.simulator.DecamCamera;
import org.lovoccs.simulator.DecamCcd;
import org.lovoccs.simulator.ObsType;

/**
 * The simulated sky must reach as far as the campaign's CCDs see, or their outer parts are empty and calibrate
 * fails there for the simulation's sake (the demo's CCD 23 did, in every band, while the sky ended at 0.45 deg).
 * Checked against the simulator's own astrometry of every planned science exposure, not against the formula.
 */
class CampaignFieldRadiusTest {

    /** The largest angular distance, degrees, from the cluster of any pixel corner the CCDs see in any science exposure. */
    private static double farthestSeenDeg(CampaignSpec spec) {
        DecamCamera camera = DecamCamera.standard();
        double ra0 = Math.toRadians(spec.raDeg());
        double dec0 = Math.toRadians(spec.decDeg());
        double farthest = 0;
        for (PlannedExposure e : CampaignPlanner.plan(spec)) {
            if (e.obsType() != ObsType.SCIENCE) {
                continue;
            }
            for (int n : spec.ccds()) {
                DecamCcd ccd = camera.ccd(n);
                for (double x : new double[] {0, DecamCamera.CCD_WIDTH}) {
                    for (double y : new double[] {0, DecamCamera.CCD_HEIGHT}) {
                        double[] s = e.astrometry().pixelToSky(ccd, x, y);
                        double ra = Math.toRadians(s[0]);
                        double dec = Math.toRadians(s[1]);
                        double cos = Math.sin(dec0) * Math.sin(dec) + Math.cos(dec0) * Math.cos(dec) * Math.cos(ra - ra0);
                        farthest = Math.max(farthest, Math.toDegrees(Math.acos(Math.min(1, cos))));
                    }
                }
            }
        }
        return farthest;
    }

    @Test
    void theDemosSkyCoversEveryPixelItsCcdsSee() {
        CampaignSpec demo = CampaignSpec.preset(CampaignSpec.Scale.DEMO, "A85", 10.4583, -9.3031).build();
        double seen = farthestSeenDeg(demo);
        System.out.printf("demo: CCDs see up to %.3f deg from the cluster; simulated sky %.2f deg%n", seen,
                demo.fieldRadiusDeg());
        assertTrue(seen < demo.fieldRadiusDeg(), "the demo's CCDs see " + seen + " deg, beyond its sky of "
                + demo.fieldRadiusDeg());
        assertTrue(demo.radiusSeenDeg() >= seen, "the radius the spec computes must bound what the CCDs see");
        for (int n : demo.ccds()) {
            assertEquals(0.0, demo.fractionBeyondField(n), "CCD " + n);
        }
    }

    @Test
    void aFieldTooSmallForItsCcdsIsMeasured() {
        CampaignSpec small = CampaignSpec.preset(CampaignSpec.Scale.DEMO, "A85", 10.4583, -9.3031)
                .fieldRadiusDeg(0.45).build();
        assertTrue(farthestSeenDeg(small) > 0.45);
        // CCD 23 spans 0.37-0.70 deg from the boresight: most of it is beyond 0.45 deg
        double f23 = small.fractionBeyondField(23);
        assertTrue(f23 > 0.5, "CCD 23 beyond a 0.45 deg sky: " + f23);
        assertEquals(0.0, small.fractionBeyondField(28), "CCD 28 is central");
    }

    @Test
    void theTestPresetsDitheredCornersAreASliverBelowTheWarning() {
        CampaignSpec test = CampaignSpec.preset(CampaignSpec.Scale.TEST, "A85", 10.4583, -9.3031).build();
        for (int n : test.ccds()) {
            double f = test.fractionBeyondField(n);
            assertTrue(f > 0 && f < 0.05, "CCD " + n + ": " + f + " of it may see past 0.22 deg");
        }
    }

    @Test
    void coveringFollowsTheCcdsChosenLater() {
        CampaignSpec central = CampaignSpec.preset(CampaignSpec.Scale.DEMO, "A85", 10.4583, -9.3031)
                .ccds(List.of(28, 35)).build();
        assertTrue(central.fieldRadiusDeg() < 0.30 + 1e-9, "two central CCDs see ~0.25 deg (rounded up to 0.05), got "
                + central.fieldRadiusDeg());
        assertTrue(farthestSeenDeg(central) < central.fieldRadiusDeg());
    }
}
