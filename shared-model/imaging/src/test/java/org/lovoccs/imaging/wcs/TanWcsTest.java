package org.lovoccs.imaging.wcs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import nom.tam.fits.Header;
import org.junit.jupiter.api.Test;

class TanWcsTest {

    private static final double S = 0.263 / 3600.0;

    @Test
    void referencePixelMapsToCrval() {
        TanWcs w = new TanWcs(202.0, -31.5, 100.5, 200.5, 0, S, S, 0);
        double[] sky = w.pixelToSky(99.5, 199.5);
        assertEquals(202.0, sky[0], 1e-12);
        assertEquals(-31.5, sky[1], 1e-12);
    }

    @Test
    void roundTripFarFromTheReferencePoint() {
        TanWcs w = new TanWcs(359.9, -31.5, -13000, 5000, 0, S, S, 0);
        for (double[] p : new double[][] {{0, 0}, {2047, 4095}, {1000, 77.25}}) {
            double[] sky = w.pixelToSky(p[0], p[1]);
            double[] back = w.skyToPixel(sky[0], sky[1]);
            assertEquals(p[0], back[0], 1e-6);
            assertEquals(p[1], back[1], 1e-6);
        }
        assertEquals(0.263, w.pixelScaleArcsec(), 1e-12);
    }

    @Test
    void columnsRunNorthAndRowsRunEast() {
        TanWcs w = new TanWcs(10.0, 0.0, 1, 1, 0, S, S, 0);
        double[] north = w.pixelToSky(100, 0);
        double[] east = w.pixelToSky(0, 100);
        assertEquals(100 * S, north[1], 1e-9);
        assertEquals(10.0 + 100 * S, east[0], 1e-9);
    }

    @Test
    void headerRoundTripAndShift() {
        TanWcs w = new TanWcs(202.0, -31.5, 13456.25, -987.5, 1e-7, S, S, -1e-7);
        Header h = new Header();
        w.addTo(h);
        assertEquals(w, TanWcs.fromHeader(h));
        TanWcs t = w.shiftedOrigin(56, 50);
        assertEquals(13400.25, t.crpix1(), 1e-12);
        double[] a = w.pixelToSky(56 + 10, 50 + 20);
        double[] b = t.pixelToSky(10, 20);
        assertEquals(a[0], b[0], 1e-12);
        assertEquals(a[1], b[1], 1e-12);
    }

    @Test
    void sexagesimal() {
        assertEquals("13:28:00.000", Sexagesimal.formatRa(202.0));
        assertEquals("-31:30:00.00", Sexagesimal.formatDec(-31.5));
        assertEquals("05:07:30.00", Sexagesimal.formatDec(5.125));
        assertEquals(202.0, Sexagesimal.parseRa("13:28:00.000"), 1e-9);
        assertEquals(-31.5, Sexagesimal.parseDec("-31:30:00.00"), 1e-9);
        assertEquals(-0.5, Sexagesimal.parseDec("-00:30:00"), 1e-9);
    }
}
