package org.lovoccs.imaging.photometry;

/**
 * One star of a photometric reference catalogue (PS1-like in g r i z Y, SDSS-like in u), in the band being
 * calibrated.
 *
 * @param id     the catalogue's identifier
 * @param raDeg  ICRS right ascension, degrees
 * @param decDeg ICRS declination, degrees
 * @param mag    AB magnitude in the band
 * @param magErr its 1-sigma error, mag
 */
public record PhotometricReference(long id, double raDeg, double decDeg, double mag, double magErr) {
}
