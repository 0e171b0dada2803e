package org.lovoccs.events;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * The exposure dimension record ingestion reads from a raw's primary header.
 *
 * @param exposure       EXPNUM
 * @param dayObs         observing day as YYYYMMDD: the UTC date of DATE-OBS shifted by -12 h, so one
 *                       night's exposures share a day_obs (the Rubin convention)
 * @param physicalFilter FILTER as DECam writes it, e.g. {@code r DECam SDSS c0002 6415.0 1480.0}
 * @param band           the abstract band, the first word of FILTER (u, g, r, i, z, Y)
 * @param obsStart       DATE-OBS (UTC)
 * @param exposureTime   EXPTIME, seconds
 * @param target         OBJECT
 * @param ra             telescope RA of the pointing, degrees (null when the header has none)
 * @param dec            telescope Dec of the pointing, degrees (null when the header has none)
 * @param observationType OBSTYPE (object, zero, dome flat ...)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExposureRecord(long exposure, long dayObs, String physicalFilter, String band, Instant obsStart,
                             double exposureTime, String target, Double ra, Double dec, String observationType) {
}
