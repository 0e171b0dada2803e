package org.lovoccs.simulator;

import java.time.Instant;

import org.lovoccs.imaging.Band;

/**
 * The exposure-level values written into raw headers.
 *
 * @param object        OBJECT
 * @param expnum        EXPNUM
 * @param band          FILTER's band
 * @param dateObs       DATE-OBS
 * @param exptime       EXPTIME, s
 * @param raDeg         telescope RA (commanded)
 * @param decDeg        telescope Dec (commanded)
 * @param obsType       OBSTYPE
 * @param airmass       AIRMASS
 * @param seed          SIMSEED
 * @param seeingArcsec  SIMFWHM (NaN: not written)
 * @param skyElectrons  SIMSKY (NaN: not written)
 */
record HeaderInfo(String object, int expnum, Band band, Instant dateObs, double exptime, double raDeg, double decDeg,
                  ObsType obsType, double airmass, long seed, double seeingArcsec, double skyElectrons) {

    static HeaderInfo of(ExposureSpec spec, double airmass) {
        return new HeaderInfo(spec.clusterName(), spec.expnum(), spec.band(), spec.dateObs(), spec.exptimeSeconds(),
                spec.raDeg(), spec.decDeg(), ObsType.SCIENCE, airmass, spec.seed(), spec.seeingFwhmArcsec(),
                spec.skyElectrons());
    }

    static HeaderInfo of(ExposureScene scene) {
        var e = scene.exposure();
        String object = switch (e.obsType()) {
            case SCIENCE -> scene.clusterName();
            case ZERO -> "zero";
            case DOME_FLAT -> "DECam flat " + e.band().bandName();
        };
        return new HeaderInfo(object, e.expnum(), e.band(), e.dateObs(), e.exptime(), e.commandedRaDeg(),
                e.commandedDecDeg(), e.obsType(), e.airmass(), e.seed(), e.seeingArcsec(),
                e.obsType() == ObsType.SCIENCE ? e.skyElectrons() : Double.NaN);
    }
}
