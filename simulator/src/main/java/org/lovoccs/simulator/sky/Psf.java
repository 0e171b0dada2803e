package org.lovoccs.simulator.sky;

/**
 * A circular point-spread function in pixel units, normalised to unit total flux.
 *
 * <p>Implementations must be immutable. Spatial variation across the field will be modelled by choosing a Psf per
 * position; a single Psf is a constant PSF.
 */
public interface Psf {

    /** Surface brightness of a unit-flux source at squared distance {@code r2} (pixel^2) from its centre, per pixel^2. */
    double profile(double r2);

    /** Full width at half maximum, pixels. */
    double fwhmPixels();

    /** Radius (pixels) beyond which the profile is not rendered; the flux outside it is below 1e-5 of the total. */
    double renderRadius();

    /** Fraction of the total flux within radius {@code r} pixels (analytic, untruncated profile). */
    double enclosedFraction(double r);
}
