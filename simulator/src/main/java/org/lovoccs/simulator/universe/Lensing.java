package org.lovoccs.simulator.universe;

/**
 * Weak-lensing quantities at one source position.
 *
 * <p>Convention: components are in the gnomonic tangent plane at the source with axis 1 toward increasing RA (East)
 * and axis 2 toward North. Shear {@code gamma = gamma1 + i gamma2 = -gamma_t exp(2 i phi)}, with phi the position
 * angle of the source seen from the lens centre measured from East toward North; so a source due East (or West) of
 * the lens has {@code gamma1 = -gamma_t < 0} (stretched North–South, tangentially), one due North has
 * {@code gamma1 > 0}. Reduced shear {@code g = gamma / (1 - kappa)}; {@code magnification =
 * 1 / ((1 - kappa)^2 - |gamma|^2)} is signed (negative between the critical curves).
 *
 * @param kappa         convergence
 * @param gamma1        shear component 1
 * @param gamma2        shear component 2
 * @param g1            reduced shear component 1
 * @param g2            reduced shear component 2
 * @param magnification signed magnification
 */
public record Lensing(double kappa, double gamma1, double gamma2, double g1, double g2, double magnification) {

    /** No lensing: zeros and magnification 1. */
    public static final Lensing NONE = new Lensing(0, 0, 0, 0, 0, 1);

    /** Builds the reduced shear and magnification from kappa and gamma. */
    public static Lensing of(double kappa, double gamma1, double gamma2) {
        double oneMinus = 1 - kappa;
        double mu = 1 / (oneMinus * oneMinus - gamma1 * gamma1 - gamma2 * gamma2);
        return new Lensing(kappa, gamma1, gamma2, gamma1 / oneMinus, gamma2 / oneMinus, mu);
    }
}
