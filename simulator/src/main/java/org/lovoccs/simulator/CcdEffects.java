package org.lovoccs.simulator;

import java.util.List;

import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.PixelBox;
import org.lovoccs.simulator.instrument.CosmicRays;
import org.lovoccs.simulator.instrument.CrosstalkTerm;
import org.lovoccs.simulator.instrument.Defects;
import org.lovoccs.simulator.instrument.SatelliteTrail;

/**
 * The instrument signature and transient effects applied to one simulated CCD (campaign exposures with the
 * instrument on). The static parts can be regenerated from the instrument seed ({@code InstrumentModel}).
 *
 * @param flat            the flat field multiplied into the collected charge (null for zeros)
 * @param fringeAmplitude e- per unit of the fringe pattern added before the flat (0 outside z/i/Y science)
 * @param defects         the CCD's defects
 * @param cosmicRays      the cosmic rays added
 * @param bleedTrails     saturated columns' bleed runs
 * @param satellite       the satellite trail, or null
 * @param interCcdCrosstalk the inter-CCD crosstalk terms added to this CCD (victim here, source another CCD of the
 *                        exposure simulated with it; terms whose source CCD was not simulated are not listed): the
 *                        victim amplifier gained coefficient x the source amplifier's signal in ADU above bias
 *                        (after gain and non-linearity, before any crosstalk) at the same readout position
 */
public record CcdEffects(ImageF flat, double fringeAmplitude, Defects defects, CosmicRays.Result cosmicRays,
                         List<PixelBox> bleedTrails, SatelliteTrail satellite, List<CrosstalkTerm> interCcdCrosstalk) {

    public CcdEffects {
        bleedTrails = List.copyOf(bleedTrails);
        interCcdCrosstalk = List.copyOf(interCcdCrosstalk);
    }

    /** Without inter-CCD crosstalk. */
    public CcdEffects(ImageF flat, double fringeAmplitude, Defects defects, CosmicRays.Result cosmicRays,
                      List<PixelBox> bleedTrails, SatelliteTrail satellite) {
        this(flat, fringeAmplitude, defects, cosmicRays, bleedTrails, satellite, List.of());
    }

    /** The same effects with {@code terms} as the inter-CCD crosstalk added. */
    public CcdEffects withInterCcdCrosstalk(List<CrosstalkTerm> terms) {
        return new CcdEffects(flat, fringeAmplitude, defects, cosmicRays, bleedTrails, satellite, terms);
    }

    /** The CCDs whose signal was added to this one as crosstalk, sorted. */
    public List<Integer> crosstalkSourceCcds() {
        return interCcdCrosstalk.stream().map(CrosstalkTerm::sourceCcd).distinct().sorted().toList();
    }
}
