package org.lovoccs.ingestion.landing;

/** Where refused raws go: the same bucket, under {@value #PREFIX}, with the reason beside each file. */
public final class Quarantine {
    public static final String PREFIX = "quarantine/";
    public static final String REASON_SUFFIX = ".reason.txt";

    public static String keyFor(String landingKey) {
        return PREFIX + landingKey;
    }

    private Quarantine() {
    }
}
