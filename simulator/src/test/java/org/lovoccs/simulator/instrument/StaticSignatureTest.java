package org.lovoccs.simulator.instrument;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.Band;
import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.PixelBox;

class StaticSignatureTest {

    @Test
    void defectCountsAreRealisticAndDeterministic() {
        double cols = 0;
        double hot = 0;
        int n = 200;
        for (int ccd = 1; ccd <= n; ccd++) {
            Defects d = Defects.draw(77, ccd, 2048, 4096);
            cols += d.all().stream().filter(Defect::isColumn).count();
            hot += d.hotPixels().size();
            for (Defect x : d.all()) {
                assertTrue(PixelBox.ofSize(2048, 4096).contains(x.box()), x.toString());
                if (x.isColumn()) {
                    assertEquals(4095, x.box().maxY());
                    assertTrue(x.box().width() <= 2);
                }
            }
        }
        assertEquals(2.5, cols / n, 4 * Math.sqrt(2.5 / n));
        assertEquals(30, hot / n, 4 * Math.sqrt(30.0 / n));
        assertEquals(Defects.draw(77, 5, 2048, 4096).all(), Defects.draw(77, 5, 2048, 4096).all());
        assertNotEquals(Defects.draw(77, 5, 2048, 4096).all(), Defects.draw(78, 5, 2048, 4096).all());
    }

    @Test
    void defectsScaleDeadColumnsAndAddDarkCurrent() {
        Defect dead = new Defect(new PixelBox(10, 100, 1, 50), Defect.Kind.DEAD_COLUMN, 0.2, 0.0);
        Defect hotCol = new Defect(new PixelBox(20, 0, 2, 200), Defect.Kind.HOT_COLUMN, 1.0, 5.0);
        Defect hotPix = new Defect(new PixelBox(10, 120, 1, 1), Defect.Kind.HOT_PIXEL, 1.0, 40.0);
        Defects d = new Defects(java.util.List.of(dead, hotCol, hotPix));
        ImageF im = new ImageF(40, 200);
        im.fill(1000f);
        d.applyTo(im, 90);
        assertEquals(1000f, im.get(10, 99), 0f);
        assertEquals(200f, im.get(10, 100), 1e-3f);
        assertEquals(200f + 40 * 90, im.get(10, 120), 1e-3f);
        assertEquals(1000f + 5 * 90, im.get(21, 5), 1e-3f);
        assertEquals(1000f, im.get(22, 5), 0f);
        byte[] mask = d.mask(40, 200);
        int count = 0;
        for (byte b : mask) {
            count += b;
        }
        assertEquals(50 + 400, count);
        assertEquals(2, d.badColumns().size());
        assertEquals(1, d.hotPixels().size());
    }

    @Test
    void biasStructureHasZeroMeanPerAmpAFewAduOfColumnPatternAndIsFixedPerSeed() {
        InstrumentModel m = InstrumentModel.of(4242, 28);
        BiasStructure b = m.biasStructure();
        ImageF img = b.image();
        for (ReadoutAmp a : m.amps()) {
            double s = 0;
            double s2 = 0;
            PixelBox box = a.box();
            for (int y = box.y0(); y <= box.maxY(); y++) {
                for (int x = box.x0(); x <= box.maxX(); x++) {
                    double v = img.get(x, y);
                    s += v;
                    s2 += v * v;
                }
            }
            double n = box.area();
            assertEquals(0.0, s / n, 1e-3, "mean of amp " + a.name());
            double rms = Math.sqrt(s2 / n);
            assertTrue(rms > 0.4 && rms < 3, "rms " + rms);
        }
        assertEquals(img.get(5, 7), b.valueAdu(5, 7), 1e-6);
        assertEquals(img.get(2040, 4000), b.valueAdu(2040, 4000), 1e-6);
        // a fixed column pattern: rows far from the readout edge repeat the same columns
        for (int x = 0; x < 2048; x += 97) {
            assertEquals(img.get(x, 3000), img.get(x, 3500), 1e-3);
        }
        assertArrayEquals(img.array(), InstrumentModel.of(4242, 28).biasStructure().image().array());
        assertFalse(Arrays.equals(img.array(), InstrumentModel.of(4243, 28).biasStructure().image().array()));
    }

    @Test
    void calibrationIlluminationIsZeroOrLampTimesFlat() {
        InstrumentModel m = InstrumentModel.of(9, 40);
        ImageF zero = CalibrationIllumination.zero(m);
        for (float v : zero.array()) {
            assertEquals(0f, v, 0f);
        }
        ImageF dome = CalibrationIllumination.domeFlat(m, Band.Z, 25000);
        ImageF flat = m.flat(Band.Z);
        for (int k = 0; k < flat.array().length; k += 4099) {
            assertEquals(25000.0 * flat.array()[k], dome.array()[k], 1e-2);
        }
    }

    @Test
    void instrumentModelIsDeterministicAndPerAmplifier() {
        InstrumentModel a = InstrumentModel.of(3, 17);
        InstrumentModel b = InstrumentModel.of(3, 17);
        assertEquals(a.nonLinearity("A"), b.nonLinearity("A"));
        assertNotEquals(a.nonLinearity("A"), a.nonLinearity("B"));
        assertEquals(a.defects().all(), b.defects().all());
        assertEquals(a.prnuRms(Band.G), b.prnuRms(Band.G), 0.0);
        assertEquals(2, a.intraCcdCrosstalk().size());
    }
}
