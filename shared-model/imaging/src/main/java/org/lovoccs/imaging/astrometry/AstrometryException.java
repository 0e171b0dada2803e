package org.lovoccs.imaging.astrometry;

/** Astrometric calibration failed; the message says why and what could be changed. */
public class AstrometryException extends RuntimeException {
    public AstrometryException(String message) {
        super(message);
    }
}
