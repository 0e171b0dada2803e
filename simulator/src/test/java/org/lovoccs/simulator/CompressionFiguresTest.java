package org.lovoccs.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import nom.tam.util.FitsOutputStream;
import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.fits.RiceCompressedHdus;
import org.lovoccs.imaging.raw.RawCcd;
import org.lovoccs.imaging.raw.RawCcdReader;

/**
 * Figures for docs/benchmarks.md: size of a simulated raw CCD Rice-compressed against plain, and the time to write
 * and to read one CCD HDU either way (median of 7 after 3 warm-ups, one thread). Timing runs only with
 * {@code -Dlovoccs.figures=true}; it still checks the compression is lossless and in the expected range.
 */
class CompressionFiguresTest {

    @Test
    void sizeAndTimePerCcd() throws Exception {
        assumeTrue(Boolean.getBoolean("lovoccs.figures"), "figures only with -Dlovoccs.figures=true");
        SimulatedCcd ccd = Fixtures.ccd28();
        byte[] plain = ccd.hduBytes();
        byte[] rice = riceBytes(ccd);
        double ratio = (double) rice.length / plain.length;
        RawCcd a = RawCcdReader.readHdu(plain);
        RawCcd b = RawCcdReader.readHdu(rice);
        assertArrayEquals(a.pixels(), b.pixels());
        assertTrue(ratio > 0.2 && ratio < 0.7, "ratio " + ratio);

        double writePlain = median(() -> ccd.hduBytes());
        double writeRice = median(() -> riceBytes(ccd));
        double readPlain = median(() -> RawCcdReader.readHdu(plain));
        double readRice = median(() -> RawCcdReader.readHdu(rice));
        System.out.printf("CCD %s %dx%d, sky %.0f e-: plain HDU %d bytes, Rice HDU %d bytes, ratio %.3f "
                        + "(%.2f bits/pixel)%n", ccd.detpos(), ccd.width(), ccd.height(), Fixtures.SKY, plain.length,
                rice.length, ratio, 8.0 * rice.length / ((long) ccd.width() * ccd.height()));
        System.out.printf("write one CCD HDU: plain %.1f ms, Rice %.1f ms%n", writePlain, writeRice);
        System.out.printf("read one CCD HDU (RawCcdReader.readHdu): plain %.1f ms, Rice %.1f ms%n", readPlain,
                readRice);
    }

    private static byte[] riceBytes(SimulatedCcd ccd) throws Exception {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(10_000_000);
        FitsOutputStream out = new FitsOutputStream(bos);
        RiceCompressedHdus.writeUnsigned16Hdu(out, ccd.header(), ccd.rawAdu(), ccd.width(), ccd.height());
        out.flush();
        return bos.toByteArray();
    }

    private interface Work {
        Object run() throws Exception;
    }

    private static double median(Work w) throws Exception {
        double[] ms = new double[7];
        for (int i = -3; i < ms.length; i++) {
            long t0 = System.nanoTime();
            Object o = w.run();
            long t1 = System.nanoTime();
            if (o == null) {
                throw new AssertionError("no result");
            }
            if (i >= 0) {
                ms[i] = (t1 - t0) / 1e6;
            }
        }
        Arrays.sort(ms);
        return ms[ms.length / 2];
    }
}
