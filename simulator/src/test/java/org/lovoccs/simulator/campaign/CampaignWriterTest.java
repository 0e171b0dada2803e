package org.lovoccs.simulator.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovoccs.imaging.raw.RawCcd;
import org.lovoccs.imaging.raw.RawCcdReader;
import org.lovoccs.simulator.Peers;

/** A test-scale campaign, written plain and fpack-compressed, checked by our readers and by the peers. */
class CampaignWriterTest {

    @TempDir
    static Path dir;
    static CampaignSpec spec;
    static CampaignManifest manifest;
    static final List<WrittenFile> seen = new ArrayList<>();

    @BeforeAll
    static void writeCampaign() throws IOException {
        spec = CampaignSpec.preset(CampaignSpec.Scale.TEST, "A85", 10.4583, -9.3031).zerosPerNight(1)
                .flatsPerBandPerNight(1).galaxiesPerArcmin2(10).rice(true).seed(21).build();
        manifest = new CampaignWriter(spec).write(dir, seen::add);
    }

    @Test
    void writesRawsCalibrationsRefcatsTruthAndManifest() throws IOException {
        assertEquals(manifest.files(), seen, "every file is announced as it is written");
        assertEquals(2, manifest.files(WrittenFile.Kind.SCIENCE_RAW).size());
        assertEquals(3, manifest.files(WrittenFile.Kind.CALIBRATION_RAW).size(), "1 zero + 1 flat per band");
        assertEquals(3, manifest.files(WrittenFile.Kind.REFERENCE_CATALOG).size(), "gaia + g + r");
        for (String t : List.of("stars", "galaxies", "ccds", "defects", "exposures", "ccd_exposures")) {
            assertTrue(Files.size(dir.resolve("truth/" + t + ".fits")) > 0, t);
        }
        String json = Files.readString(dir.resolve(CampaignWriter.MANIFEST));
        assertTrue(json.contains("\"m200_msun\": 1.0000e+15"), json);
        try (var s = Files.walk(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".partial")), "no partial files left");
        }
        // the raws are DECam's layout, read back through imaging's reader (fpack decompressed transparently)
        WrittenFile raw = manifest.files(WrittenFile.Kind.SCIENCE_RAW).get(0);
        assertTrue(raw.path().toString().endsWith("_ori.fits.fz"));
        List<RawCcd> ccds = RawCcdReader.readAll(Files.newInputStream(raw.path()));
        assertEquals(2, ccds.size());
        assertEquals(2160, ccds.get(0).width());
        assertEquals(4146, ccds.get(0).height());
        assertEquals("object", ccds.get(0).header().getStringValue("OBSTYPE"));
        assertEquals(raw.exposure().expnum(), ccds.get(0).header().getIntValue("EXPNUM"));
        WrittenFile flat = manifest.files(WrittenFile.Kind.CALIBRATION_RAW).stream()
                .filter(f -> f.exposure().obsType() == org.lovoccs.simulator.ObsType.DOME_FLAT).findFirst()
                .orElseThrow();
        RawCcd f = RawCcdReader.readAll(Files.newInputStream(flat.path())).get(1);
        assertEquals("dome flat", f.header().getStringValue("OBSTYPE"));
    }

    @Test
    void fitsverifyAcceptsEveryFile() throws Exception {
        Peers.requireFitsverify();
        for (WrittenFile w : manifest.files()) {
            if (w.kind() == WrittenFile.Kind.MANIFEST) {
                continue;
            }
            Peers.Result r = Peers.run(Peers.FITSVERIFY, "-q", w.path().toString());
            assertEquals(0, r.code(), w.path() + ": " + r.output());
            assertTrue(r.output().contains("verification OK"), w.path() + ": " + r.output());
        }
    }

    @Test
    void astropyReadsTheRawsHeadersAndTheTruthTables() throws Exception {
        Peers.requireAstropy();
        String script = """
                import sys, warnings
                from astropy.io import fits
                from astropy.table import Table
                from astropy.wcs import WCS
                warnings.simplefilter('ignore')
                raw = fits.open(sys.argv[1])
                h = raw[1].header
                assert raw[1].data.shape == (4146, 2160), raw[1].data.shape
                assert h['BIASSECA'] == '[2105:2154,51:4146]', h['BIASSECA']
                w = WCS(h)
                ra, dec = w.all_pix2world([[1080, 2098]], 1)[0]
                exp = Table.read(sys.argv[2])
                row = exp[exp['expnum'] == h['EXPNUM']][0]
                print(h['EXPNUM'], h['CCDNUM'], row['band'].strip(), '%.6f %.6f' % (ra, dec),
                      '%.4f' % row['zero_point'], len(Table.read(sys.argv[3])))
                """;
        WrittenFile raw = manifest.files(WrittenFile.Kind.SCIENCE_RAW).get(0);
        Peers.Result r = Peers.run(Peers.PYTHON, "-c", script, raw.path().toString(),
                dir.resolve("truth/exposures.fits").toString(), dir.resolve("truth/galaxies.fits").toString());
        assertEquals(0, r.code(), r.output());
        String[] v = r.output().trim().split("\\s+");
        PlannedExposure e = raw.exposure();
        assertEquals(e.expnum(), Integer.parseInt(v[0]));
        assertEquals(e.band().bandName(), v[2]);
        // the header WCS is the commanded pointing: the CCD's centre is within a CCD's size of the cluster
        assertEquals(10.4583, Double.parseDouble(v[3]), 0.3);
        assertEquals(-9.3031, Double.parseDouble(v[4]), 0.3);
        assertEquals(e.zeroPoint(), Double.parseDouble(v[5]), 1e-4);
        assertTrue(Integer.parseInt(v[6]) > 1000, "galaxies in the truth table");
    }

    @Test
    void badArgumentsNameTheValidRange() {
        CampaignSpec.Builder b = CampaignSpec.builder("A85", 10.4, -9.3);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.bands("g,q")).getMessage()
                .contains("u, g, r, i, z, Y"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.m200(-1e14)).getMessage()
                .contains("[1e13, 1e16]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.ccds("1-63")).getMessage()
                .contains("1-62"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.ccds("0")).getMessage()
                .contains("1-62"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.redshift(3)).getMessage()
                .contains("(0.01, 1.5)"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CampaignSpec.builder("A85", 10, 45))
                .getMessage().contains("CTIO"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CampaignSpec.Scale.fromName("huge"))
                .getMessage().contains("test, demo, full"));
    }
}
