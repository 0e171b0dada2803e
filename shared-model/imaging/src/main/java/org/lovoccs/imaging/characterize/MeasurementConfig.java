package org.lovoccs.imaging.characterize;

/**
 * How footprints are measured.
 *
 * @param apertureRadius  radius of the circular aperture flux, pixels (LSST's calibration aperture is 12 px)
 * @param maxIterations   adaptive-moment iteration cap
 * @param tolerance       relative change of the moments at which the iteration stops
 * @param maxSigma        adaptive moments fail above this weight sigma, pixels
 */
public record MeasurementConfig(double apertureRadius, int maxIterations, double tolerance, double maxSigma) {

    public MeasurementConfig {
        if (!(apertureRadius > 0)) {
            throw new IllegalArgumentException("apertureRadius must be > 0 pixels, got " + apertureRadius);
        }
        if (maxIterations < 1 || !(tolerance > 0) || !(maxSigma > 0)) {
            throw new IllegalArgumentException("need maxIterations >= 1, tolerance > 0, maxSigma > 0");
        }
    }

    /** 12 px aperture, 100 iterations, 1e-6, 40 px. */
    public static MeasurementConfig defaults() {
        return new MeasurementConfig(12.0, 100, 1e-6, 40.0);
    }

    public MeasurementConfig withApertureRadius(double r) {
        return new MeasurementConfig(r, maxIterations, tolerance, maxSigma);
    }
}
