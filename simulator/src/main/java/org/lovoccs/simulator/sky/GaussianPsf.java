package org.lovoccs.simulator.sky;

/** Circular Gaussian {@code I(r) = exp(-r^2 / (2 sigma^2)) / (2 pi sigma^2)}, {@code sigma = FWHM / 2.3548}. */
public final class GaussianPsf implements Psf {

    private static final double FWHM_PER_SIGMA = 2.0 * Math.sqrt(2.0 * Math.log(2.0));
    private static final double TRUNCATED_FLUX = 1e-5;

    private final double fwhmPixels;
    private final double sigma;
    private final double halfInvSigma2;
    private final double norm;

    /** @param fwhmPixels FWHM in pixels */
    public GaussianPsf(double fwhmPixels) {
        if (!(fwhmPixels > 0)) {
            throw new IllegalArgumentException("Gaussian PSF needs FWHM > 0, got " + fwhmPixels);
        }
        this.fwhmPixels = fwhmPixels;
        this.sigma = fwhmPixels / FWHM_PER_SIGMA;
        this.halfInvSigma2 = 0.5 / (sigma * sigma);
        this.norm = 1.0 / (2.0 * Math.PI * sigma * sigma);
    }

    public double sigma() {
        return sigma;
    }

    @Override
    public double fwhmPixels() {
        return fwhmPixels;
    }

    @Override
    public double profile(double r2) {
        return norm * Math.exp(-r2 * halfInvSigma2);
    }

    @Override
    public double renderRadius() {
        return sigma * Math.sqrt(-2.0 * Math.log(TRUNCATED_FLUX));
    }

    @Override
    public double enclosedFraction(double r) {
        return 1.0 - Math.exp(-r * r * halfInvSigma2);
    }

    @Override
    public String toString() {
        return "Gaussian(fwhm=" + fwhmPixels + " px)";
    }
}
