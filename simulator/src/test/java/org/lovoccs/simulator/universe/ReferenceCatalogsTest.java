package org.lovoccs.simulator.universe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.Band;

class ReferenceCatalogsTest {

    private final SkyCatalog cat = SkyCatalogGenerator.generate(new SkySpec(30, -20, 0.5, 20000, 0, 24, null, 8));

    @Test
    void gaiaErrorsAreAsDocumentedAndRealised() {
        assertEquals(0.02, ReferenceCatalogs.gaiaPositionErrorMas(15), 1e-12);
        assertEquals(0.7, ReferenceCatalogs.gaiaPositionErrorMas(20.5), 0.01);
        List<RefStar> gaia = ReferenceCatalogs.gaia(cat.stars(), 8);
        Map<Long, Star> truth = new HashMap<>();
        cat.stars().forEach(s -> truth.put(s.id(), s));
        double chi2 = 0;
        for (RefStar r : gaia) {
            Star s = truth.get(r.id());
            assertTrue(ReferenceCatalogs.gaiaG(s) < 20.7);
            double dDec = (r.decDeg() - s.decDeg()) * 3.6e6 / r.decErrMas();
            double dRa = (r.raDeg() - s.raDeg()) * Math.cos(Math.toRadians(s.decDeg())) * 3.6e6 / r.raErrMas();
            chi2 += dDec * dDec + dRa * dRa;
        }
        int n = gaia.size();
        assertTrue(n > 2000, "gaia " + n);
        // chi^2 per degree of freedom 1 within 4 sigma (sd of chi2/dof = sqrt(2/(2n)))
        assertEquals(1.0, chi2 / (2 * n), 4 * Math.sqrt(1.0 / n));
        long fainter = cat.stars().stream().filter(s -> ReferenceCatalogs.gaiaG(s) < 20.7).count();
        assertEquals(fainter, n);
    }

    @Test
    void photometricCatalogueErrorsAndCompleteness() {
        Band band = Band.R;
        List<PhotRefStar> ref = ReferenceCatalogs.photometric(cat.stars(), band, 8);
        Map<Long, Star> truth = new HashMap<>();
        cat.stars().forEach(s -> truth.put(s.id(), s));
        double chi2 = 0;
        for (PhotRefStar p : ref) {
            double m = truth.get(p.id()).mag(band);
            assertTrue(m >= 14);
            double d = (p.mag() - m) / ReferenceCatalogs.photometricError(band, m);
            chi2 += d * d;
        }
        assertEquals(1.0, chi2 / ref.size(), 4 * Math.sqrt(2.0 / ref.size()));
        // completeness: stars 1 mag above m5 nearly all present; 0.5 mag below m5 mostly missing
        long brightTruth = cat.stars().stream().filter(s -> s.mag(band) > 21 && s.mag(band) < 22).count();
        long brightRef = ref.stream().filter(p -> truth.get(p.id()).mag(band) > 21
                && truth.get(p.id()).mag(band) < 22).count();
        assertTrue(brightRef > 0.98 * brightTruth, brightRef + " / " + brightTruth);
        long faintTruth = cat.stars().stream().filter(s -> s.mag(band) > 23.6 && s.mag(band) < 24).count();
        long faintRef = ref.stream().filter(p -> truth.get(p.id()).mag(band) > 23.6).count();
        assertTrue(faintRef < 0.2 * faintTruth, faintRef + " / " + faintTruth);
        assertEquals(0.02, ReferenceCatalogs.photometricError(Band.U, 14), 1e-3);
        assertEquals(Math.hypot(0.01, 0.2171), ReferenceCatalogs.photometricError(Band.G, 23.3), 1e-9);
    }
}
