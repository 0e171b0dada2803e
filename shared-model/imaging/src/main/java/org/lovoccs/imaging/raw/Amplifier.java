package org.lovoccs.imaging.raw;

import org.lovoccs.imaging.FitsSection;
import org.lovoccs.imaging.PixelBox;

/**
 * One amplifier of a raw CCD HDU, as described by its header keywords (suffix = amplifier name, e.g. A or B).
 *
 * <p>All boxes are 0-based in the raw HDU's pixel grid, except {@link #assembledBox()}, which is 0-based in the
 * assembled (trimmed) CCD: the amplifier's DATASEC relative to the CCD's TRIMSEC.
 *
 * @param name         amplifier name (the keyword suffix)
 * @param data         DATASEC<i>n</i>: the imaging pixels
 * @param bias         BIASSEC<i>n</i>: the serial overscan used for the bias level
 * @param prescan      PRESEC<i>n</i>, or {@code null} if the header has none
 * @param ampSection   AMPSEC<i>n</i> (readout direction; a flipped axis means the amplifier reads that axis
 *                     high-to-low), or {@code null} if the header has none
 * @param assembledBox where the data go in the assembled CCD
 * @param gain         GAIN<i>n</i>, electrons per ADU
 * @param readNoise    RDNOISE<i>n</i>, electrons
 * @param saturation   SATURAT<i>n</i>, raw ADU at and above which a pixel is saturated
 */
public record Amplifier(String name, FitsSection data, FitsSection bias, FitsSection prescan, FitsSection ampSection,
                        PixelBox assembledBox, double gain, double readNoise, double saturation) {

    public PixelBox dataBox() {
        return data.box();
    }

    public PixelBox biasBox() {
        return bias.box();
    }
}
