package org.lovoccs.simulator.sky;

/**
 * A simulated star as it was put on one CCD.
 *
 * @param id            the star's id: its index within the CCD (random star fields) or its id in the sky catalogue
 * @param x             column of the centre in the assembled CCD, 0-based, pixel centres at integers
 * @param y             row of the centre in the assembled CCD, 0-based
 * @param raDeg         RA of the centre through the CCD's raw WCS, degrees
 * @param decDeg        Dec of the centre, degrees
 * @param magnitude     AB magnitude (with the simulator's nominal zero point for the band)
 * @param fluxElectrons total flux in electrons during the exposure (before truncation of the PSF at 1e-5)
 */
public record StarTruth(long id, double x, double y, double raDeg, double decDeg, double magnitude,
                        double fluxElectrons) {
}
