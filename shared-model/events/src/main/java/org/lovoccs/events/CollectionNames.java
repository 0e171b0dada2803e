package org.lovoccs.events;

/** Collection names fixed by convention, as the LSST butler names them for DECam. */
public final class CollectionNames {
    /** The RUN every ingested DECam raw belongs to. */
    public static final String RAW_ALL = "DECam/raw/all";

    private CollectionNames() {
    }
}
