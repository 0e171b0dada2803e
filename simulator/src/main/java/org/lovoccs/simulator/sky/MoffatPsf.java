package org.lovoccs.simulator.sky;

/**
 * Moffat profile {@code I(r) = (beta - 1) / (pi alpha^2) * (1 + r^2 / alpha^2)^-beta}, unit total flux, with
 * {@code alpha = FWHM / (2 sqrt(2^(1/beta) - 1))}.
 */
public final class MoffatPsf implements Psf {

    private static final double TRUNCATED_FLUX = 1e-5;

    private final double fwhmPixels;
    private final double beta;
    private final double alpha;
    private final double invAlpha2;
    private final double norm;
    private final int wholePower;
    private final boolean halfPower;

    /**
     * @param fwhmPixels FWHM in pixels
     * @param beta       power-law index, {@code > 1} (ground-based seeing is typically 2.5-4.5)
     */
    public MoffatPsf(double fwhmPixels, double beta) {
        if (!(fwhmPixels > 0) || !(beta > 1)) {
            throw new IllegalArgumentException("Moffat PSF needs FWHM > 0 and beta > 1, got " + fwhmPixels + ", "
                    + beta);
        }
        this.fwhmPixels = fwhmPixels;
        this.beta = beta;
        this.alpha = fwhmPixels / (2.0 * Math.sqrt(Math.pow(2.0, 1.0 / beta) - 1.0));
        this.invAlpha2 = 1.0 / (alpha * alpha);
        this.norm = (beta - 1.0) / (Math.PI * alpha * alpha);
        boolean halfInteger = 2 * beta == Math.rint(2 * beta) && beta <= 16;
        this.wholePower = halfInteger ? (int) Math.floor(beta) : -1;
        this.halfPower = halfInteger && beta != Math.floor(beta);
    }

    public double beta() {
        return beta;
    }

    /** The Moffat scale radius alpha, pixels. */
    public double alpha() {
        return alpha;
    }

    @Override
    public double fwhmPixels() {
        return fwhmPixels;
    }

    @Override
    public double profile(double r2) {
        double t = 1.0 + r2 * invAlpha2;
        if (wholePower < 0) {
            return norm * Math.pow(t, -beta);
        }
        double p = 1.0;
        for (int i = 0; i < wholePower; i++) {
            p *= t;
        }
        if (halfPower) {
            p *= Math.sqrt(t);
        }
        return norm / p;
    }

    @Override
    public double renderRadius() {
        return alpha * Math.sqrt(Math.pow(TRUNCATED_FLUX, 1.0 / (1.0 - beta)) - 1.0);
    }

    @Override
    public double enclosedFraction(double r) {
        return 1.0 - Math.pow(1.0 + r * r * invAlpha2, 1.0 - beta);
    }

    @Override
    public String toString() {
        return "Moffat(fwhm=" + fwhmPixels + " px, beta=" + beta + ")";
    }
}
