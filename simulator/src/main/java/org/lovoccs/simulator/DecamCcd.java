package org.lovoccs.simulator;

import java.util.Map;

/**
 * One DECam science CCD: its number, name and place on the focal plane, and its amplifiers.
 *
 * <p>Focal-plane coordinates are in mm as in obs_decam's chipcenters table. The CCD's 2048 columns run along focal
 * plane x and its 4096 rows along focal plane y; assembled pixel (i, j) (0-based) has its centre at
 * {@code (xMinMm + (i + 0.5) * 0.015, yMinMm + (j + 0.5) * 0.015)}.
 *
 * @param number     CCDNUM, 1-62
 * @param name       DETPOS, e.g. S29 or N4
 * @param xMinMm     focal-plane x of the CCD's low-x edge, mm
 * @param xMaxMm     focal-plane x of the high-x edge, mm
 * @param yMinMm     focal-plane y of the low-y edge, mm
 * @param yMaxMm     focal-plane y of the high-y edge, mm
 * @param amplifiers amplifier characteristics by name (A, B)
 */
public record DecamCcd(int number, String name, double xMinMm, double xMaxMm, double yMinMm, double yMaxMm,
                       Map<String, AmpCharacteristics> amplifiers) {

    public DecamCcd {
        amplifiers = Map.copyOf(amplifiers);
    }

    public double centerXMm() {
        return 0.5 * (xMinMm + xMaxMm);
    }

    public double centerYMm() {
        return 0.5 * (yMinMm + yMaxMm);
    }

    /** The amplifier called {@code name}. */
    public AmpCharacteristics amplifier(String name) {
        AmpCharacteristics a = amplifiers.get(name);
        if (a == null) {
            throw new IllegalArgumentException("CCD " + this.name + " has no amplifier " + name + "; it has "
                    + amplifiers.keySet());
        }
        return a;
    }
}
