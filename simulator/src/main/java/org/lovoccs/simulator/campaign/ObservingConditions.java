package org.lovoccs.simulator.campaign;

import org.lovoccs.imaging.Band;
import org.lovoccs.simulator.sky.StarFieldGenerator;

/**
 * Per-band photometric constants of the simulated site and camera: the zero point above the atmosphere (AB
 * magnitude giving 1 e-/s), the extinction coefficient (mag per airmass), the dark-sky brightness (AB mag per
 * arcsec^2) and the default exposure time. Values are typical of DECam at CTIO (DECam exposure-time-calculator
 * order of magnitude; not a calibration).
 */
public final class ObservingConditions {

    private ObservingConditions() {
    }

    /** AB magnitude giving 1 e-/s at airmass 1, no clouds (= the star-field simulator's nominal zero point). */
    public static double zeroPointAirmassOne(Band band) {
        return StarFieldGenerator.nominalZeroPoint(band);
    }

    /** Extinction, mag per airmass. */
    public static double extinction(Band band) {
        return switch (band) {
            case U -> 0.45;
            case G -> 0.20;
            case R -> 0.10;
            case I -> 0.07;
            case Z -> 0.06;
            case Y -> 0.06;
        };
    }

    /** Dark-sky surface brightness, AB mag per arcsec^2. */
    public static double skyBrightness(Band band) {
        return switch (band) {
            case U -> 22.9;
            case G -> 22.1;
            case R -> 21.1;
            case I -> 20.3;
            case Z -> 19.0;
            case Y -> 18.0;
        };
    }

    /** Default science exposure time, s (LoVoCCS-like: longer in u). */
    public static double defaultExptime(Band band) {
        return band == Band.U ? 200.0 : 90.0;
    }

    /**
     * The zero point of one exposure: {@code zp1 - k (X - 1) - clouds}, AB magnitude giving 1 e-/s.
     *
     * @param cloudsMag grey extinction by clouds, mag, {@code >= 0}
     */
    public static double zeroPoint(Band band, double airmass, double cloudsMag) {
        return zeroPointAirmassOne(band) - extinction(band) * (airmass - 1.0) - cloudsMag;
    }

    /** Sky level per pixel during the exposure, e-, for a pixel of {@code pixelScaleArcsec}. */
    public static double skyElectrons(Band band, double zeroPoint, double exptime, double pixelScaleArcsec) {
        return exptime * Math.pow(10.0, -0.4 * (skyBrightness(band) - zeroPoint)) * pixelScaleArcsec
                * pixelScaleArcsec;
    }

    /** Electrons collected from a source of AB magnitude {@code mag}. */
    public static double electrons(double mag, double zeroPoint, double exptime) {
        return exptime * Math.pow(10.0, -0.4 * (mag - zeroPoint));
    }
}
