package org.lovoccs.simulator.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.ImageF;
import org.lovoccs.simulator.RawLayout;

class NonLinearityAndCrosstalkTest {

    @Test
    void nonLinearityInverseRoundTripsAndDeviatesByTenthsOfAPercentWhenBright() {
        for (int ccd : new int[] {1, 28, 62}) {
            for (String amp : new String[] {"A", "B"}) {
                NonLinearity nl = NonLinearity.draw(99, ccd, amp);
                double prev = Double.NEGATIVE_INFINITY;
                for (double t = -200; t <= 70000; t += 0.37 * (1 + Math.abs(t) / 50)) {
                    double m = nl.measuredAdu(t);
                    assertTrue(m > prev, "monotonic at " + t);
                    prev = m;
                    assertEquals(t, nl.trueAdu(m), 1e-6, "round trip at " + t);
                }
                double dev = 1 - nl.measuredAdu(40000) / 40000;
                assertTrue(dev > 0.0005 && dev < 0.005, "deviation at 40000 ADU " + dev);
                double low = 1 - nl.measuredAdu(5) / 5;
                assertTrue(low > 0.004 && low < 0.02, "low-signal deficit " + low);
                assertEquals(0.0, nl.measuredAdu(0.0));
            }
        }
        assertNotEquals(NonLinearity.draw(99, 1, "A"), NonLinearity.draw(99, 1, "B"));
        assertEquals(NonLinearity.draw(99, 1, "A"), NonLinearity.draw(99, 1, "A"));
        assertNotEquals(NonLinearity.draw(99, 1, "A"), NonLinearity.draw(100, 1, "A"));
        NonLinearity lin = NonLinearity.linear();
        assertEquals(12345.678, lin.measuredAdu(12345.678), 0.0);
    }

    @Test
    void crosstalkTableIsParsedWithKnownValues() {
        CrosstalkTable t = CrosstalkTable.decam();
        assertEquals(249, t.terms().size());
        assertEquals(1.34e-4, t.coefficient(25, "B", 25, "A"), 0.0);
        assertEquals(3.16e-4, t.coefficient(25, "A", 25, "B"), 0.0);
        assertEquals(-5.36e-4, t.coefficient(26, "B", 26, "A"), 0.0);
        assertEquals(2.95e-5, t.coefficient(26, "A", 25, "A"), 0.0);
        assertEquals(0.0, t.coefficient(25, "A", 62, "B"), 0.0);
        CrosstalkTerm first = t.terms().get(0);
        assertEquals(1.13e-05, first.error(), 0.0);
        assertEquals(4.078154e+04, first.nonlinearOnset(), 0.0);
        assertEquals(3, first.polynomial().length);
        List<CrosstalkTerm> intra = t.intraCcd(25);
        assertEquals(2, intra.size());
        assertTrue(intra.stream().allMatch(CrosstalkTerm::isIntraCcd));
    }

    @Test
    void crosstalkParserRefusesBadLines() {
        String bad = "# header\nccd25B ccdXYZ 1e-4 1e-5 1e10\n";
        IOException e = assertThrows(IOException.class,
                () -> CrosstalkTable.parse(new ByteArrayInputStream(bad.getBytes(StandardCharsets.US_ASCII))));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void decamReadoutMirrorsAmplifierA() {
        List<ReadoutAmp> amps = ReadoutAmp.fromLayout(RawLayout.decam());
        ReadoutAmp a = ReadoutAmp.named(amps, "A");
        ReadoutAmp b = ReadoutAmp.named(amps, "B");
        assertEquals(0, b.box().x0());
        assertEquals(1024, a.box().x0());
        assertEquals(0, b.x(0));
        assertEquals(2047, a.x(0));
        assertEquals(1024, a.x(1023));
        assertEquals(17, a.readoutColumn(a.x(17)));
        assertEquals(0, a.y(0));
    }

    @Test
    void intraCcdCrosstalkLandsAtTheMirroredPixelScaledByTheCoefficient() {
        CrosstalkTable t = CrosstalkTable.decam();
        List<ReadoutAmp> amps = ReadoutAmp.fromLayout(RawLayout.decam());
        ImageF img = new ImageF(2048, 4096);
        img.set(100, 2000, 50000f);
        img.set(1500, 10, 30000f);
        IntraCcdCrosstalk.apply(img, amps, t.intraCcd(25));
        assertEquals(50000f, img.get(100, 2000), 0f);
        assertEquals(30000f, img.get(1500, 10), 0f);
        assertEquals(50000 * t.coefficient(25, "A", 25, "B"), img.get(2047 - 100, 2000), 1e-3);
        assertEquals(30000 * t.coefficient(25, "B", 25, "A"), img.get(2047 - 1500, 10), 1e-3);
        double others = 0;
        for (float v : img.array()) {
            others += Math.abs(v);
        }
        others -= 80000 + Math.abs(img.get(1947, 2000)) + Math.abs(img.get(547, 10));
        assertEquals(0.0, others, 1e-3);
    }

    @Test
    void crosstalkFollowsTheLayoutsReadoutDirection() {
        // in the mirrored test layout A is on the left and B (read from the right) still mirrors A
        List<ReadoutAmp> amps = ReadoutAmp.fromLayout(RawLayout.decamMirrored());
        ImageF img = new ImageF(2048, 4096);
        img.set(3, 4095, 1000f);
        List<CrosstalkTerm> terms = List.of(new CrosstalkTerm(7, "B", 7, "A", 1e-3, 0, 1e10, new double[0]));
        IntraCcdCrosstalk.apply(img, amps, terms);
        assertEquals(1.0, img.get(2044, 4095), 1e-6);
        assertEquals(0.0, img.get(1027, 4095), 0.0);
    }
}
