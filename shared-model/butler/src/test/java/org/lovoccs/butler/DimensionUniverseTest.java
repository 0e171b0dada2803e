package org.lovoccs.butler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DimensionUniverseTest {
    private final DimensionUniverse u = DimensionUniverse.defaultUniverse();

    @Test
    void describesTheDecamDimensions() {
        assertEquals(List.of("instrument", "band", "physical_filter", "detector", "day_obs", "group", "exposure",
                "visit", "skymap", "tract", "patch", "htm7"), u.names());
        Dimension exposure = u.get("exposure");
        assertEquals(FieldType.INTEGER, exposure.keyType());
        assertEquals(List.of("instrument"), exposure.requires());
        assertEquals(List.of("physical_filter", "day_obs", "group"), exposure.implies());
        assertEquals(FieldType.TIMESPAN, u.field("exposure", "timespan").type());
        assertEquals(FieldType.FLOAT, u.field("visit", "zenith_angle").type());
        assertEquals(List.of("skymap", "tract"), u.get("patch").requires());
        assertEquals("obs_group", u.get("group").table());
        assertEquals(List.of("band"), u.get("physical_filter").implies());
    }

    @Test
    void lookupsGiveHelpfulErrors() {
        UnknownNameException e = assertThrows(UnknownNameException.class, () -> u.get("detectr"));
        assertEquals(Optional.of("detector"), e.suggestion());
        assertTrue(e.getMessage().startsWith("unknown dimension 'detectr'; did you mean 'detector'? Valid dimensions: "
                + "instrument, band"), e.getMessage());
        UnknownNameException f = assertThrows(UnknownNameException.class, () -> u.field("exposure", "exposuretime"));
        assertEquals(Optional.of("exposure_time"), f.suggestion());
        assertTrue(f.validNames().contains("observation_type"));
    }

    @Test
    void leapSecondsAndTimeForms() {
        assertEquals(java.time.Instant.parse("2022-05-26T04:00:00Z"),
                org.lovoccs.butler.query.TimeLiterals.parse("2022-05-26T04:00:37/tai"));
        assertEquals(java.time.Instant.parse("2022-05-26T04:00:00Z"),
                org.lovoccs.butler.query.TimeLiterals.parse("iso/2022-05-26 04:00:00"));
        assertEquals(java.time.Instant.parse("2022-05-26T00:00:00Z"),
                org.lovoccs.butler.query.TimeLiterals.parse("2022-05-26"));
        assertEquals(java.time.Instant.parse("2022-05-26T03:58:50.816Z"),
                org.lovoccs.butler.query.TimeLiterals.parse("2022-05-26T04:00:00/tt"));
    }
}
