package org.lovoccs.simulator.sky;

/**
 * A galaxy as it was drawn on one CCD.
 *
 * @param id                   the galaxy's id in the sky catalogue
 * @param x                    column of the centre in the assembled CCD (0-based)
 * @param y                    row of the centre
 * @param lensedFluxElectrons  total flux after magnification, e- (before the flat field)
 * @param renderedElectrons    electrons actually drawn on this CCD (less where the profile leaves the CCD)
 */
public record GalaxyOnCcd(long id, double x, double y, double lensedFluxElectrons, double renderedElectrons) {
}
