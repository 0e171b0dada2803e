package org.lovoccs.simulator.instrument;

import java.util.SplittableRandom;

import org.lovoccs.imaging.Band;
import org.lovoccs.imaging.ImageF;
import org.lovoccs.simulator.DecamCamera;
import org.lovoccs.simulator.DecamCcd;

/**
 * Fringes of one campaign: thin-film interference in the CCDs' depleted silicon, whose thickness varies slowly over the
 * focal plane. The pattern is {@code F(x, y) = sqrt(2) cos(Phi(x, y))} with focal-plane position (x, y) in mm and the
 * optical phase {@code Phi = sum_k A_k cos(u_k x + v_k y + phi_k)} (4 terms, wavelengths 80-250 mm, random directions,
 * amplitudes such that the rms phase gradient is 2 pi / 40 px); the local fringe period is therefore tens of pixels
 * (about 20-100 px), and {@code F} is continuous across CCD gaps. Where the phase runs over many cycles the mean of
 * {@code cos^2} is 1/2, so {@code F} has unit rms over any region much larger than the fringe period (one CCD: within a
 * few %); it is not renormalised per CCD, to keep the pattern continuous.
 *
 * <p>An exposure adds {@code amplitude * F} electrons, with {@link #amplitudeElectrons} drawn from the exposure seed
 * only (the same for all CCDs of the exposure). The same pattern is used for i, z and Y; other bands have no fringes.
 */
public final class FringeModel {

    private static final int TERMS = 4;
    private static final double RMS_GRADIENT_RAD_PER_MM = 2 * Math.PI / (40 * DecamCamera.PIXEL_SIZE_MM);

    private final double[] amp = new double[TERMS];
    private final double[] u = new double[TERMS];
    private final double[] v = new double[TERMS];
    private final double[] phase = new double[TERMS];

    /** The fringe pattern of campaign {@code instrumentSeed}. */
    public FringeModel(long instrumentSeed) {
        SplittableRandom rng = InstrumentStreams.stream(instrumentSeed, InstrumentStreams.FRINGE);
        // each term's gradient has amplitude g; with random phases the rms |grad Phi| is g sqrt(TERMS / 2)
        double g = RMS_GRADIENT_RAD_PER_MM / Math.sqrt(TERMS / 2.0);
        for (int k = 0; k < TERMS; k++) {
            double wavelength = 80.0 + 170.0 * rng.nextDouble();
            double theta = Math.PI * rng.nextDouble();
            double kk = 2 * Math.PI / wavelength;
            u[k] = kk * Math.cos(theta);
            v[k] = kk * Math.sin(theta);
            amp[k] = g / kk;
            phase[k] = 2 * Math.PI * rng.nextDouble();
        }
    }

    /** The unit-rms pattern at focal-plane position (mm). */
    public double value(double xMm, double yMm) {
        double phi = 0;
        for (int k = 0; k < TERMS; k++) {
            phi += amp[k] * Math.cos(u[k] * xMm + v[k] * yMm + phase[k]);
        }
        return Math.sqrt(2.0) * Math.cos(phi);
    }

    /** The pattern at every pixel centre of {@code ccd}; about 0.3 s for 2048 x 4096. */
    public ImageF image(DecamCcd ccd) {
        int w = DecamCamera.CCD_WIDTH;
        int h = DecamCamera.CCD_HEIGHT;
        double p = DecamCamera.PIXEL_SIZE_MM;
        // cos(a + b) = cos a cos b - sin a sin b with a the column part and b the row part
        double[][] cx = new double[TERMS][w];
        double[][] sx = new double[TERMS][w];
        for (int k = 0; k < TERMS; k++) {
            for (int i = 0; i < w; i++) {
                double a = u[k] * (ccd.xMinMm() + (i + 0.5) * p) + phase[k];
                cx[k][i] = amp[k] * Math.cos(a);
                sx[k][i] = amp[k] * Math.sin(a);
            }
        }
        ImageF out = new ImageF(w, h);
        float[] data = out.array();
        double[] cy = new double[TERMS];
        double[] sy = new double[TERMS];
        double root2 = Math.sqrt(2.0);
        for (int j = 0; j < h; j++) {
            double y = ccd.yMinMm() + (j + 0.5) * p;
            for (int k = 0; k < TERMS; k++) {
                cy[k] = Math.cos(v[k] * y);
                sy[k] = Math.sin(v[k] * y);
            }
            int base = j * w;
            for (int i = 0; i < w; i++) {
                double phi = 0;
                for (int k = 0; k < TERMS; k++) {
                    phi += cx[k][i] * cy[k] - sx[k][i] * sy[k];
                }
                data[base + i] = (float) (root2 * Math.cos(phi));
            }
        }
        return out;
    }

    /**
     * The fringe amplitude of one exposure in electrons (multiply {@link #image} by it): a fraction of the sky level
     * drawn uniformly from the band's range (i 0.2-0.6%, z 1-3%, Y 0.5-1.5%, else 0), from
     * {@code stream(exposureSeed, FRINGE_AMPLITUDE)} only, so all CCDs of an exposure share it.
     *
     * @param skyElectrons sky level of the exposure, e- per pixel
     */
    public static double amplitudeElectrons(long exposureSeed, Band band, double skyElectrons) {
        double lo;
        double hi;
        switch (band) {
            case I -> { lo = 0.002; hi = 0.006; }
            case Z -> { lo = 0.01; hi = 0.03; }
            case Y -> { lo = 0.005; hi = 0.015; }
            default -> { return 0.0; }
        }
        SplittableRandom rng = InstrumentStreams.stream(exposureSeed, InstrumentStreams.FRINGE_AMPLITUDE);
        return skyElectrons * (lo + (hi - lo) * rng.nextDouble());
    }
}
