package org.lovoccs.butler.instrument;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CrosstalkSourceMapTest {

    @Test
    void decamPairsAsTheTableListsThem() {
        CrosstalkSourceMap m = CrosstalkSourceMap.decam();
        // lines "ccd26A ccd25A", "ccd26A ccd27B", "ccd26B ccd25B", "ccd26B ccd27A" of DECam_xtalk_20130606.txt
        assertEquals(List.of(25, 27), List.copyOf(m.sourcesOf(26)));
        assertEquals(List.of(27), List.copyOf(m.sourcesOf(25)));
        assertEquals(List.of(1, 6), List.copyOf(m.sourcesOf(7)));
        // intra-CCD lines are not sources; CCD 28 has only those
        assertEquals(Set.of(), m.sourcesOf(28));
        int pairs = 0;
        for (int d = 1; d <= 62; d++) {
            assertTrue(!m.sourcesOf(d).contains(d), "CCD " + d + " is not its own source");
            pairs += m.sourcesOf(d).size();
        }
        assertEquals(68, pairs, "distinct victim/source CCD pairs in the table");
    }

    @Test
    void aMalformedLineIsRefusedWithItsNumber() {
        String table = "# header\nccd26A ccd25A 2.95e-05\nccd26 25A 1e-5\n";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CrosstalkSourceMap.parse(
                new ByteArrayInputStream(table.getBytes(StandardCharsets.US_ASCII)), "t.txt"));
        assertTrue(e.getMessage().contains("t.txt line 3"), e.getMessage());
    }
}
