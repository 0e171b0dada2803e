package org.lovoccs.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Simulations shared by the tests of this module (computed once per JVM). */
final class Fixtures {

    /** Abell 3558 within a second of its meridian transit from CTIO. */
    static final double RA = 202.0;
    static final double DEC = -31.5;
    static final Instant DATE = CtioSite.nextTransit(RA, Instant.parse("2024-03-10T00:00:00Z"))
            .truncatedTo(ChronoUnit.SECONDS);
    static final double SKY = 1000.0;
    static final List<Integer> FILE_CCDS = List.of(1, 28);

    private static SimulatedCcd ccd28;
    private static byte[] file;

    private Fixtures() {
    }

    static ExposureSpec spec() {
        return new ExposureSpec("Abell 3558", 1001, "r", DATE, 90.0, RA, DEC, 1.0, SKY, 200, 42L);
    }

    /** CCD 28 (S4) of {@link #spec()}, with truth. */
    static synchronized SimulatedCcd ccd28() {
        if (ccd28 == null) {
            ccd28 = new RawExposureSimulator().simulateCcd(spec(), 28);
        }
        return ccd28;
    }

    /** The raw file of {@link #spec()} with CCDs 1 (S29) and 28 (S4). */
    static synchronized byte[] file() {
        if (file == null) {
            try {
                file = new RawExposureSimulator().toBytes(spec(), FILE_CCDS);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return file;
    }
}
