package org.lovoccs.simulator.sky;

/**
 * A circular point-spread function in pixel units, normalised to unit total flux.
 *
 * <p>Implementations must be immutable. Spatial variation across the field is modelled by choosing a Psf per
 * position (see {@link PsfField}); a single Psf is a constant PSF.
 */
public interface Psf {

    /** Surface brightness of a unit-flux source at squared distance {@code r2} (pixel^2) from its centre, per pixel^2. */
    double profile(double r2);

    /**
     * Surface brightness at offset (dx, dy) pixels from the centre; circular PSFs depend on the distance only, and
     * elliptical ones override this.
     */
    default double value(double dx, double dy) {
        return profile(dx * dx + dy * dy);
    }

    /** Full width at half maximum, pixels (for an elliptical PSF, the geometric mean of the major and minor axes). */
    double fwhmPixels();

    /** Radius (pixels) beyond which the profile is not rendered; the flux outside it is below 1e-5 of the total. */
    double renderRadius();

    /** Fraction of the total flux within radius {@code r} pixels (analytic, untruncated profile). */
    double enclosedFraction(double r);
}
