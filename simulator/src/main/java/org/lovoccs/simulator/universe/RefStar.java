package org.lovoccs.simulator.universe;

/**
 * A Gaia-like astrometric reference star (epoch of the simulation; no proper motion or parallax).
 *
 * @param id         truth star id
 * @param raDeg      measured RA, degrees
 * @param decDeg     measured Dec, degrees
 * @param raErrMas   1σ error of RA·cos(Dec) (Gaia's ra_error convention), milliarcseconds
 * @param decErrMas  1σ error of Dec, milliarcseconds
 * @param gMag       measured Gaia-like G magnitude (AB-like, see {@link ReferenceCatalogs#gaiaG})
 * @param gMagErr    1σ error of G, mag
 */
public record RefStar(long id, double raDeg, double decDeg, double raErrMas, double decErrMas, double gMag,
                      double gMagErr) {
}
