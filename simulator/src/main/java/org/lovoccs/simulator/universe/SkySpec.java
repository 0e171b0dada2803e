package org.lovoccs.simulator.universe;

/**
 * What to put on the sky: a circular field, star and galaxy densities, the galaxy faint limit, an optional lens.
 *
 * @param centreRaDeg        field centre RA, degrees [0, 360)
 * @param centreDecDeg       field centre Dec, degrees [-90, 90]
 * @param radiusDeg          field radius, degrees, in (0, 10]
 * @param starsPerDeg2       stars per square degree with 14 &lt;= r &lt;= 24, in [0, 1e6]
 * @param galaxiesPerArcmin2 background galaxies per square arcminute with 18 &lt;= r &lt;= faintLimitR, in [0, 1000]
 * @param faintLimitR        faint r-band limit of the galaxies (and cluster members), in (18.5, 30]
 * @param halo               the lensing cluster halo, or null for an empty field
 * @param seed               master seed; every object is drawn from its own stream of it
 */
public record SkySpec(double centreRaDeg, double centreDecDeg, double radiusDeg, double starsPerDeg2,
                      double galaxiesPerArcmin2, double faintLimitR, NfwHalo halo, long seed) {

    public SkySpec {
        if (!(centreRaDeg >= 0 && centreRaDeg < 360)) {
            throw new IllegalArgumentException("centre RA must be in [0, 360) degrees, got " + centreRaDeg);
        }
        if (!(centreDecDeg >= -90 && centreDecDeg <= 90)) {
            throw new IllegalArgumentException("centre Dec must be in [-90, 90] degrees, got " + centreDecDeg);
        }
        if (!(radiusDeg > 0 && radiusDeg <= 10)) {
            throw new IllegalArgumentException("field radius must be in (0, 10] degrees (DECam: ~1.1), got "
                    + radiusDeg);
        }
        if (!(starsPerDeg2 >= 0 && starsPerDeg2 <= 1e6)) {
            throw new IllegalArgumentException("star density must be in [0, 1e6] per deg^2, got " + starsPerDeg2);
        }
        if (!(galaxiesPerArcmin2 >= 0 && galaxiesPerArcmin2 <= 1000)) {
            throw new IllegalArgumentException("galaxy density must be in [0, 1000] per arcmin^2, got "
                    + galaxiesPerArcmin2);
        }
        if (!(faintLimitR > GalaxyPopulation.BRIGHT_R + 0.5 && faintLimitR <= 30)) {
            throw new IllegalArgumentException("faint limit must be in (18.5, 30] r mag, got " + faintLimitR);
        }
    }

    /** Field area in square degrees (spherical cap). */
    public double areaDeg2() {
        double r = Math.toRadians(radiusDeg);
        return 2 * Math.PI * (1 - Math.cos(r)) * Math.pow(180 / Math.PI, 2);
    }

    /** Draws a uniform position in the field from two uniform deviates; out = (ra, dec) degrees. */
    void uniformPosition(double u1, double u2, double[] out) {
        double cosR = Math.cos(Math.toRadians(radiusDeg));
        double rho = Math.toDegrees(Math.acos(1 - u1 * (1 - cosR)));
        SkyGeometry.offset(centreRaDeg, centreDecDeg, rho, 2 * Math.PI * u2, out);
    }
}
