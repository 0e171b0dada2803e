package org.lovoccs.simulator.sky;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.lovoccs.imaging.Band;
import org.lovoccs.imaging.wcs.TanWcs;

/**
 * Draws a field of stars on one CCD: positions uniform over the CCD, magnitudes from
 * {@code dN/dm ∝ 10^(0.25 m)} between {@link #BRIGHT_MAG} and {@link #FAINT_MAG}, fluxes
 * {@code exptime * 10^(-0.4 (m - zp))} with {@link #nominalZeroPoint(Band)}.
 */
public final class StarFieldGenerator {

    /** Brightest magnitude drawn (saturates in a 90 s r exposure under ~1" seeing). */
    public static final double BRIGHT_MAG = 15.0;
    /** Faintest magnitude drawn. */
    public static final double FAINT_MAG = 24.0;
    private static final double SLOPE = 0.25;

    private StarFieldGenerator() {
    }

    /**
     * Simulation zero point of a band: the AB magnitude giving 1 electron per second at the detector (4 m aperture,
     * typical DECam total throughput, airmass ~1.2). Approximate; the truth tables carry fluxes in electrons.
     */
    public static double nominalZeroPoint(Band band) {
        return switch (band) {
            case U -> 25.0;
            case G -> 26.9;
            case R -> 26.9;
            case I -> 26.7;
            case Z -> 26.3;
            case Y -> 25.2;
        };
    }

    /**
     * @param rng             random stream, consumed in a fixed order
     * @param count           number of stars
     * @param width           CCD columns
     * @param height          CCD rows
     * @param band            band, for the zero point
     * @param exptimeSeconds  exposure time
     * @param wcs             WCS of the assembled CCD's pixel grid, for the stars' RA/Dec
     */
    public static List<StarTruth> generate(SplittableRandom rng, int count, int width, int height, Band band,
                                           double exptimeSeconds, TanWcs wcs) {
        double zp = nominalZeroPoint(band);
        double lo = Math.pow(10.0, SLOPE * BRIGHT_MAG);
        double hi = Math.pow(10.0, SLOPE * FAINT_MAG);
        List<StarTruth> stars = new ArrayList<>(count);
        for (int id = 0; id < count; id++) {
            double x = rng.nextDouble() * width - 0.5;
            double y = rng.nextDouble() * height - 0.5;
            double mag = Math.log10(lo + rng.nextDouble() * (hi - lo)) / SLOPE;
            double flux = exptimeSeconds * Math.pow(10.0, -0.4 * (mag - zp));
            double[] sky = wcs.pixelToSky(x, y);
            stars.add(new StarTruth(id, x, y, sky[0], sky[1], mag, flux));
        }
        return stars;
    }
}
