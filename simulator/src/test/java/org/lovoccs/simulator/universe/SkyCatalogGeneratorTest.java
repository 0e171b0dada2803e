package org.lovoccs.simulator.universe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.Band;

class SkyCatalogGeneratorTest {

    private static final NfwHalo HALO = new NfwHalo(1e15, 4, 0.2, 150.0, 2.2, Cosmology.DEFAULT);

    private static SkySpec small(long seed) {
        return new SkySpec(150.0, 2.2, 0.1, 3000, 30, 25.5, HALO, seed);
    }

    @Test
    void deterministicAndCountsAsRequested() {
        SkySpec spec = small(11);
        SkyCatalog a = SkyCatalogGenerator.generate(spec);
        SkyCatalog b = SkyCatalogGenerator.generate(spec);
        assertEquals(a.stars().size(), b.stars().size());
        for (int i = 0; i < a.galaxies().size(); i++) {
            Galaxy x = a.galaxies().get(i);
            Galaxy y = b.galaxies().get(i);
            assertEquals(x.id(), y.id());
            assertEquals(x.raDeg(), y.raDeg());
            assertEquals(x.e1Lensed(), y.e1Lensed());
        }
        double area = spec.areaDeg2();
        assertEquals(Math.round(3000 * area), a.stars().size());
        long background = a.galaxies().stream().filter(g -> !g.clusterMember()).count();
        assertEquals(Math.round(30 * area * 3600), background);
        long members = a.galaxies().stream().filter(Galaxy::clusterMember).count();
        assertTrue(members > 30, "members " + members);
        for (Star s : a.stars()) {
            assertTrue(SkyGeometry.separationDeg(150, 2.2, s.raDeg(), s.decDeg()) <= 0.1 + 1e-12);
            assertTrue(s.mag(Band.R) >= 14 && s.mag(Band.R) <= 24);
            double gr = s.mag(Band.G) - s.mag(Band.R);
            assertTrue(gr >= 0.2 - 1e-12 && gr <= 1.6 + 1e-12);
        }
        SkySpec other = small(12);
        assertTrue(SkyCatalogGenerator.generate(other).galaxies().get(0).raDeg() != a.galaxies().get(0).raDeg());
    }

    @Test
    void backgroundGalaxiesAreShearedAndMembersAreNot() {
        SkyCatalog cat = SkyCatalogGenerator.generate(small(3));
        double[] e = new double[2];
        int lensed = 0;
        for (Galaxy g : cat.galaxies()) {
            if (g.clusterMember() || g.redshift() <= HALO.redshift()) {
                assertEquals(0.0, g.g1());
                assertEquals(0.0, g.g2());
                assertEquals(g.e1Intrinsic(), g.e1Lensed());
                assertEquals(1.0, g.magnification());
                if (g.clusterMember()) {
                    assertEquals(HALO.redshift(), g.redshift());
                    assertEquals("El", g.sedType());
                }
                continue;
            }
            lensed++;
            Lensing l = HALO.lensing(g.raDeg(), g.decDeg(), g.redshift());
            assertEquals(l.g1(), g.g1(), 1e-12);
            Galaxy.shear(g.e1Intrinsic(), g.e2Intrinsic(), g.g1(), g.g2(), e);
            assertEquals(e[0], g.e1Lensed(), 1e-12);
            assertTrue(Math.hypot(g.e1Intrinsic(), g.e2Intrinsic()) < 0.9);
        }
        assertTrue(lensed > 1000);
        // mean tangential ellipticity of background sources is positive (shear signal)
        double sumEt = 0;
        int n = 0;
        for (Galaxy g : cat.galaxies()) {
            if (g.clusterMember() || g.redshift() <= HALO.redshift()) {
                continue;
            }
            double[] p = new double[2];
            SkyGeometry.gnomonic(g.raDeg(), g.decDeg(), HALO.raDeg(), HALO.decDeg(), p);
            double phi = Math.atan2(-p[1], -p[0]);
            sumEt += -(g.e1Lensed() * Math.cos(2 * phi) + g.e2Lensed() * Math.sin(2 * phi));
            n++;
        }
        double meanEt = sumEt / n;
        assertTrue(meanEt > 3 * 0.26 / Math.sqrt(n), "mean e_t " + meanEt + " n " + n);
    }

    @Test
    void shearFormulaLimits() {
        double[] out = new double[2];
        Galaxy.shear(0, 0, 0.1, -0.05, out);
        assertEquals(0.1, out[0], 1e-15);
        assertEquals(-0.05, out[1], 1e-15);
        Galaxy.shear(0.3, 0.2, 0, 0, out);
        assertEquals(0.3, out[0], 1e-15);
        // weak-shear limit: e ≈ e_s + g - e_s^2 conj(g); e_s^2 = 0.03 + 0.04i, conj(g) = 1e-4 - 2e-4i
        Galaxy.shear(0.2, 0.1, 1e-4, 2e-4, out);
        assertEquals(0.2 + 1e-4 - (0.03 * 1e-4 + 0.04 * 2e-4), out[0], 1e-7);
        assertEquals(0.1 + 2e-4 - (0.04 * 1e-4 - 0.03 * 2e-4), out[1], 1e-7);
        // strong branch (|g| > 1) for a round source gives 1/conj(g)
        Galaxy.shear(0, 0, 2.0, 0, out);
        assertEquals(0.5, out[0], 1e-15);
    }

