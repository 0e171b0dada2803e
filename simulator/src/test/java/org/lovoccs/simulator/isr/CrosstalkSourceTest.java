package org.lovoccs.simulator.isr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovoccs.imaging.isr.CrosstalkSource;
import org.lovoccs.imaging.isr.IsrConfig;
import org.lovoccs.imaging.isr.IsrResult;
import org.lovoccs.imaging.isr.IsrTask;
import org.lovoccs.imaging.raw.RawCcd;
import org.lovoccs.simulator.CtioSite;
import org.lovoccs.simulator.ExposureSpec;
import org.lovoccs.simulator.Peers;
import org.lovoccs.simulator.RawExposureSimulator;
import org.lovoccs.simulator.SimulatedCcd;

/**
 * Step0's overscanRaw ({@link CrosstalkSource}) of a simulated DECam CCD (2048 x 4096, sky 1000 e-): its values are
 * the overscan-corrected raw ADU rounded (checked against IsrTask's overscan, within 0.5 ADU), the file round-trips
 * exactly, is refused when it is not one, and is clean under fitsverify and read by astropy with the same pixels.
 */
class CrosstalkSourceTest {

    static final double RA = 202.0;
    static final double DEC = -31.5;
    static SimulatedCcd ccd;
    static RawCcd raw;
    static CrosstalkSource source;
    static byte[] file;

    @TempDir
    Path dir;

    @BeforeAll
    static void simulate() {
        Instant date = CtioSite.nextTransit(RA, Instant.parse("2024-03-10T00:00:00Z"));
        ccd = new RawExposureSimulator().simulateCcd(new ExposureSpec("Abell 3558", 1001, "r", date, 90.0, RA, DEC,
                1.0, 1000.0, 200, 42L), 21);
        raw = ccd.toRawCcd();
        IsrConfig step0 = IsrConfig.defaults().withAssemble(false).withVariance(false);
        long t0 = System.nanoTime();
        source = CrosstalkSource.fromRaw(raw, step0);
        long t1 = System.nanoTime();
        file = source.toBytes();
        long t2 = System.nanoTime();
        CrosstalkSource back = CrosstalkSource.read(file);
        long t3 = System.nanoTime();
        System.out.printf(Locale.ROOT, "CrosstalkSource of a %dx%d CCD: %,d bytes (%.1f%% of the int32 image, %.2f"
                        + " bytes/pixel); fromRaw %.0f ms, toBytes %.0f ms, read %.0f ms%n", source.width(),
                source.height(), file.length, 100.0 * file.length / (4.0 * source.width() * source.height()),
                (double) file.length / source.width() / source.height(), (t1 - t0) / 1e6, (t2 - t1) / 1e6,
                (t3 - t2) / 1e6);
    }

    @Test
    void valuesAreTheOverscanCorrectedRawInAdu() {
        assertEquals(21, source.detector());
        assertEquals(1001, source.expnum());
        assertEquals(2048, source.width());
        assertEquals(4096, source.height());
        CrosstalkSource.Amp a = source.amplifier("A");
        CrosstalkSource.Amp b = source.amplifier("B");
        assertTrue(a.flipX() && !a.flipY() && a.box().x0() == 1024, a.toString());
        assertTrue(!b.flipX() && !b.flipY() && b.box().x0() == 0, b.toString());
        IsrResult isr = IsrTask.run(raw, IsrConfig.defaults());
        float[] e = isr.exposure().image().array();
        double worst = 0;
        for (CrosstalkSource.Amp amp : source.amplifiers()) {
            double gain = isr.metadata().getDoubleValue("GAIN" + amp.name());
            for (int y = amp.box().y0(); y <= amp.box().maxY(); y++) {
                for (int x = amp.box().x0(); x <= amp.box().maxX(); x++) {
                    worst = Math.max(worst, Math.abs(source.adu(x, y) - e[y * 2048 + x] / gain));
                }
            }
        }
        assertTrue(worst <= 0.5 + 1e-3, "worst difference from IsrTask's overscan-corrected ADU: " + worst);
    }

    @Test
    void roundTripsAndRefusesOtherFiles() {
        CrosstalkSource back = CrosstalkSource.read(file);
        assertEquals(source.detector(), back.detector());
        assertEquals(source.expnum(), back.expnum());
        assertEquals(source.amplifiers(), back.amplifiers());
        int[] a = new int[2048 * 4096];
        int[] b = new int[2048 * 4096];
        for (int y = 0; y < 4096; y++) {
            for (int x = 0; x < 2048; x++) {
                a[y * 2048 + x] = source.adu(x, y);
                b[y * 2048 + x] = back.adu(x, y);
            }
        }
        assertArrayEquals(a, b);
        IllegalArgumentException notFits = assertThrows(IllegalArgumentException.class,
                () -> CrosstalkSource.read("SIMPLE  = nonsense".getBytes()));
        assertTrue(notFits.getMessage().contains("not a FITS file"), notFits.getMessage());
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> CrosstalkSource.read(rawFileBytes()));
        assertTrue(other.getMessage().contains("no OVERSCANRAW HDU"), other.getMessage());
        IllegalArgumentException noOverscan = assertThrows(IllegalArgumentException.class,
                () -> CrosstalkSource.fromRaw(raw, IsrConfig.defaults().withOverscan(false)));
        assertTrue(noOverscan.getMessage().contains("doOverscan"), noOverscan.getMessage());
    }

    static byte[] rawFileBytes() {
        try {
            return new RawExposureSimulator().toBytes(new ExposureSpec("Abell 3558", 1001, "r",
                    CtioSite.nextTransit(RA, Instant.parse("2024-03-10T00:00:00Z")), 90.0, RA, DEC, 1.0, 1000.0, 5,
                    43L), List.of(28));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void fitsverifyAndAstropyAcceptTheFile() throws Exception {
        Peers.requireFitsverify();
        Peers.requireAstropy();
        Path p = dir.resolve("overscanRaw.fits");
        Files.write(p, file);
        Peers.Result v = Peers.run(Peers.FITSVERIFY, p.toString());
        assertEquals(0, v.code(), v.output());
        assertTrue(v.output().contains("0 warning(s) and 0 error(s)"), v.output());
        long sum = 0;
        for (int y = 0; y < 4096; y++) {
            for (int x = 0; x < 2048; x++) {
                sum += source.adu(x, y);
            }
        }
        String script = String.join("\n",
                "import sys, warnings",
                "warnings.simplefilter('error')",
                "from astropy.io import fits",
                "import numpy as np",
                "with fits.open(sys.argv[1]) as h:",
                "    h.verify('exception')",
                "    x = h['OVERSCANRAW']",
                "    d = x.data",
                "    assert d.shape == (4096, 2048), d.shape",
                "    assert x.header['CCDNUM'] == 21 and x.header['EXPNUM'] == 1001, x.header",
                "    assert x.header['BUNIT'] == 'adu' and x.header['AMPSECA'] == '[2048:1025,1:4096]'",
                "    assert int(d.astype(np.int64).sum()) == int(sys.argv[2]), (int(d.sum()), sys.argv[2])",
                "    assert int(d[100, 1500]) == int(sys.argv[3])",
                "    print('astropy: OVERSCANRAW', d.dtype, d.shape, 'sum', int(d.astype(np.int64).sum()))");
        Peers.Result r = Peers.run(Peers.PYTHON, "-c", script, p.toString(), Long.toString(sum),
                Integer.toString(source.adu(1500, 100)));
        System.out.print(r.output());
        assertEquals(0, r.code(), r.output());
    }
}
