package org.lovoccs.simulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import nom.tam.fits.Header;
import nom.tam.util.FitsOutputStream;
import org.lovoccs.imaging.fits.FitsImageIO;
import org.lovoccs.imaging.raw.RawCcd;

/**
 * One simulated raw CCD HDU (header + unsigned 16-bit pixels) and its truth.
 *
 * <p>{@link #rawAdu()} is row-major over the whole raw HDU (0-based, x = column = FITS axis 1, row 0 = FITS row 1);
 * each element holds an ADU value 0..65535 as its 16-bit pattern: {@code adu = rawAdu()[i] & 0xFFFF}.
 */
public final class SimulatedCcd {

    private final Header header;
    private final int width;
    private final int height;
    private final short[] rawAdu;
    private final CcdTruth truth;

    SimulatedCcd(Header header, int width, int height, short[] rawAdu, CcdTruth truth) {
        this.header = header;
        this.width = width;
        this.height = height;
        this.rawAdu = rawAdu;
        this.truth = truth;
    }

    /** The extension header (XTENSION = 'IMAGE', BITPIX = 16, BZERO = 32768, geometry, gains, WCS...). */
    public Header header() {
        return header;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Raw pixels as unsigned 16-bit patterns (not a copy). */
    public short[] rawAdu() {
        return rawAdu;
    }

    /** ADU of raw pixel (x, y), 0-based. */
    public int adu(int x, int y) {
        if (x < 0 || x >= width || y < 0 || y >= height) {
            throw new IndexOutOfBoundsException("pixel (" + x + ", " + y + ") outside " + width + "x" + height);
        }
        return rawAdu[y * width + x] & 0xFFFF;
    }

    public CcdTruth truth() {
        return truth;
    }

    public int ccdNum() {
        return truth.ccdNum();
    }

    public String detpos() {
        return truth.detpos();
    }

    /** The same HDU as imaging's {@link RawCcd} (pixels copied to ints), as if read from the file. */
    public RawCcd toRawCcd() {
        int[] px = new int[rawAdu.length];
        for (int i = 0; i < px.length; i++) {
            px[i] = rawAdu[i] & 0xFFFF;
        }
        return new RawCcd(header, width, height, px);
    }

    /** Writes the HDU (header blocks, then padded data) to {@code out}. */
    public void writeHdu(FitsOutputStream out) throws IOException {
        FitsImageIO.writeUnsigned16Hdu(out, header, rawAdu, width, height);
    }

    /** The HDU's bytes, exactly as they appear in the multi-extension file. */
    public byte[] hduBytes() {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(2 * width * height + 4 * 2880);
        try {
            FitsOutputStream out = new FitsOutputStream(bos);
            writeHdu(out);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }
}
