package org.lovoccs.simulator;

import org.lovoccs.imaging.PixelBox;

/**
 * The true readout properties of one simulated amplifier.
 *
 * @param name          amplifier name (A, B)
 * @param assembledBox  the amplifier's pixels in the assembled CCD (0-based)
 * @param biasAdu       bias level in ADU for every raw row (index 0 = FITS row 1), shared by the data, overscan and
 *                      prescan pixels of that row
 * @param gain          electrons per ADU
 * @param readNoise     read noise, electrons (Gaussian, per pixel)
 * @param saturationAdu raw values are clipped at {@code min(saturationAdu, 65535)}
 */
public record AmpTruth(String name, PixelBox assembledBox, double[] biasAdu, double gain, double readNoise,
                       double saturationAdu) {

    /** Read noise in ADU. */
    public double readNoiseAdu() {
        return readNoise / gain;
    }
}
