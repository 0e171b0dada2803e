package org.lovoccs.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DecamCameraTest {

    private final DecamCamera camera = DecamCamera.standard();

    @Test
    void allSixtyTwoScienceCcdsWithTwoAmplifiers() {
        assertEquals(62, camera.ccds().size());
        assertEquals("1-62", camera.validRange());
        for (DecamCcd c : camera.ccds()) {
            assertEquals(2, c.amplifiers().size(), c.name());
            assertEquals(30.72, c.xMaxMm() - c.xMinMm(), 1e-9, c.name());
            assertEquals(61.44, c.yMaxMm() - c.yMinMm(), 1e-9, c.name());
        }
    }

    @Test
    void ccdsTwoAndSixtyOneArePresentInTheTables() {
        assertEquals("S30", camera.ccd(2).name());
        assertEquals("N30", camera.ccd(61).name());
    }

    @Test
    void perAmplifierValuesFromTheSegmentFile() {
        DecamCcd s29 = camera.ccd(1);
        assertEquals("S29", s29.name());
        assertEquals(4.039, s29.amplifier("A").gain());
        assertEquals(3.781, s29.amplifier("B").gain());
        assertEquals(5.982, s29.amplifier("B").readNoise());
        assertEquals(38652, s29.amplifier("A").saturationAdu());
        assertEquals(-185.592, s29.centerXMm(), 1e-9);
        assertEquals(s29, camera.ccd("S29"));
    }

    @Test
    void outOfRangeCcdNamesTheValidRange() {
        for (int bad : new int[] {0, 63, 74, -1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> camera.ccd(bad));
            assertTrue(e.getMessage().contains("1-62"), e.getMessage());
        }
    }
}
