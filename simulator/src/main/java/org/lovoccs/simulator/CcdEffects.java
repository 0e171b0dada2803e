package org.lovoccs.simulator;

import java.util.List;

import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.PixelBox;
import org.lovoccs.simulator.instrument.CosmicRays;
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
 */
public record CcdEffects(ImageF flat, double fringeAmplitude, Defects defects, CosmicRays.Result cosmicRays,
                         List<PixelBox> bleedTrails, SatelliteTrail satellite) {

    public CcdEffects {
        bleedTrails = List.copyOf(bleedTrails);
    }
}