    @Test
    void coloursFollowTemplatesAndRedSequence() {
        SkyCatalog cat = SkyCatalogGenerator.generate(small(5));
        SyntheticPhotometry p = SyntheticPhotometry.get();
        List<Galaxy> members = cat.galaxies().stream().filter(Galaxy::clusterMember).collect(Collectors.toList());
        double elGr = p.colour("El", Band.G, Band.R, HALO.redshift());
        double mean = members.stream().mapToDouble(g -> g.mag(Band.G) - g.mag(Band.R)).average().orElseThrow();
        assertEquals(elGr, mean, 0.1);
        for (Galaxy g : cat.galaxies()) {
            if (!g.clusterMember()) {
                double c = p.colour(g.sedType(), Band.G, Band.R, g.redshift());
                assertEquals(c, g.mag(Band.G) - g.mag(Band.R), 6 * GalaxyPopulation.COLOUR_SCATTER);
            }
        }
    }

    @Test
    void regionAndConeQueriesMatchBruteForce() {
        SkyCatalog cat = SkyCatalogGenerator.generate(small(9));
        double raMin = 149.97;
        double raMax = 150.03;
        double decMin = 2.18;
        double decMax = 2.25;
        long expect = cat.galaxies().stream().filter(g -> g.raDeg() >= raMin && g.raDeg() <= raMax
                && g.decDeg() >= decMin && g.decDeg() <= decMax).count();
        assertEquals(expect, cat.galaxiesInRegion(raMin, raMax, decMin, decMax).size());
        assertTrue(expect > 100);
        long cone = cat.stars().stream()
                .filter(s -> SkyGeometry.separationDeg(150.01, 2.21, s.raDeg(), s.decDeg()) <= 0.04).count();
        assertEquals(cone, cat.starsInCone(150.01, 2.21, 0.04).size());
    }

    @Test
    void raWrapRegion() {
        SkySpec spec = new SkySpec(0.02, -30, 0.1, 5000, 5, 24, null, 1);
        SkyCatalog cat = SkyCatalogGenerator.generate(spec);
        long expect = cat.stars().stream().filter(s -> s.raDeg() >= 359.95 || s.raDeg() <= 0.05).count();
        assertTrue(expect > 0 && expect < cat.stars().size());
        assertEquals(expect, cat.starsInRegion(359.95, 0.05, -31, -29).size());
        assertTrue(cat.stars().stream().allMatch(s -> s.raDeg() >= 0 && s.raDeg() < 360));
    }

    @Test
    void fullDecamFieldIsFast() {
        SkySpec spec = new SkySpec(150.0, 2.2, 1.2, 3000, 30, 25.5, HALO, 99);
        SkyCatalogGenerator.generate(new SkySpec(150.0, 2.2, 0.02, 10, 1, 24, HALO, 1)); // warm up tables
        long t0 = System.nanoTime();
        SkyCatalog cat = SkyCatalogGenerator.generate(spec);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("full field: %d stars, %d galaxies in %.2f s%n", cat.stars().size(), cat.galaxies().size(),
                seconds);
        assertTrue(cat.galaxies().size() > 450_000);
        assertTrue(seconds < 15, "full field took " + seconds + " s");
        long t1 = System.nanoTime();
        for (int k = 0; k < 62; k++) {
            double dec = 1.1 + k * 0.035;
            cat.galaxiesInRegion(149.9, 150.05, dec, dec + 0.15);
        }
        double q = (System.nanoTime() - t1) / 1e9;
        assertTrue(q < 2, "62 CCD queries took " + q + " s");
        long t2 = System.nanoTime();
        SkyCatalogGenerator.generate(small(4));
        double small = (System.nanoTime() - t2) / 1e9;
        assertTrue(small < 1, "test field took " + small + " s");
    }

    @Test
    void rejectsBadSpecs() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SkySpec(150, 2, 0, 100, 30, 25, null, 1));
        assertTrue(e.getMessage().contains("(0, 10]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SkySpec(360, 2, 1, 100, 30, 25, null, 1));
        assertTrue(e.getMessage().contains("[0, 360)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SkySpec(150, 2, 1, -1, 30, 25, null, 1));
        assertTrue(e.getMessage().contains("star density"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SkySpec(150, 2, 1, 1, 30, 17, null, 1));
        assertTrue(e.getMessage().contains("faint limit"), e.getMessage());
    }
}
