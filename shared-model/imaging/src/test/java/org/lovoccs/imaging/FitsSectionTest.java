package org.lovoccs.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FitsSectionTest {

    @Test
    void parsesAForwardSectionTo0BasedBox() {
        FitsSection s = FitsSection.parse("DATASECB", "[57:1080,51:4146]");
        assertEquals(new PixelBox(56, 50, 1024, 4096), s.box());
        assertFalse(s.flipX());
        assertFalse(s.flipY());
        assertEquals(1079, s.box().maxX());
        assertEquals(4145, s.box().maxY());
        assertEquals("[57:1080,51:4146]", s.toFitsString());
        assertEquals("[57:1080,51:4146]", s.box().toFitsSection());
    }

    @Test
    void reversedRangeSetsFlipAndKeepsTheSamePixels() {
        FitsSection s = FitsSection.parse("[2048:1025,1:4096]");
        assertEquals(new PixelBox(1024, 0, 1024, 4096), s.box());
        assertTrue(s.flipX());
        assertFalse(s.flipY());
        assertEquals("[2048:1025,1:4096]", s.toFitsString());
        FitsSection y = FitsSection.parse(" [ 1 : 10 , 20 : 11 ] ");
        assertEquals(new PixelBox(0, 10, 10, 10), y.box());
        assertTrue(y.flipY());
    }

    @Test
    void singlePixelSection() {
        assertEquals(new PixelBox(4, 6, 1, 1), FitsSection.parse("[5:5,7:7]").box());
    }

    @Test
    void badSectionsNameKeywordAndValue() {
        for (String bad : new String[] {"57:1080,51:4146", "[57:1080]", "[a:b,c:d]", "[0:10,1:5]", "[1:10,1:5",
                "", "[1.5:10,1:5]", "[-1:10,1:5]", "[1:99999999999,1:5]"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> FitsSection.parse("BIASSECA", bad), bad);
            assertTrue(e.getMessage().contains("BIASSECA"), e.getMessage());
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FitsSection.parse("DATASEC", null));
        assertTrue(e.getMessage().contains("DATASEC"));
    }

    @Test
    void pixelBoxGeometry() {
        PixelBox a = new PixelBox(10, 20, 5, 4);
        assertTrue(a.contains(10, 20));
        assertTrue(a.contains(14, 23));
        assertFalse(a.contains(15, 23));
        assertTrue(a.contains(new PixelBox(11, 21, 2, 2)));
        assertTrue(a.overlaps(new PixelBox(14, 23, 10, 10)));
        assertFalse(a.overlaps(new PixelBox(15, 20, 10, 10)));
        assertEquals(new PixelBox(0, 0, 5, 4), a.shift(-10, -20));
        assertEquals(20, a.area());
        assertThrows(IllegalArgumentException.class, () -> new PixelBox(0, 0, -1, 2));
    }
}
