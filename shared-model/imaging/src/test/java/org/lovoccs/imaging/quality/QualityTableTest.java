package org.lovoccs.imaging.quality;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import nom.tam.fits.Header;
import org.junit.jupiter.api.Test;

/** check_visit's and select_visit's FITS tables are read back as written, verdicts and NaNs included. */
class QualityTableTest {

    private static CcdQuality ccd(long visit, int detector, double fwhm) {
        return new CcdQuality(visit, detector, "r", fwhm, 0.0412, 17, 40, 10.5, -9.3,
                new double[] {10.4, -9.4, 10.6, -9.4, 10.6, -9.2, 10.4, -9.2});
    }

    @Test
    void rowsVerdictsAndHeaderCardsSurviveTheRoundTrip() throws Exception {
        Header cards = new Header();
        cards.addValue("MAXFWHM", 4.4, "cut");
        List<QualityTable.Row> rows = List.of(new QualityTable.Row(ccd(288976, 35, 3.91), true, ""),
                new QualityTable.Row(ccd(288977, 28, Double.NaN), false, "2 reference stars fitted (fewer than 3)"));
        byte[] fits = QualityTable.toBytes("CCD_QUALITY", "r", rows, cards);
        assertEquals(0, fits.length % 2880, "whole FITS blocks");
        QualityTable.Table t = QualityTable.read(fits, "test table");
        assertEquals("r", t.band());
        assertEquals(4.4, t.header().getDoubleValue("MAXFWHM"), 0);
        assertEquals(2, t.rows().size());
        QualityTable.Row a = t.rows().get(0);
        assertEquals(288976, a.ccd().visit());
        assertEquals(35, a.ccd().detector());
        assertEquals(3.91, a.ccd().fwhmPixels(), 0);
        assertEquals(0.0412, a.ccd().ellipticity(), 0);
        assertEquals(17, a.ccd().starsFitted());
        assertEquals(40, a.ccd().referenceStars());
        assertArrayEquals(rows.get(0).ccd().corners(), a.ccd().corners(), 0);
        assertTrue(a.passed());
        assertEquals("", a.reason());
        QualityTable.Row b = t.rows().get(1);
        assertTrue(Double.isNaN(b.ccd().fwhmPixels()));
        assertTrue(!b.passed());
        assertEquals("2 reference stars fitted (fewer than 3)", b.reason());

        // clean under fitsverify, warnings included (a column comment too long for its card once gave 'fwhm    &')
        var v = org.lovoccs.imaging.characterize.PeerTools.fitsverify(fits);
        assertTrue(org.lovoccs.imaging.characterize.PeerTools.clean(v), v.output());
    }

    @Test
    void oneBandPerTable() {
        CcdQuality z = new CcdQuality(1, 1, "z", 4, 0, 5, 5, 0, 0, new double[8]);
        assertThrows(IllegalArgumentException.class, () -> QualityTable.toBytes("X", "r",
                List.of(new QualityTable.Row(z, true, "")), null));
    }
}
