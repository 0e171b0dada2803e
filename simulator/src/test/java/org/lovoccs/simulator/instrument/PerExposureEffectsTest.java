package org.lovoccs.simulator.instrument;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.PixelBox;
import org.lovoccs.simulator.DecamCamera;
import org.lovoccs.simulator.DecamCcd;

class PerExposureEffectsTest {

    private static double sum(ImageF im) {
        double s = 0;
        for (float v : im.array()) {
            s += v;
        }
        return s;
    }

    @Test
    void cosmicRayCountsFollowRateTimesAreaTimesTime() {
        double exptime = 30;
        double lambda = CosmicRays.expectedCount(2048, 4096, exptime);
        // 0.025 /cm^2/s x (3.072 x 6.144 cm^2) x 30 s
        assertEquals(0.025 * 3.072 * 6.144 * 30, lambda, 1e-9);
        int draws = 2000;
        double s = 0;
        double s2 = 0;
        int muons = 0;
        int total = 0;
        int long50 = 0;
        for (int k = 0; k < draws; k++) {
            List<CosmicRayHit> hits = CosmicRays.drawHits(1000 + k, 28, 2048, 4096, exptime);
            s += hits.size();
            s2 += hits.size() * (double) hits.size();
            for (CosmicRayHit h : hits) {
                total++;
                if (h.kind() == CosmicRayHit.Kind.MUON) {
                    muons++;
                    if (h.lengthPx() > 50) {
                        long50++;
                    }
                }
            }
        }
        double mean = s / draws;
        double var = s2 / draws - mean * mean;
        assertEquals(lambda, mean, 4 * Math.sqrt(lambda / draws), "mean count");
        assertEquals(1.0, var / lambda, 0.15, "Poisson variance");
        assertEquals(0.8, muons / (double) total, 0.02);
        assertTrue(long50 > 0 && long50 < 0.03 * muons, "long muons " + long50);
    }

    @Test
    void cosmicRaysAddTheirTruthChargeDeterministically() {
        ImageF a = new ImageF(2048, 4096);
        CosmicRays.Result r = CosmicRays.addTo(a, 5, 12, 90);
        assertTrue(r.hits().size() > 15 && r.hits().size() < 80, "hits " + r.hits().size());
        assertEquals(r.totalElectrons(), sum(a), 1e-6 * r.totalElectrons());
        float max = 0;
        for (int k = 0; k < r.pixels().length; k++) {
            int p = r.pixels()[k];
            assertEquals(r.electrons()[k], a.array()[p], 0f);
            if (k > 0) {
                assertTrue(p > r.pixels()[k - 1]);
            }
            max = Math.max(max, r.electrons()[k]);
        }
        assertTrue(max > 2000, "max deposit " + max);
        ImageF b = new ImageF(2048, 4096);
        CosmicRays.addTo(b, 5, 12, 90);
        assertArrayEquals(a.array(), b.array());
        ImageF c = new ImageF(2048, 4096);
        CosmicRays.addTo(c, 6, 12, 90);
        assertFalse(java.util.Arrays.equals(a.array(), c.array()));
        int masked = 0;
        for (boolean m : CosmicRays.mask(r, 2048, 4096)) {
            masked += m ? 1 : 0;
        }
        assertEquals(r.pixels().length, masked);
    }

    @Test
    void bleedConservesChargeAndCapsAtFullWell() {
        ImageF im = new ImageF(64, 300);
        im.fill(500f);
        double fw = 170000.3;
        // a saturated star core in columns 30-32, and one near the top edge of column 10 that runs off the CCD
        for (int x = 30; x <= 32; x++) {
            for (int y = 148; y <= 152; y++) {
                im.set(x, y, 900000f);
            }
        }
        im.set(10, 297, 2_000_000f);
        double before = sum(im);
        BleedTrails.Result r = BleedTrails.apply(im, im.bbox(), fw);
        assertEquals(before, sum(im) + r.lostElectrons(), 1e-6 * before);
        assertTrue(r.lostElectrons() > 0);
        for (float v : im.array()) {
            assertTrue(v <= fw, "pixel " + v);
        }
        // column 31: 5 x 900000 + 295 x 500 e- fill ceil((4.5e6 - 500 n) / fw) pixels symmetric about row 150
        int full = 0;
        for (int y = 0; y < 300; y++) {
            if (im.get(31, y) >= (float) fw - 1) {
                full++;
            }
        }
        assertEquals(26, full, 1);
        assertTrue(im.get(31, 150 - 13) > 500 && im.get(31, 150 + 13) > 500);
        // untouched columns stay untouched, and the trails cover exactly the changed pixels
        assertEquals(500f, im.get(20, 150), 0f);
        long changedInBoxes = r.trails().stream().mapToLong(PixelBox::area).sum();
        ImageF ref = new ImageF(64, 300);
        ref.fill(500f);
        long changed = 0;
        for (int k = 0; k < ref.array().length; k++) {
            if (ref.array()[k] != im.array()[k]) {
                changed++;
            }
        }
        assertTrue(changedInBoxes >= changed && changedInBoxes <= changed + 16, changedInBoxes + " vs " + changed);
        assertTrue(r.trails().stream().allMatch(b -> b.width() == 1));
    }

    @Test
    void fullWellIsSaturationTimesGain() {
        InstrumentModel m = InstrumentModel.of(1, 1);
        // S29 amp A: gain 4.039, SATURAT 38652 in the segment file
        assertEquals(4.039 * 38652, m.fullWellElectrons("A"), 1e-6);
        for (DecamCcd c : DecamCamera.standard().ccds()) {
            for (String a : new String[] {"A", "B"}) {
                double fw = BleedTrails.fullWellElectrons(c.amplifier(a));
                assertTrue(fw > 110000 && fw < 240000, c.name() + a + " " + fw);
            }
        }
    }

    @Test
    void satelliteTrailDepositsTheLineIntegralAndContinuesAcrossCcds() {
        DecamCamera cam = DecamCamera.standard();
        DecamCcd n4 = cam.ccd("N4");
        double p = DecamCamera.PIXEL_SIZE_MM;
        double angle = Math.toRadians(30);
        SatelliteTrail t = new SatelliteTrail(n4.xMinMm() + 1024 * p, n4.yMinMm() + 2048 * p, angle, 2.0, 1000);
        ImageF im = new ImageF(2048, 4096);
        assertTrue(t.addTo(im, n4) > 0);
        // every column crosses the line once: sum over y of the Gaussian = sigma sqrt(2 pi) / cos(angle)
        double expected = 2048 * 1000 * 2.0 * Math.sqrt(2 * Math.PI) / Math.cos(angle);
        assertEquals(expected, sum(im), 1e-4 * expected);
        assertEquals(0.0, t.distancePx(n4, 1023.5, 2047.5), 1e-9);
        // N5 (above N4) is missed by this line, S4 (left of N4) is hit
        assertEquals(0, t.addTo(new ImageF(2048, 4096), cam.ccd("N5")));
        assertTrue(t.addTo(new ImageF(2048, 4096), cam.ccd("S4")) > 0);
        int hits = 0;
        for (long s = 0; s < 400; s++) {
            Optional<SatelliteTrail> d = SatelliteTrail.draw(s, 0.25);
            hits += d.isPresent() ? 1 : 0;
            d.ifPresent(x -> assertTrue(x.sigmaPx() >= 1 && x.sigmaPx() <= 3 && x.peakElectrons() >= 100));
        }
        assertEquals(100, hits, 30);
        assertEquals(SatelliteTrail.draw(3, 1.0), SatelliteTrail.draw(3, 1.0));
    }
}
