package org.lovoccs.simulator;

import java.util.List;

import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.wcs.TanWcs;
import org.lovoccs.simulator.sky.Psf;
import org.lovoccs.simulator.sky.StarTruth;

/**
 * What was put into one simulated CCD, in the assembled CCD's pixel grid (2048x4096 for DECam, 0-based,
 * x = column; pixel (0, 0) is the first pixel of TRIMSEC).
 *
 * @param ccdNum            CCDNUM
 * @param detpos            DETPOS
 * @param expectedElectrons expectation of the collected charge per pixel: sky + stars, e- (no noise)
 * @param noisyElectrons    the Poisson realisation of {@code expectedElectrons} that was read out, e- (before read
 *                          noise, quantisation and saturation)
 * @param skyElectrons      sky level, e- per pixel
 * @param psf               the PSF used for every star
 * @param stars             the stars drawn on this CCD
 * @param amplifiers        per-amplifier bias, gain, read noise and saturation
 * @param wcs               WCS of the assembled pixel grid (the raw header's WCS shifted by the trim offset)
 */
public record CcdTruth(int ccdNum, String detpos, ImageF expectedElectrons, ImageF noisyElectrons,
                       double skyElectrons, Psf psf, List<StarTruth> stars, List<AmpTruth> amplifiers, TanWcs wcs) {

    public CcdTruth {
        stars = List.copyOf(stars);
        amplifiers = List.copyOf(amplifiers);
    }

    /** The amplifier called {@code name}. */
    public AmpTruth amplifier(String name) {
        return amplifiers.stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no amplifier " + name));
    }
}
