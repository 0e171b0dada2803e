package org.lovoccs.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovoccs.imaging.isr.IsrConfig;
import org.lovoccs.imaging.isr.IsrTask;
import org.lovoccs.imaging.isr.PostIsrCcdFormatter;

/**
 * The files the project writes, checked by established tools when they are installed (Debian packages fitsverify
 * and python3-astropy); skipped otherwise.
 */
class PeerToolsTest {

    @TempDir
    Path dir;

    @Test
    void fitsverifyAcceptsRawAndPostIsrFiles() throws Exception {
        Peers.require(Files.isExecutable(Path.of("/usr/bin/fitsverify")), "fitsverify");
        Path raw = dir.resolve("raw.fits");
        Files.write(raw, Fixtures.file());
        Path post = writePostIsr(false);
        Path compressed = writePostIsr(true);
        for (Path p : List.of(raw, post, compressed)) {
            Peers.Result r = Peers.run("/usr/bin/fitsverify", p.toString());
            assertEquals(0, r.code(), r.output());
            assertTrue(r.output().contains("0 warning(s) and 0 error(s)"), r.output());
        }
    }

    @Test
    void astropyReadsRawAndPostIsrFiles() throws Exception {
        Peers.require(Peers.run("/usr/bin/python3", "-c", "import astropy").code() == 0, "python3-astropy");
        Path raw = dir.resolve("raw.fits");
        Files.write(raw, Fixtures.file());
        Path post = writePostIsr(false);
        Path compressed = writePostIsr(true);
        String script = String.join("\n",
                "import sys, warnings",
                "warnings.simplefilter('error')",
                "from astropy.io import fits",
                "from astropy.wcs import WCS",
                "from astropy import units as u",
                "import numpy as np",
                "with fits.open(sys.argv[1]) as h:",
                "    h.verify('exception')",
                "    assert h[0].header['INSTRUME'] == 'DECam' and len(h) == 3",
                "    d = h[2].data",
                "    assert d.dtype == np.uint16 and d.shape == (4146, 2160), (d.dtype, d.shape)",
                "    ra, dec = WCS(h[2].header).pixel_to_world_values(1079.5, 2097.5)",
                "    print('raw S4 centre', ra, dec)",
                "with fits.open(sys.argv[2]) as h:",
                "    h.verify('exception')",
                "    assert [x.name for x in h] == ['PRIMARY', 'IMAGE', 'MASK', 'VARIANCE']",
                "    assert u.Unit(h['IMAGE'].header['BUNIT']) == u.electron",
                "    assert u.Unit(h['VARIANCE'].header['BUNIT']) == u.electron ** 2",
                "    assert h['MASK'].header['MP_SAT'] == 1 and h['MASK'].header['MP_NO_DATA'] == 7",
                "    img = h['IMAGE'].data",
                "    assert img.shape == (4096, 2048)",
                "    ra2, dec2 = WCS(h['IMAGE'].header).pixel_to_world_values(1023.5, 2047.5)",
                "    print('postISR centre', ra2, dec2, 'median', float(np.median(img)))",
                "    assert abs(ra2 - ra) < 1e-9 and abs(dec2 - dec) < 1e-9",
                "    assert abs(np.median(img) - 1000) < 5",
                "    mask = h['MASK'].data",
                "# the intermediates' tile-compressed MASK (RICE_1) reads back as the same image",
                "with fits.open(sys.argv[3]) as h:",
                "    h.verify('exception')",
                "    assert [x.name for x in h] == ['PRIMARY', 'IMAGE', 'MASK', 'VARIANCE']",
                "    assert isinstance(h['MASK'], fits.CompImageHDU), type(h['MASK'])",
                "    assert h['MASK'].header['MP_SAT'] == 1, 'MP_SAT'",
                "    assert h['MASK'].data.dtype.kind == 'i' and h['MASK'].data.dtype.itemsize == 4, h['MASK'].data.dtype",
                "    assert np.array_equal(h['MASK'].data, mask), 'mask differs'",
                "    assert (mask != 0).sum() >= 4000, int((mask != 0).sum())",
                "    print('compressed MASK equal to the plain one,', int((mask != 0).sum()), 'pixels set')");
        Peers.Result r = Peers.run("/usr/bin/python3", "-c", script, raw.toString(), post.toString(),
                compressed.toString());
        assertEquals(0, r.code(), r.output());
        System.out.print("astropy: " + r.output());
    }

    private Path writePostIsr(boolean compressMask) throws IOException {
        Path post = dir.resolve(compressMask ? "postisr-compressed.fits" : "postisr.fits");
        var ccd = IsrTask.run(Fixtures.ccd28().toRawCcd(), IsrConfig.defaults()).toPostIsrCcd();
        // a few planes set, so that the compressed mask has something to keep
        for (int k = 0; k < 5000; k++) {
            ccd.image().mask().set((k * 37) % 2048, (k * 101) % 4096, k % 2 == 0 ? org.lovoccs.imaging.MaskPlane.CR
                    : org.lovoccs.imaging.MaskPlane.DETECTED);
        }
        Files.write(post, PostIsrCcdFormatter.toBytes(ccd, compressMask));
        return post;
    }



}
