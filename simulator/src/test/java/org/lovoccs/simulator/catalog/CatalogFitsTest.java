package org.lovoccs.simulator.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import nom.tam.fits.BinaryTable;
import nom.tam.fits.BinaryTableHDU;
import nom.tam.fits.Fits;

import org.junit.jupiter.api.Test;
import org.lovoccs.simulator.Peers;
import org.junit.jupiter.api.io.TempDir;
import org.lovoccs.imaging.Band;
import org.lovoccs.simulator.universe.Cosmology;
import org.lovoccs.simulator.universe.Galaxy;
import org.lovoccs.simulator.universe.NfwHalo;
import org.lovoccs.simulator.universe.ReferenceCatalogs;
import org.lovoccs.simulator.universe.SkyCatalog;
import org.lovoccs.simulator.universe.SkyCatalogGenerator;
import org.lovoccs.simulator.universe.SkySpec;

class CatalogFitsTest {

    @TempDir
    Path dir;

    private final SkyCatalog cat = SkyCatalogGenerator.generate(new SkySpec(150, 2.2, 0.05, 20000, 20, 25, new NfwHalo(
            1e15, 4, 0.2, 150, 2.2, Cosmology.DEFAULT), 5));

    private Path[] writeAll() throws IOException {
        Path stars = dir.resolve("stars.fits");
        Path gals = dir.resolve("galaxies.fits");
        Path gaia = dir.resolve("gaia.fits");
        Path phot = dir.resolve("phot_g.fits");
        CatalogFits.writeStars(stars, cat.stars());
        CatalogFits.writeGalaxies(gals, cat.galaxies());
        CatalogFits.writeGaia(gaia, ReferenceCatalogs.gaia(cat.stars(), 5));
        CatalogFits.writePhotometric(phot, Band.G, ReferenceCatalogs.photometric(cat.stars(), Band.G, 5));
        return new Path[] {stars, gals, gaia, phot};
    }

    @Test
    void nomTamReadsBackWhatWasWritten() throws Exception {
        Path[] files = writeAll();
        try (Fits f = new Fits(files[1].toFile())) {
            BinaryTableHDU hdu = (BinaryTableHDU) f.getHDU(1);
            assertEquals("TRUTH_GALAXIES", hdu.getHeader().getStringValue("EXTNAME"));
            BinaryTable t = hdu.getData();
            assertEquals(cat.galaxies().size(), t.getNRows());
            int ra = hdu.findColumn("ra");
            int g1 = hdu.findColumn("g1");
            int sed = hdu.findColumn("sed_type");
            int rmag = hdu.findColumn("r_mag");
            assertEquals("deg", hdu.getHeader().getStringValue("TUNIT" + (ra + 1)));
            for (int i = 0; i < t.getNRows(); i += 37) {
                Galaxy g = cat.galaxies().get(i);
                assertEquals(g.raDeg(), t.getDouble(i, ra));
                assertEquals(g.g1(), t.getDouble(i, g1));
                assertEquals(g.sedType(), t.getString(i, sed).trim());
                assertEquals(g.mag(Band.R), t.getDouble(i, rmag));
            }
        }
        try (Fits f = new Fits(files[2].toFile())) {
            BinaryTableHDU hdu = (BinaryTableHDU) f.getHDU(1);
            assertEquals("mas", hdu.getHeader().getStringValue("TUNIT" + (hdu.findColumn("ra_error") + 1)));
        }
    }

    @Test
    void astropyReadsTablesWithUnits() throws Exception {
        Peers.require(Peers.run("/usr/bin/python3", "-c", "import astropy").code() == 0, "python3-astropy");
        Path[] files = writeAll();
        String script = String.join("\n",
                "import sys, warnings",
                "warnings.simplefilter('error')",
                "from astropy.table import Table",
                "import astropy.units as u",
                "s = Table.read(sys.argv[1])",
                "assert s['ra'].unit == u.deg and s['u_mag'].unit == u.mag, s.columns",
                "assert len(s) == int(sys.argv[5])",
                "g = Table.read(sys.argv[2])",
                "assert g['disk_hlr'].unit == u.arcsec",
                "sed = {x.decode().strip() if isinstance(x, bytes) else x.strip() for x in g['sed_type']}",
                "assert sed <= {'El','Sbc','Scd','Im','SB3','SB2'} and len(sed) >= 4, sed",
                "assert g['cluster_member'].dtype == bool and g['cluster_member'].sum() > 0",
                "assert len(g) == int(sys.argv[6])",
                "a = Table.read(sys.argv[3])",
                "assert a['ra_error'].unit == u.mas and 'phot_g_mean_mag' in a.colnames",
                "p = Table.read(sys.argv[4])",
                "assert p.colnames == ['id', 'ra', 'dec', 'g_mag', 'g_magErr'], p.colnames",
                "print('ok', len(s), len(g), len(a), len(p))");
        Peers.Result r = Peers.run("/usr/bin/python3", "-c", script, files[0].toString(), files[1].toString(), files[2].toString(),
                files[3].toString(), String.valueOf(cat.stars().size()), String.valueOf(cat.galaxies().size()));
        assertEquals(0, r.code(), r.output());
    }

    @Test
    void fitsverifyAcceptsTables() throws Exception {
        Peers.require(Peers.run("/usr/bin/fitsverify", "-h").code() != -1, "fitsverify");
        for (Path p : writeAll()) {
            Peers.Result r = Peers.run("/usr/bin/fitsverify", "-q", p.toString());
            assertEquals(0, r.code(), r.output());
            assertTrue(r.output().contains("OK") || r.output().contains("0 error"), r.output());
        }
    }



    /** As PeerToolsTest: missing peers fail, unless -Dlovoccs.allowMissingPeers=true turns that into a skip. */

}
