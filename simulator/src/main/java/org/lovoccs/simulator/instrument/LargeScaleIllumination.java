package org.lovoccs.simulator.instrument;

import java.util.EnumMap;
import java.util.SplittableRandom;

import org.lovoccs.imaging.Band;
import org.lovoccs.imaging.ImageF;
import org.lovoccs.simulator.DecamCamera;
import org.lovoccs.simulator.DecamCcd;

/**
 * The large-scale part of the flat field of one campaign: a smooth function of focal-plane position (mm), the same for
 * every CCD, so neighbouring CCDs join continuously.
 *
 * <p>Model, with {@code rho = r / 225 mm} the distance from the optical axis (focal-plane origin) in units of the
 * focal-plane radius and (X, Y) = (x, y) / 225 mm:
 * <pre>
 *   I_b(x, y) = N_b * (1 - a_b rho^2 - 0.3 a_b rho^4) * (1 + t_x X + t_y Y)
 * </pre>
 * The radial (vignetting-like) falloff {@code a_b} is band-dependent (nominal u 5%, g 4%, r 3.5%, i/z/Y 3%, scaled by
 * a campaign factor in [0.8, 1.2]); the tilt {@code t_x, t_y} is uniform in [-0.5%, 0.5%] per campaign. {@code N_b}
 * makes the mean of I_b over the pixels of all science CCDs of the camera equal to 1. All parameters come from
 * {@code stream(instrumentSeed, ILLUMINATION)}, never from the CCD, so every CCD sees the same function.
 */
public final class LargeScaleIllumination {

    /** Focal-plane radius used to scale positions, mm. */
    public static final double RADIUS_MM = 225.0;

    private final double scale;
    private final double tiltX;
    private final double tiltY;
    private final EnumMap<Band, Double> norm = new EnumMap<>(Band.class);

    /**
     * @param instrumentSeed campaign seed
     * @param camera         the CCDs over which the mean is 1
     */
    public LargeScaleIllumination(long instrumentSeed, DecamCamera camera) {
        SplittableRandom rng = InstrumentStreams.stream(instrumentSeed, InstrumentStreams.ILLUMINATION);
        scale = 0.8 + 0.4 * rng.nextDouble();
        tiltX = 0.01 * (rng.nextDouble() - 0.5);
        tiltY = 0.01 * (rng.nextDouble() - 0.5);
        for (Band b : Band.values()) {
            norm.put(b, 1.0 / meanOverCamera(b, camera));
        }
    }

    /** Radial falloff coefficient a_b (fractional loss at rho = 1 from the rho^2 term). */
    public double falloff(Band band) {
        double nominal = switch (band) {
            case U -> 0.05;
            case G -> 0.04;
            case R -> 0.035;
            case I, Z, Y -> 0.03;
        };
        return nominal * scale;
    }

    /** The illumination at focal-plane position (mm); mean 1 over the camera's pixels. */
    public double value(Band band, double xMm, double yMm) {
        return norm.get(band) * unnormalised(band, xMm, yMm);
    }

    private double unnormalised(Band band, double xMm, double yMm) {
        double a = falloff(band);
        double bx = xMm / RADIUS_MM;
        double by = yMm / RADIUS_MM;
        double rho2 = bx * bx + by * by;
        return (1.0 - a * rho2 - 0.3 * a * rho2 * rho2) * (1.0 + tiltX * bx + tiltY * by);
    }

    /** Mean over a 64 x 128 grid of cell centres on every CCD (the function is a low-order polynomial). */
    private double meanOverCamera(Band band, DecamCamera camera) {
        double sum = 0;
        long n = 0;
        for (DecamCcd c : camera.ccds()) {
            for (int j = 0; j < 128; j++) {
                double y = c.yMinMm() + (j + 0.5) / 128 * (c.yMaxMm() - c.yMinMm());
                for (int i = 0; i < 64; i++) {
                    double x = c.xMinMm() + (i + 0.5) / 64 * (c.xMaxMm() - c.xMinMm());
                    sum += unnormalised(band, x, y);
                    n++;
                }
            }
        }
        return sum / n;
    }

    /** The illumination at every pixel centre of {@code ccd} (2048 x 4096, pixel (i, j) at xMin + (i + 0.5) 15 um). */
    public ImageF image(Band band, DecamCcd ccd) {
        int w = DecamCamera.CCD_WIDTH;
        int h = DecamCamera.CCD_HEIGHT;
        ImageF out = new ImageF(w, h);
        float[] a = out.array();
        double p = DecamCamera.PIXEL_SIZE_MM;
        for (int j = 0; j < h; j++) {
            double y = ccd.yMinMm() + (j + 0.5) * p;
            int base = j * w;
            for (int i = 0; i < w; i++) {
                a[base + i] = (float) value(band, ccd.xMinMm() + (i + 0.5) * p, y);
            }
        }
        return out;
    }
}
