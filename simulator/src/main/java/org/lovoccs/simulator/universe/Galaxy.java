package org.lovoccs.simulator.universe;

import org.lovoccs.imaging.Band;

/**
 * A truth galaxy: a bulge (de Vaucouleurs) plus disk (exponential) light profile with a common ellipticity.
 *
 * <p>Ellipticities use the reduced-shear convention {@code ε = (a-b)/(a+b) exp(2iθ)} in the same axes as the shear
 * (see {@link Lensing}: axis 1 toward East, axis 2 toward North, θ measured from East toward North). The lensed
 * ellipticity is {@code ε = (ε_s + g) / (1 + g* ε_s)} for |g| &lt; 1 and {@code (1 + g ε_s*) / (ε_s* + g*)} for
 * |g| &gt;= 1 (Seitz &amp; Schneider 1997). {@code abMag} are the UNLENSED apparent AB magnitudes: a renderer
 * brightens by {@code -2.5 log10 |magnification|} and scales sizes by {@code sqrt|magnification|}.
 *
 * @param id                   unique galaxy id within a catalogue
 * @param raDeg                right ascension, degrees, [0, 360) (unlensed = observed: deflection is not modelled)
 * @param decDeg               declination, degrees
 * @param redshift             redshift
 * @param sedType              one of {@link SedTemplate#TYPES}
 * @param abMag                unlensed AB magnitudes indexed by {@link Band#ordinal()}; copied in and out
 * @param bulgeFraction        bulge-to-total flux ratio, [0, 1]
 * @param diskHalfLightArcsec  disk half-light radius (along the geometric mean of the axes), arcsec
 * @param bulgeHalfLightArcsec bulge half-light radius, arcsec
 * @param e1Intrinsic          intrinsic ellipticity component 1
 * @param e2Intrinsic          intrinsic ellipticity component 2
 * @param kappa                convergence
 * @param gamma1               shear component 1
 * @param gamma2               shear component 2
 * @param g1                   reduced shear component 1
 * @param g2                   reduced shear component 2
 * @param magnification        signed magnification
 * @param e1Lensed             lensed ellipticity component 1
 * @param e2Lensed             lensed ellipticity component 2
 * @param clusterMember        true for red-sequence cluster members (not lensed)
 */
public record Galaxy(long id, double raDeg, double decDeg, double redshift, String sedType, double[] abMag,
                     double bulgeFraction, double diskHalfLightArcsec, double bulgeHalfLightArcsec,
                     double e1Intrinsic, double e2Intrinsic, double kappa, double gamma1, double gamma2,
                     double g1, double g2, double magnification, double e1Lensed, double e2Lensed,
                     boolean clusterMember) {

    public Galaxy {
        if (abMag.length != Band.values().length) {
            throw new IllegalArgumentException("abMag needs one value per band (" + Band.validNames() + ")");
        }
        abMag = abMag.clone();
    }

    /** A copy of the magnitudes. */
    @Override
    public double[] abMag() {
        return abMag.clone();
    }

    /** Unlensed AB magnitude in {@code band}, without copying. */
    public double mag(Band band) {
        return abMag[band.ordinal()];
    }

    /**
     * Applies reduced shear (g1, g2) to a source ellipticity (e1, e2); {@code out[0..1]} = lensed ellipticity.
     */
    public static void shear(double e1, double e2, double g1, double g2, double[] out) {
        double gg = g1 * g1 + g2 * g2;
        if (gg < 1) {
            // (e + g) / (1 + conj(g) e)
            double nr = e1 + g1;
            double ni = e2 + g2;
            double dr = 1 + g1 * e1 + g2 * e2;
            double di = g1 * e2 - g2 * e1;
            double d = dr * dr + di * di;
            out[0] = (nr * dr + ni * di) / d;
            out[1] = (ni * dr - nr * di) / d;
        } else {
            // (1 + g conj(e)) / (conj(e) + conj(g))
            double nr = 1 + g1 * e1 + g2 * e2;
            double ni = g2 * e1 - g1 * e2;
            double dr = e1 + g1;
            double di = -(e2 + g2);
            double d = dr * dr + di * di;
            out[0] = (nr * dr + ni * di) / d;
            out[1] = (ni * dr - nr * di) / d;
        }
    }
}
