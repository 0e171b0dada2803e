package org.lovoccs.simulator.sky;

/**
 * A circular PSF sheared by an area-preserving linear map, so that its isophotes are ellipses with ellipticity
 * {@code g = (a - b) / (a + b) exp(2 i theta)} (the reduced-shear convention) in the pixel frame (axis 1 along
 * columns, axis 2 along rows).
 *
 * <p>{@code I(x) = I_circ(|S^-1 x|)} with {@code S = [[1 + g1, g2], [g2, 1 - g1]] / sqrt(1 - |g|^2)}, det S = 1, so
 * the flux is unchanged and the FWHM reported is the circular one: the geometric mean of the major and minor
 * axes' FWHM. Its second-moment ellipticity in the distortion convention is {@code e = 2 g / (1 + |g|^2)}.
 */
public final class EllipticalPsf implements Psf {

    private final Psf circular;
    private final double g1;
    private final double g2;
    private final double i11;
    private final double i12;
    private final double i22;
    private final double radius;

    /**
     * @param circular the circular profile
     * @param g1       ellipticity along the pixel axes
     * @param g2       ellipticity along the diagonals
     */
    public EllipticalPsf(Psf circular, double g1, double g2) {
        double g = Math.hypot(g1, g2);
        if (!(g < 0.9)) {
            throw new IllegalArgumentException("PSF ellipticity |g| must be < 0.9, got " + g);
        }
        this.circular = circular;
        this.g1 = g1;
        this.g2 = g2;
        double n = 1.0 / Math.sqrt(1.0 - g * g);
        this.i11 = (1.0 - g1) * n;
        this.i12 = -g2 * n;
        this.i22 = (1.0 + g1) * n;
        this.radius = circular.renderRadius() * (1.0 + g) * n;
    }

    public Psf circular() {
        return circular;
    }

    public double g1() {
        return g1;
    }

    public double g2() {
        return g2;
    }

    @Override
    public double value(double dx, double dy) {
        double u = i11 * dx + i12 * dy;
        double v = i12 * dx + i22 * dy;
        return circular.profile(u * u + v * v);
    }

    /** The circular profile at squared radius {@code r2} (the profile along the un-sheared radius). */
    @Override
    public double profile(double r2) {
        return circular.profile(r2);
    }

    @Override
    public double fwhmPixels() {
        return circular.fwhmPixels();
    }

    @Override
    public double renderRadius() {
        return radius;
    }

    /**
     * Fraction of the flux inside the ellipse that the circle of radius {@code r} becomes under S (the map preserves
     * area and flux, so it equals the circular profile's enclosed fraction).
     */
    @Override
    public double enclosedFraction(double r) {
        return circular.enclosedFraction(r);
    }

    @Override
    public String toString() {
        return circular + " sheared by g=(" + g1 + ", " + g2 + ")";
    }
}
