package org.lovoccs.imaging.raw;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import nom.tam.fits.Header;
import nom.tam.util.FitsOutputStream;
import org.lovoccs.imaging.fits.FitsHeaders;
import org.lovoccs.imaging.fits.FitsImageIO;

/**
 * A 40x9 two-amplifier raw laid out like DECam in miniature: B = prescan [1:2], overscan [3:10], data [11:20];
 * A = data [21:30], overscan [31:38], prescan [39:40]; rows 1-3 post-scan, data rows [4:9]. Noise-free: bias is an
 * integer per amp and row, signal in electrons is {@code gain * (10 x + y)} at assembled (x, y).
 */
public final class SmallRaws {

    public static final int WIDTH = 40;
    public static final int HEIGHT = 9;
    public static final double GAIN_A = 4.0;
    public static final double GAIN_B = 2.0;
    public static final double SATURATION_A = 50000;
    public static final double SATURATION_B = 60000;

    private SmallRaws() {
    }

    public static int biasA(int rawRow) {
        return 700 - 2 * rawRow;
    }

    public static int biasB(int rawRow) {
        return 500 + rawRow;
    }

    /** Electrons at assembled pixel (x, y), 0 <= x < 20, 0 <= y < 6. */
    public static double electrons(int x, int y) {
        return (x < 10 ? GAIN_B : GAIN_A) * (10 * x + y);
    }

    public static Header header() {
        Header h = FitsHeaders.imageExtension(16, WIDTH, HEIGHT);
        FitsHeaders.add(h, "BZERO", 32768, "");
        FitsHeaders.add(h, "BSCALE", 1, "");
        FitsHeaders.add(h, "EXTNAME", "S29", "");
        FitsHeaders.add(h, "CCDNUM", 1, "");
        FitsHeaders.add(h, "DETPOS", "S29", "");
        FitsHeaders.add(h, "FILTER", "r DECam SDSS c0002 6415.0 1480.0", "");
        FitsHeaders.add(h, "EXPNUM", 12345, "");
        FitsHeaders.add(h, "DATE-OBS", "2024-03-10T05:00:00.000000", "");
        FitsHeaders.add(h, "DATASEC", "[11:30,4:9]", "");
        FitsHeaders.add(h, "TRIMSEC", "[11:30,4:9]", "");
        FitsHeaders.add(h, "GAINA", GAIN_A, "");
        FitsHeaders.add(h, "GAINB", GAIN_B, "");
        FitsHeaders.add(h, "RDNOISEA", 6.0, "");
        FitsHeaders.add(h, "RDNOISEB", 5.0, "");
        FitsHeaders.add(h, "SATURATA", SATURATION_A, "");
        FitsHeaders.add(h, "SATURATB", SATURATION_B, "");
        FitsHeaders.add(h, "DATASECA", "[21:30,4:9]", "");
        FitsHeaders.add(h, "DATASECB", "[11:20,4:9]", "");
        FitsHeaders.add(h, "BIASSECA", "[31:38,4:9]", "");
        FitsHeaders.add(h, "BIASSECB", "[3:10,4:9]", "");
        FitsHeaders.add(h, "PRESECA", "[39:40,4:9]", "");
        FitsHeaders.add(h, "PRESECB", "[1:2,4:9]", "");
        FitsHeaders.add(h, "AMPSECA", "[20:11,1:6]", "");
        FitsHeaders.add(h, "AMPSECB", "[1:10,1:6]", "");
        FitsHeaders.add(h, "CTYPE1", "RA---TAN", "");
        FitsHeaders.add(h, "CTYPE2", "DEC--TAN", "");
        FitsHeaders.add(h, "CRVAL1", 202.0, "");
        FitsHeaders.add(h, "CRVAL2", -31.5, "");
        FitsHeaders.add(h, "CRPIX1", 1000.5, "");
        FitsHeaders.add(h, "CRPIX2", -50.0, "");
        FitsHeaders.add(h, "CD1_1", 0.0, "");
        FitsHeaders.add(h, "CD1_2", 7.3e-5, "");
        FitsHeaders.add(h, "CD2_1", 7.3e-5, "");
        FitsHeaders.add(h, "CD2_2", 0.0, "");
        return h;
    }

    /** Raw ADU, row-major. Pixel (22, 5) of amp A is set to 60000 (saturated). */
    public static int[] pixels() {
        int[] px = new int[WIDTH * HEIGHT];
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                boolean ampB = x < 20;
                int bias = ampB ? biasB(y) : biasA(y);
                int v = bias;
                if (y >= 3 && x >= 10 && x < 30) {
                    int ax = x - 10;
                    v += (int) Math.round(electrons(ax, y - 3) / (ampB ? GAIN_B : GAIN_A));
                }
                px[y * WIDTH + x] = v;
            }
        }
        px[5 * WIDTH + 22] = 60000;
        return px;
    }

    public static RawCcd raw() {
        return new RawCcd(header(), WIDTH, HEIGHT, pixels());
    }

    /** The HDU's bytes as in a file (header + unsigned 16-bit data). */
    public static byte[] hduBytes(Header h, int[] px) throws IOException {
        short[] bits = new short[px.length];
        for (int i = 0; i < px.length; i++) {
            bits[i] = (short) px[i];
        }
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        FitsOutputStream out = new FitsOutputStream(bos);
        FitsImageIO.writeUnsigned16Hdu(out, h, bits, h.getIntValue("NAXIS1"), h.getIntValue("NAXIS2"));
        out.flush();
        return bos.toByteArray();
    }

    /** A two-HDU file: empty primary + this raw. */
    public static byte[] file() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        FitsOutputStream out = new FitsOutputStream(bos);
        Header primary = FitsHeaders.primary();
        FitsHeaders.add(primary, "INSTRUME", "DECam", "");
        FitsHeaders.add(primary, "OBJECT", "Abell 3558", "");
        FitsImageIO.writeHeader(out, primary);
        out.flush();
        bos.write(hduBytes(header(), pixels()));
        return bos.toByteArray();
    }
}
