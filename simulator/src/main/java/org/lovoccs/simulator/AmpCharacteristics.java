package org.lovoccs.simulator;

/**
 * Electronic characteristics of one DECam amplifier, from obs_decam's segment file.
 *
 * @param name          amplifier name, A or B
 * @param gain          electrons per ADU
 * @param readNoise     read noise, electrons
 * @param saturationAdu raw ADU at which the amplifier saturates (written as SATURATn)
 */
public record AmpCharacteristics(String name, double gain, double readNoise, double saturationAdu) {
}
