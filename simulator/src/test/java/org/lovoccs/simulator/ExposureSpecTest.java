package org.lovoccs.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.Band;

class ExposureSpecTest {

    @Test
    void unknownBandListsTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ExposureSpec("A3558", 1,
                "N964", Fixtures.DATE, 90, 202, -31.5, 1.0, 1000, 10, 1L));
        assertTrue(e.getMessage().contains("N964"), e.getMessage());
        assertTrue(e.getMessage().contains("u, g, r, i, z, Y"), e.getMessage());
    }

    @Test
    void defaultsAndValidation() {
        ExposureSpec s = Fixtures.spec();
        assertEquals(Band.R, s.band());
        assertEquals(PsfProfile.DEFAULT, s.psfProfile());
        assertEquals(1.0 / 0.263, s.seeingFwhmPixels(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new ExposureSpec("A3558", 1, "g", Fixtures.DATE, 0, 202,
                -31.5, 1.0, 1000, 10, 1L));
        assertThrows(IllegalArgumentException.class, () -> new ExposureSpec("A3558", 1, "g", Fixtures.DATE, 90, 360,
                -31.5, 1.0, 1000, 10, 1L));
        assertThrows(IllegalArgumentException.class, () -> new ExposureSpec("A3558", 1, "g", Fixtures.DATE, 90, 202,
                -31.5, 0, 1000, 10, 1L));
        assertThrows(IllegalArgumentException.class, () -> new ExposureSpec("A3558", 1, "g", Fixtures.DATE, 90, 202,
                -31.5, 1, -1, 10, 1L));
    }

    @Test
    void targetBelowTheHorizonIsRefusedWithAHint() {
        Instant noon = Fixtures.DATE.plusSeconds(12 * 3600);
        ExposureSpec s = new ExposureSpec("A3558", 1, "g", noon, 90, 202, -31.5, 1.0, 1000, 10, 1L);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RawExposureSimulator().primaryHeader(s, 1));
        assertTrue(e.getMessage().contains("nextTransit"), e.getMessage());
    }

    @Test
    void siteAstronomy() {
        Instant transit = CtioSite.nextTransit(Fixtures.RA, Fixtures.DATE.minusSeconds(3600));
        assertEquals(0.0, CtioSite.hourAngleDeg(Fixtures.RA, transit), 1e-6);
        assertEquals(90 - Math.abs(CtioSite.LATITUDE_DEG - Fixtures.DEC),
                CtioSite.altitudeDeg(Fixtures.RA, Fixtures.DEC, transit), 1e-6);
        assertEquals(0.0, CtioSite.hourAngleDeg(Fixtures.RA, Fixtures.DATE), 0.005);
        assertEquals(51544.5, CtioSite.modifiedJulianDate(Instant.parse("2000-01-01T12:00:00Z")), 1e-9);
    }
}
