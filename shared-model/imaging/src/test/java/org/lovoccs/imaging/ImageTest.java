package org.lovoccs.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImageTest {

    @Test
    void rowMajorLayoutAndSubViews() {
        ImageF im = new ImageF(4, 3);
        im.set(1, 2, 7f);
        assertEquals(7f, im.array()[2 * 4 + 1]);
        ImageF view = im.subImage(new PixelBox(1, 1, 3, 2));
        assertEquals(7f, view.get(0, 1));
        view.set(2, 0, 5f);
        assertEquals(5f, im.get(3, 1));
        assertFalse(view.isContiguous());
        assertArrayEquals(new float[] {0, 0, 5, 7, 0, 0}, view.toArray());
        view.fill(1f);
        assertEquals(6.0, sum(im), 0.0);
        assertThrows(IndexOutOfBoundsException.class, () -> view.get(3, 0));
        assertThrows(IllegalArgumentException.class, () -> im.subImage(new PixelBox(2, 0, 3, 1)));
    }

    @Test
    void maskPlanesFollowLsstBits() {
        assertEquals(0, MaskPlane.BAD.bit());
        assertEquals(1, MaskPlane.SAT.bit());
        assertEquals(2, MaskPlane.INTRP.bit());
        assertEquals(3, MaskPlane.CR.bit());
        assertEquals(4, MaskPlane.EDGE.bit());
        assertEquals(5, MaskPlane.DETECTED.bit());
        assertEquals(6, MaskPlane.SUSPECT.bit());
        assertEquals(7, MaskPlane.NO_DATA.bit());
        Mask m = new Mask(3, 2);
        m.set(2, 1, MaskPlane.SAT);
        m.set(2, 1, MaskPlane.CR);
        assertEquals(0b1010, m.get(2, 1));
        assertTrue(m.isSet(2, 1, MaskPlane.CR));
        m.clear(2, 1, MaskPlane.CR);
        assertEquals(1, m.count(MaskPlane.SAT));
        assertEquals(0, m.count(MaskPlane.CR));
    }

    @Test
    void maskedImagePlanesMustAgreeInSize() {
        assertThrows(IllegalArgumentException.class,
                () -> new MaskedImage(new ImageF(3, 2), new Mask(3, 2), new ImageF(2, 3)));
    }

    @Test
    void bandNames() {
        assertEquals(Band.R, Band.fromPhysicalFilter("r DECam SDSS c0002 6415.0 1480.0"));
        assertEquals(Band.Y, Band.fromName("Y"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Band.fromName("VR"));
        assertTrue(e.getMessage().contains("u, g, r, i, z, Y"), e.getMessage());
    }

    private static double sum(ImageF im) {
        double s = 0;
        for (int y = 0; y < im.height(); y++) {
            for (int x = 0; x < im.width(); x++) {
                s += im.get(x, y);
            }
        }
        return s;
    }
}
