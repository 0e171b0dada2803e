package org.lovoccs.simulator;

import java.util.List;

import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.wcs.TanWcs;
import org.lovoccs.simulator.optics.ExposureAstrometry;
import org.lovoccs.simulator.sky.GalaxyOnCcd;
import org.lovoccs.simulator.sky.Psf;
import org.lovoccs.simulator.sky.PsfField;
import org.lovoccs.simulator.sky.StarTruth;

/**
 * What was put into one simulated CCD, in the assembled CCD's pixel grid (2048x4096 for DECam, 0-based,
 * x = column; pixel (0, 0) is the first pixel of TRIMSEC).
 *
 * @param ccdNum            CCDNUM
 * @param detpos            DETPOS
 * @param expectedElectrons the light arriving on each pixel: sky + stars + galaxies, e- (no noise, no instrument
 *                          signature: what a perfect ISR recovers)
 * @param noisyElectrons    the charge that was read out, e- (before read noise, quantisation and saturation): a
 *                          Poisson realisation of {@code expectedElectrons}, or, with the instrument on, of
 *                          {@code flat x (expected + fringes)}, redistributed by brighter-fatter, plus defects, cosmic
 *                          rays and bleed trails
 * @param skyElectrons      sky level, e- per pixel
 * @param psf               the PSF used for every star
 * @param stars             the stars drawn on this CCD
 * @param amplifiers        per-amplifier bias, gain, read noise and saturation
 * @param wcs               WCS of the assembled pixel grid (the raw header's WCS shifted by the trim offset); for
 *                          campaign exposures this is the commanded, distortion-free WCS, and {@code astrometry} is
 *                          the truth
 * @param galaxies          the galaxies drawn on this CCD (campaign exposures)
 * @param astrometry        the true pixel-to-sky mapping (campaign exposures), or null
 * @param psfField          the exposure's true PSF field (campaign science exposures), or null
 * @param effects           the instrument signature applied, or null when the instrument is off
 */
public record CcdTruth(int ccdNum, String detpos, ImageF expectedElectrons, ImageF noisyElectrons,
                       double skyElectrons, Psf psf, List<StarTruth> stars, List<AmpTruth> amplifiers, TanWcs wcs,
                       List<GalaxyOnCcd> galaxies, ExposureAstrometry astrometry, PsfField psfField,
                       CcdEffects effects) {

    public CcdTruth {
        stars = List.copyOf(stars);
        amplifiers = List.copyOf(amplifiers);
        galaxies = List.copyOf(galaxies);
    }

    /** A CCD of a random star field with a constant PSF and no instrument signature. */
    public CcdTruth(int ccdNum, String detpos, ImageF expectedElectrons, ImageF noisyElectrons, double skyElectrons,
                    Psf psf, List<StarTruth> stars, List<AmpTruth> amplifiers, TanWcs wcs) {
        this(ccdNum, detpos, expectedElectrons, noisyElectrons, skyElectrons, psf, stars, amplifiers, wcs, List.of(),
                null, null, null);
    }

    /** The same truth with {@code effects} as the instrument signature applied. */
    public CcdTruth withEffects(CcdEffects effects) {
        return new CcdTruth(ccdNum, detpos, expectedElectrons, noisyElectrons, skyElectrons, psf, stars, amplifiers,
                wcs, galaxies, astrometry, psfField, effects);
    }

    /** The amplifier called {@code name}. */
    public AmpTruth amplifier(String name) {
        return amplifiers.stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no amplifier " + name));
    }
}
