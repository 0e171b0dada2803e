package org.lovoccs.simulator;

/**
 * How the CCD HDUs of a simulated raw file are stored.
 */
public enum RawEncoding {
    /** Uncompressed IMAGE HDUs (BITPIX = 16, BZERO = 32768); file suffix {@code .fits}. */
    PLAIN(".fits"),
    /**
     * Rice tile compression as fpack does it by default and as the NOIRLab archive serves DECam raws: each CCD a
     * BINTABLE HDU with ZIMAGE = T, ZCMPTYPE = 'RICE_1', one row per tile, lossless; the primary HDU stays an empty,
     * uncompressed primary. File suffix {@code .fits.fz}.
     */
    RICE(".fits.fz");

    private final String suffix;

    RawEncoding(String suffix) {
        this.suffix = suffix;
    }

    /** The conventional file name suffix, with its leading dot. */
    public String fileSuffix() {
        return suffix;
    }
}
