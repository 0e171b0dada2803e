package org.lovoccs.simulator.universe;

import org.lovoccs.imaging.Band;

/**
 * A truth star.
 *
 * @param id     unique star id within a catalogue
 * @param raDeg  right ascension, degrees, [0, 360)
 * @param decDeg declination, degrees
 * @param abMag  AB magnitudes indexed by {@link Band#ordinal()} (u, g, r, i, z, Y); copied in and out
 */
public record Star(long id, double raDeg, double decDeg, double[] abMag) {

    public Star {
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

    /** AB magnitude in {@code band}, without copying. */
    public double mag(Band band) {
        return abMag[band.ordinal()];
    }
}
