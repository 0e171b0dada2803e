package org.lovoccs.simulator.instrument;

import org.lovoccs.imaging.Band;
import org.lovoccs.imaging.ImageF;

/**
 * Expected charge (e- per pixel, assembled CCD) of calibration exposures, to be read out by the simulator like any
 * exposure (Poisson, bias with {@link BiasStructure}, read noise, gain).
 */
public final class CalibrationIllumination {

    private CalibrationIllumination() {
    }

    /** A zero (bias): no light and exposure time 0, so no charge at all; its signal is the bias and its structure. */
    public static ImageF zero(InstrumentModel model) {
        return new ImageF(model.width(), model.height());
    }

    /**
     * A dome flat: a uniform lamp of {@code levelElectrons} e- per pixel times the flat field of {@code band} (the
     * dome screen is assumed to illuminate the focal plane like the sky; no fringes, no stars).
     */
    public static ImageF domeFlat(InstrumentModel model, Band band, double levelElectrons) {
        if (!(levelElectrons >= 0)) {
            throw new IllegalArgumentException("lamp level must be >= 0 e-: " + levelElectrons);
        }
        ImageF f = model.flat(band);
        float[] a = f.array();
        for (int k = 0; k < a.length; k++) {
            a[k] = (float) (a[k] * levelElectrons);
        }
        return f;
    }
}
