package org.lovoccs.imaging.isr;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LinearizerTableTest {

    /** The table's float in electrons is Newton's, bit for bit, over the whole signal range and beyond. */
    @Test
    void sameFloatsAsNewton() {
        Random rnd = new Random(3);
        Linearizer.Params[] cases = {new Linearizer.Params(0.0, 0.0, 100.0), new Linearizer.Params(0.01, 0.005, 50.0),
                new Linearizer.Params(0.02, 0.02, 200.0), new Linearizer.Params(0.004, 0.012, 73.0)};
        for (Linearizer.Params p : cases) {
            LinearizerTable table = LinearizerTable.of(p);
            for (double gain : new double[] {3.7, 4.2, 1.0}) {
                for (int i = 0; i < 400_000; i++) {
                    double adu = switch (i % 4) {
                        case 0 -> 2000 * rnd.nextDouble() - 100;        // sky and faint sources, around zero
                        case 1 -> 80000 * rnd.nextDouble();             // to saturation and past the table
                        case 2 -> i * 1e-4;                              // dense near zero
                        default -> 200 + 40 * rnd.nextGaussian();
                    };
                    float pixel = (float) (adu * gain);                 // as the image holds it, electrons
                    double m = pixel / gain;
                    float expected = (float) (p.linear(m) * gain);
                    float got = table.electrons(m, gain);
                    assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(got),
                            () -> p + " gain " + gain + " m " + m + ": " + expected + " vs " + got);
                }
            }
        }
    }
}
