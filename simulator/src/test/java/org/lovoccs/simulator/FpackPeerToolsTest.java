package org.lovoccs.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovoccs.imaging.fits.FitsHduIndex;
import org.lovoccs.imaging.fits.HduSpan;
import org.lovoccs.imaging.raw.RawCcd;
import org.lovoccs.imaging.raw.RawCcdReader;

/**
 * The Rice-compressed raws checked by the established tools: fitsverify (Debian package fitsverify), astropy
 * (python3-astropy) and CFITSIO's funpack/fpack (libcfitsio-bin). A missing tool fails the test naming its package,
 * unless {@code -Dlovoccs.allowMissingPeers=true}.
 */
class FpackPeerToolsTest {

    @TempDir
    Path dir;

    private Path files() throws IOException {
        Files.write(dir.resolve("raw.fits"), Fixtures.file());
        Path fz = dir.resolve("raw" + RawEncoding.RICE.fileSuffix());
        Files.write(fz, CompressedRawTest.riceFile());
        return fz;
    }

    @Test
    void fitsverifyAcceptsTheCompressedRaw() throws Exception {
        Peers.require(Files.isExecutable(Path.of("/usr/bin/fitsverify")), "fitsverify");
        Path fz = files();
        Peers.Result quiet = Peers.run("/usr/bin/fitsverify", "-q", fz.toString());
        assertEquals(0, quiet.code(), quiet.output());
        assertTrue(quiet.output().startsWith("verification OK"), quiet.output());
        Peers.Result full = Peers.run("/usr/bin/fitsverify", "-e", fz.toString());
        assertTrue(full.output().contains("0 warning(s) and 0 error(s)"), full.output());
    }

    @Test
    void astropyDecompressesTheSamePixelsAndKeywords() throws Exception {
        Peers.require(Peers.run("/usr/bin/python3", "-c", "import astropy").code() == 0, "python3-astropy");
        Path fz = files();
        String script = String.join("\n",
                "import sys, warnings",
                "warnings.simplefilter('error')",
                "from astropy.io import fits",
                "import numpy as np",
                "with fits.open(sys.argv[1]) as z, fits.open(sys.argv[2]) as p:",
                "    z.verify('exception')",
                "    assert len(z) == len(p) == 3, (len(z), len(p))",
                "    assert isinstance(z[1], fits.CompImageHDU) and isinstance(z[2], fits.CompImageHDU)",
                "    assert z[0].header['INSTRUME'] == 'DECam' and z[0].header['NEXTEND'] == 2",
                "    for i in (1, 2):",
                "        zh, ph = z[i].header, p[i].header",
                "        assert z[i]._header['ZCMPTYPE'] == 'RICE_1' and z[i]._header['ZTILE2'] == 1",
                "        assert z[i]._header['ZTILE1'] == ph['NAXIS1']",
                "        assert len(zh) == len(ph), (len(zh), len(ph))",
                "        for k in ph:",  // before .data: astropy drops BZERO from headers once data are scaled
                "            assert zh[k] == ph[k], (i, k, zh.get(k), ph[k])",
                "        assert zh['BZERO'] == 32768",
                "        zd, pd = z[i].data, p[i].data",
                "        assert zd.dtype == np.uint16 and zd.shape == pd.shape == (4146, 2160), (zd.dtype, zd.shape)",
                "        assert np.array_equal(zd, pd), 'pixels differ in HDU %d' % i",
                "        print(zh['EXTNAME'], zh['CCDNUM'], zh['BIASSECA'], zh['GAINA'], int(zd.min()), int(zd.max()))");
        Peers.Result r = Peers.run("/usr/bin/python3", "-c", script, fz.toString(), dir.resolve("raw.fits").toString());
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("S4 28"), r.output());
        System.out.print("astropy on .fits.fz: " + r.output());
    }

    @Test
    void funpackRestoresThePlainPixelsAndOurReaderReadsFpacksOutput() throws Exception {
        Peers.require(Files.isExecutable(Path.of("/usr/bin/funpack")) && Files.isExecutable(Path.of("/usr/bin/fpack")),
                "libcfitsio-bin");
        Path fz = files();
        Path unpacked = dir.resolve("unpacked.fits");
        Peers.Result r = Peers.run("/usr/bin/funpack", "-O", unpacked.toString(), fz.toString());
        assertEquals(0, r.code(), r.output());
        List<RawCcd> expected = read(dir.resolve("raw.fits"));
        assertPixelsEqual(expected, read(unpacked), "funpack of our .fits.fz");

        // the other way round: CFITSIO's own Rice coding, read by RawCcdReader
        Path theirs = dir.resolve("fpacked.fits.fz");
        r = Peers.run("/usr/bin/fpack", "-O", theirs.toString(), dir.resolve("raw.fits").toString());
        assertEquals(0, r.code(), r.output());
        assertPixelsEqual(expected, read(theirs), "our reader on fpack's output");
        List<HduSpan> spans = FitsHduIndex.scan(Files.readAllBytes(theirs));
        assertTrue(spans.get(1).compressed() && spans.get(2).compressed());
        assertEquals(Files.size(theirs), spans.get(2).end());
        assertEquals("S4", spans.get(2).imageHeader().getStringValue("EXTNAME"));
        assertEquals(2160, spans.get(2).imageHeader().getIntValue("NAXIS1"));
        System.out.printf("compressed sizes: ours %d bytes, fpack %d bytes, plain %d bytes%n",
                Files.size(fz), Files.size(theirs), Files.size(dir.resolve("raw.fits")));
    }

    private static List<RawCcd> read(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return RawCcdReader.readAll(in);
        }
    }

    private static void assertPixelsEqual(List<RawCcd> expected, List<RawCcd> actual, String what) {
        assertEquals(expected.size(), actual.size(), what);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).name(), actual.get(i).name(), what);
            assertArrayEquals(expected.get(i).pixels(), actual.get(i).pixels(), what + ", CCD " + i);
        }
    }



    /** As PeerToolsTest: a missing peer fails with the Debian package to install, or skips when allowed. */
}
