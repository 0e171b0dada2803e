package org.lovoccs.simulator.universe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.Band;

class SyntheticPhotometryTest {

    private final SyntheticPhotometry phot = SyntheticPhotometry.get();

    /** f_ν = 3631 Jy at all frequencies, tabulated every 10 Å as f_λ = f_ν c / λ^2. */
    private static SedTemplate flatFnu() {
        int n = 3000;
        double[] lam = new double[n];
        double[] f = new double[n];
        for (int i = 0; i < n; i++) {
            lam[i] = 500 + 10.0 * i;
            f[i] = 3631e-23 * 2.99792458e18 / (lam[i] * lam[i]);
        }
        return new SedTemplate("flat", lam, f);
    }

    @Test
    void filtersAreReadInNanometresAndOrdered() {
        double prev = 0;
        for (Band b : Band.values()) {
            double mean = FilterCurve.decam(b).meanWavelengthAngstrom();
            assertTrue(mean > prev, b + " " + mean);
            prev = mean;
        }
        // DECam r is centred near 6415 Å (FILTER keyword), g near 4720 Å
        assertEquals(6415, FilterCurve.decam(Band.R).meanWavelengthAngstrom(), 200);
        assertEquals(4720, FilterCurve.decam(Band.G).meanWavelengthAngstrom(), 200);
        assertEquals(SedTemplate.TYPES, SedTemplate.listedTypes());
    }

    @Test
    void flatFnuSourceHasZeroAbMagnitudesAndColours() {
        SedTemplate flat = flatFnu();
        for (Band b : Band.values()) {
            assertEquals(0.0, phot.abMagnitude(flat, b, 0.0), 1e-3, "AB mag of 3631 Jy in " + b);
            double colourAtZ = phot.abMagnitude(flat, b, 0.7) - phot.abMagnitude(flat, Band.R, 0.7);
            assertEquals(0.0, colourAtZ, 1e-3, b + "-r at z=0.7");
        }
    }

    @Test
    void ellipticalIsRedderWithRedshiftAndSensibleAtZeroRedshift() {
        double gr0 = phot.colour("El", Band.G, Band.R, 0.0);
        assertTrue(gr0 > 0.7 && gr0 < 0.9, "El g-r at z=0: " + gr0);
        double ri0 = phot.colour("El", Band.R, Band.I, 0.0);
        assertTrue(ri0 > 0.25 && ri0 < 0.5, "El r-i at z=0: " + ri0);
        double prev = gr0;
        // g-r rises while the 4000 Å break crosses g (to z ~ 0.4), then levels off as the break leaves g
        for (double z = 0.02; z <= 0.4 + 1e-9; z += 0.02) {
            double gr = phot.colour("El", Band.G, Band.R, z);
            assertTrue(gr > prev, "El g-r not increasing at z=" + z + ": " + gr + " <= " + prev);
            prev = gr;
        }
        assertTrue(prev > 1.5, "El g-r at z=0.4: " + prev);
        double gr05 = phot.colour("El", Band.G, Band.R, 0.5);
        assertTrue(Math.abs(gr05 - prev) < 0.1, "El g-r should level off: " + gr05);
        // past z ~ 0.4 the break moves into r and r-i reddens instead
        assertTrue(phot.colour("El", Band.R, Band.I, 0.6) > phot.colour("El", Band.R, Band.I, 0.4) + 0.3);
        // star-forming templates are bluer than El at the same redshift
        assertTrue(phot.colour("SB2", Band.G, Band.R, 0.1) < phot.colour("Sbc", Band.G, Band.R, 0.1));
        assertTrue(phot.colour("Sbc", Band.G, Band.R, 0.1) < gr0 + 0.2);
    }

    @Test
    void tableInterpolationWithinOneMillimag() {
        SplittableRandom rng = new SplittableRandom(7);
        double worst = 0;
        for (String type : SedTemplate.TYPES) {
            int t = SyntheticPhotometry.typeIndex(type);
            SedTemplate sed = SedTemplate.bundled(type);
            for (int k = 0; k < 400; k++) {
                double z = rng.nextDouble() * SyntheticPhotometry.Z_MAX;
                for (Band b : Band.values()) {
                    double direct = phot.abMagnitude(sed, b, z);
                    // skip bands where the template has essentially no flux (more than 8 mag below r)
                    if (Double.isFinite(direct) && direct - phot.abMagnitude(sed, Band.R, z) < 8) {
                        double err = Math.abs(direct - phot.magnitude(t, b, z));
                        worst = Math.max(worst, err);
                    }
                }
            }
        }
        assertTrue(worst < 1e-3, "worst interpolation error " + worst + " mag");
    }

    @Test
    void kCorrectionOfElIsPositiveAndGrowsInG() {
        int el = SyntheticPhotometry.typeIndex("El");
        assertEquals(0.0, phot.kCorrection(el, Band.R, 0.0), 1e-12);
        assertTrue(phot.kCorrection(el, Band.G, 0.3) > phot.kCorrection(el, Band.G, 0.1));
        assertTrue(phot.kCorrection(el, Band.R, 0.3) > 0.2, "" + phot.kCorrection(el, Band.R, 0.3));
    }
}
