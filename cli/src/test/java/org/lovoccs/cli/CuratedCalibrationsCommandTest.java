package org.lovoccs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class CuratedCalibrationsCommandTest {

    private static final Instant FIRST_LIGHT = Instant.parse("2012-09-01T00:00:00Z");

    @Test
    void registryValidityTextIsComparedWithTheRequestedRange() {
        assertTrue(CuratedCalibrationsCommand.sameRange("[\"2012-09-01 00:00:00+00\",)", FIRST_LIGHT, null));
        assertTrue(CuratedCalibrationsCommand.sameRange("[\"2012-08-31 20:00:00-04\",)", FIRST_LIGHT, null));
        assertTrue(CuratedCalibrationsCommand.sameRange("[\"2012-09-01 00:00:00+00\",\"2030-01-01 00:00:00+00\")",
                FIRST_LIGHT, Instant.parse("2030-01-01T00:00:00Z")));
        assertFalse(CuratedCalibrationsCommand.sameRange("[\"2012-09-01 00:00:00+00\",)", FIRST_LIGHT,
                Instant.parse("2030-01-01T00:00:00Z")));
        assertFalse(CuratedCalibrationsCommand.sameRange("[\"2013-09-01 00:00:00+00\",)", FIRST_LIGHT, null));
    }

    @Test
    void datesAreIsoDatesOrTimesInUtc() {
        assertEquals(FIRST_LIGHT, CuratedCalibrationsCommand.time("2012-09-01", "--begin-date"));
        assertEquals(FIRST_LIGHT, CuratedCalibrationsCommand.time("2012-09-01T00:00:00", "--begin-date"));
        assertEquals(FIRST_LIGHT, CuratedCalibrationsCommand.time("2012-08-31T20:00:00-04:00", "--begin-date"));
        Main.UsageException e = assertThrows(Main.UsageException.class,
                () -> CuratedCalibrationsCommand.time("2012-13-01", "--begin-date"));
        assertTrue(e.getMessage().contains("--begin-date"), e.getMessage());
    }

    @Test
    void unknownArgumentsAreRefusedBeforeTheRegistryIsAsked() {
        Main.UsageException e = assertThrows(Main.UsageException.class,
                () -> new CuratedCalibrationsCommand(new Main()).run(new String[] {"--colection", "x"}));
        assertTrue(e.getMessage().contains("--colection"), e.getMessage());
        assertThrows(Main.UsageException.class, () -> new CuratedCalibrationsCommand(new Main())
                .run(new String[] {"--begin-date", "2020-01-01", "--end-date", "2019-01-01"}));
    }
}
