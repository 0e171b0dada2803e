package org.lovoccs.simulator;

import org.lovoccs.imaging.FitsSection;

/**
 * Where one amplifier's pixels go in a raw HDU (FITS sections as written to the header).
 *
 * @param name       amplifier name (A or B), the header keyword suffix
 * @param data       DATASECn
 * @param bias       BIASSECn (serial overscan)
 * @param prescan    PRESECn
 * @param ampSection AMPSECn (readout direction)
 */
public record AmpLayout(String name, FitsSection data, FitsSection bias, FitsSection prescan, FitsSection ampSection) {
}
