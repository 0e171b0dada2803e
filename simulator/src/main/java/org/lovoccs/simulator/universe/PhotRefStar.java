package org.lovoccs.simulator.universe;

/**
 * A photometric reference star in one band.
 *
 * @param id     truth star id
 * @param raDeg  measured RA, degrees
 * @param decDeg measured Dec, degrees
 * @param mag    measured AB magnitude
 * @param magErr reported 1σ magnitude error
 */
public record PhotRefStar(long id, double raDeg, double decDeg, double mag, double magErr) {
}
