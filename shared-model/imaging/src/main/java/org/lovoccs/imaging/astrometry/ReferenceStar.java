package org.lovoccs.imaging.astrometry;

/**
 * One star of an astrometric reference catalogue.
 *
 * @param id     the catalogue's identifier
 * @param raDeg  ICRS right ascension at the epoch of the observation, degrees
 * @param decDeg ICRS declination, degrees
 * @param mag    a magnitude used only to pick the brightest stars for matching (any band; NaN sorts last)
 */
public record ReferenceStar(long id, double raDeg, double decDeg, double mag) {
}
