package org.lovoccs.events;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

class DatasetIdsTest {
    @Test
    void uuid5MatchesRfc4122Example() {
        // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org") == 886313e1-3b8a-5372-9b90-0c9aee199e5d
        UUID dns = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        assertEquals(UUID.fromString("886313e1-3b8a-5372-9b90-0c9aee199e5d"), DatasetIds.nameUuid(dns, "python.org"));
    }

    @Test
    void sameDataIdTypeAndRunGiveSameIdWhateverTheOrderOrExtraKeys() {
        DataId a = DataId.of(Map.of("instrument", "DECam", "exposure", 123, "detector", 5));
        DataId b = DataId.of(Map.of("detector", "5", "exposure", 123L, "instrument", "DECam", "band", "r"));
        UUID ia = DatasetIds.deterministic(DatasetType.RAW, "DECam/raw/all", a);
        assertEquals(ia, DatasetIds.deterministic(DatasetType.RAW, "DECam/raw/all", b));
        assertNotEquals(ia, DatasetIds.deterministic(DatasetType.RAW, "DECam/raw/other", a));
        assertNotEquals(ia, DatasetIds.deterministic(DatasetType.POST_ISR_CCD, "DECam/raw/all", a));
        assertEquals(5, ia.version());
    }

    @Test
    void missingRequiredDimensionIsNamed() {
        DataId a = DataId.of(Map.of("instrument", "DECam", "exposure", 123));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatasetIds.deterministic(DatasetType.RAW, "r", a));
        assertTrue(e.getMessage().contains("detector"), e.getMessage());
    }

    @Test
    void unknownDimensionListsValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataId.of(Map.of("ccd", 3)));
        assertTrue(e.getMessage().contains("detector"), e.getMessage());
    }
}
