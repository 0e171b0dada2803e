package org.lovoccs.simulator.instrument;

import java.util.ArrayList;
import java.util.List;

import org.lovoccs.imaging.PixelBox;
import org.lovoccs.simulator.AmpLayout;
import org.lovoccs.simulator.RawLayout;

/**
 * One amplifier's pixels in the assembled CCD and the order in which it reads them.
 *
 * <p>Readout coordinates (i, j) are 0-based with (0, 0) the first pixel the amplifier reads (next to its output
 * node): column {@code x = flipX ? box.maxX() - i : box.x0() + i}, row {@code y = flipY ? box.maxY() - j : box.y0() + j}.
 * For DECam ({@link RawLayout#decam()}) amplifier B covers assembled columns 0-1023 read left to right, and A covers
 * 1024-2047 read right to left (AMPSECA = [2048:1025,1:4096]), so readout (i, j) is x = i in B and x = 2047 - i in A.
 *
 * @param name  amplifier name (A, B)
 * @param box   its pixels in the assembled CCD (0-based)
 * @param flipX true when readout column 0 is the box's last column
 * @param flipY true when readout row 0 is the box's last row
 */
public record ReadoutAmp(String name, PixelBox box, boolean flipX, boolean flipY) {

    /** Assembled column of readout column {@code i}. */
    public int x(int i) {
        return flipX ? box.maxX() - i : box.x0() + i;
    }

    /** Assembled row of readout row {@code j}. */
    public int y(int j) {
        return flipY ? box.maxY() - j : box.y0() + j;
    }

    /** Readout column of assembled column {@code x} (the inverse of {@link #x(int)}). */
    public int readoutColumn(int x) {
        return flipX ? box.maxX() - x : x - box.x0();
    }

    /** Readout row of assembled row {@code y}. */
    public int readoutRow(int y) {
        return flipY ? box.maxY() - y : y - box.y0();
    }

    /**
     * The amplifiers of a raw layout in assembled coordinates (data section minus the trim origin), in the layout's
     * order; the readout direction is AMPSEC's direction relative to DATASEC's.
     */
    public static List<ReadoutAmp> fromLayout(RawLayout layout) {
        PixelBox trim = layout.trim().box();
        List<ReadoutAmp> out = new ArrayList<>();
        for (AmpLayout a : layout.amplifiers()) {
            out.add(new ReadoutAmp(a.name(), a.data().box().shift(-trim.x0(), -trim.y0()),
                    a.ampSection().flipX() != a.data().flipX(), a.ampSection().flipY() != a.data().flipY()));
        }
        return List.copyOf(out);
    }

    /** The amplifier named {@code name} in {@code amps}. */
    static ReadoutAmp named(List<ReadoutAmp> amps, String name) {
        for (ReadoutAmp a : amps) {
            if (a.name().equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("no amplifier " + name + " among " + amps);
    }
}
