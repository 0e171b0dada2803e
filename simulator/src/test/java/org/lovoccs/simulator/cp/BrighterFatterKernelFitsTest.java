package org.lovoccs.simulator.cp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import nom.tam.fits.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovoccs.imaging.MaskedImage;
import org.lovoccs.imaging.cp.BrighterFatterKernel;
import org.lovoccs.imaging.cp.BrighterFatterKernelFormatter;
import org.lovoccs.imaging.fits.FitsHeaders;
import org.lovoccs.imaging.isr.PostIsrCcd;
import org.lovoccs.simulator.Peers;
import org.lovoccs.simulator.instrument.BrighterFatter;

/** A measured brighter-fatter kernel through FITS: fitsverify, our reader and astropy. */
class BrighterFatterKernelFitsTest {

    /** Three 512 x 512 flats of S15 at 40,000 e- with brighter-fatter: one pair and one left over. */
    static BrighterFatterKernel measured() {
        List<PostIsrCcd> flats = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            MaskedImage mi = MaskedImage.allocate(512, 512);
            float[] a = mi.image().array();
            SplittableRandom rng = new SplittableRandom(7 + i);
            for (int p = 0; p < a.length; p++) {
                a[p] = (float) (40_000 + 200 * rng.nextGaussian());
            }
            BrighterFatter.decam().apply(mi.image());
            Header h = new Header();
            FitsHeaders.add(h, "EXPNUM", 1000 + i, "exposure");
            FitsHeaders.add(h, "DETPOS", "S15", "detector");
            FitsHeaders.add(h, "CCDNUM", 14, "ccd");
            FitsHeaders.add(h, "FILTER", "r DECam SDSS c0002 6415.0 1480.0", "filter");
            FitsHeaders.add(h, "EXPTIME", 40.0, "s");
            flats.add(new PostIsrCcd(mi, h, null));
        }
        return BrighterFatterKernel.fromProcessedPairs(flats,
                BrighterFatterKernel.Config.defaults().withAmpColumns(256));
    }

    @Test
    void kernelPassesFitsverifyReadsBackAndAstropyReadsIt(@TempDir Path dir) throws Exception {
        Peers.requireFitsverify();
        Peers.requireAstropy();
        BrighterFatterKernel k = measured();
        Path file = dir.resolve("bfk.fits");
        BrighterFatterKernelFormatter.write(k, file);
        assertEquals(0, Files.size(file) % 2880);
        // warnings count too (a CRPIX without CRVAL and CTYPE once gave 6)
        Peers.Result v = Peers.run(Peers.FITSVERIFY, "-q", file.toString());
        assertEquals(0, v.code(), "fitsverify: " + v.output());
        assertTrue(v.output().contains("OK"), v.output());

        BrighterFatterKernel back = BrighterFatterKernelFormatter.read(file);
        assertEquals(8, back.radius());
        assertEquals(1, back.pairs());
        assertEquals(k.meanSignal(), back.meanSignal(), 1e-9 * k.meanSignal());
        assertArrayEquals(k.kernel(), back.kernel());
        assertArrayEquals(k.xcorr(), back.xcorr());
        assertTrue(Double.isNaN(back.xcorrError()[0]), "one pair has no error across pairs");
        assertEquals("S15", back.metadata().getStringValue("DETPOS"));
        assertEquals(1, back.metadata().getIntValue("BFKUNPRD"));

        String py = "from astropy.io import fits\n"
                + "h = fits.open('" + file + "')\n"
                + "p = h[0].header\n"
                + "print(p['CALIBTYP'], p['DETPOS'], p['CCDNUM'], p['BFKNPAIR'], [x.name for x in h],"
                + " h['KERNEL'].data.shape, h['KERNEL'].header['BUNIT'], h['KERNEL'].data.dtype.kind,"
                + " '%.6e' % h['KERNEL'].data[8, 8], '%.6e' % h['XCORR'].data[8, 9],"
                + " [c.strip() for c in p['HISTORY'] if c.strip().startswith('pair')])\n";
        Peers.Result a = Peers.run(Peers.PYTHON, "-c", py);
        assertEquals(0, a.code(), a.output());
        String expected = "bfk S15 14 1 ['PRIMARY', 'KERNEL', 'XCORR', 'XCORRERR'] (17, 17) 1/electron f "
                + String.format("%.6e", k.kernel(0, 0)) + " " + String.format("%.6e", k.xcorr(1, 0))
                + " ['pair 1000+1001 r 40.0 s: " + Math.round(k.meanSignal()) + ",";
        assertTrue(a.output().trim().startsWith(expected), "astropy's view: " + a.output() + " expected " + expected);
    }

    @Test
    void aFileThatIsNotAKernelIsRefusedSayingSo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("notbfk.fits");
        Header h = FitsHeaders.primary();
        FitsHeaders.add(h, "CALIBTYP", "flat", "type");
        byte[] bytes = new byte[2880];
        java.util.Arrays.fill(bytes, (byte) ' ');
        byte[] text = headerText(h);
        System.arraycopy(text, 0, bytes, 0, text.length);
        Files.write(file, bytes);
        IOException e = assertThrows(IOException.class, () -> BrighterFatterKernelFormatter.read(file));
        assertTrue(e.getMessage().contains("not a brighter-fatter kernel"), e.getMessage());
    }

    private static byte[] headerText(Header h) {
        StringBuilder sb = new StringBuilder();
        h.iterator().forEachRemaining(c -> sb.append(String.format("%-80s", c.toString()).substring(0, 80)));
        sb.append(String.format("%-80s", "END"));
        return sb.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
