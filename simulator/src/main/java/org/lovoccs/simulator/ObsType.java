package org.lovoccs.simulator;

/** Kinds of DECam exposure, with the OBSTYPE header value DECam writes. */
public enum ObsType {
    /** A science exposure of the sky. */
    SCIENCE("object"),
    /** A bias frame: zero exposure time, shutter closed. */
    ZERO("zero"),
    /** A dome flat: the flat-field screen lit by the lamps. */
    DOME_FLAT("dome flat");

    private final String header;

    ObsType(String header) {
        this.header = header;
    }

    /** The OBSTYPE keyword's value. */
    public String headerValue() {
        return header;
    }
}
