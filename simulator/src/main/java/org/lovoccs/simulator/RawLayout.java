package org.lovoccs.simulator;

import java.util.Arrays;
import java.util.List;

import org.lovoccs.imaging.FitsSection;
import org.lovoccs.imaging.PixelBox;

/**
 * The pixel layout of a simulated raw CCD HDU: its size, its trim section (DATASEC = TRIMSEC) and its amplifiers.
 * Every raw column belongs to exactly one amplifier (through the columns of its data, overscan or prescan); raw rows
 * outside the data rows (DECam: rows 1-50) are post-scan and carry only bias and read noise.
 *
 * @param width      NAXIS1
 * @param height     NAXIS2
 * @param trim       DATASEC/TRIMSEC of the CCD
 * @param amplifiers amplifiers in header order
 */
public record RawLayout(int width, int height, FitsSection trim, List<AmpLayout> amplifiers) {

    public RawLayout {
        amplifiers = List.copyOf(amplifiers);
        PixelBox full = PixelBox.ofSize(width, height);
        if (!full.contains(trim.box())) {
            throw new IllegalArgumentException("trim section " + trim + " outside " + width + "x" + height);
        }
        int[] owner = new int[width];
        Arrays.fill(owner, -1);
        for (int k = 0; k < amplifiers.size(); k++) {
            AmpLayout a = amplifiers.get(k);
            for (FitsSection s : new FitsSection[] {a.data(), a.bias(), a.prescan()}) {
                if (!full.contains(s.box())) {
                    throw new IllegalArgumentException("amplifier " + a.name() + " section " + s + " outside "
                            + width + "x" + height);
                }
                for (int x = s.box().x0(); x <= s.box().maxX(); x++) {
                    if (owner[x] >= 0 && owner[x] != k) {
                        throw new IllegalArgumentException("raw column " + (x + 1) + " belongs to two amplifiers");
                    }
                    owner[x] = k;
                }
            }
            if (!trim.box().contains(a.data().box())) {
                throw new IllegalArgumentException("amplifier " + a.name() + " data " + a.data()
                        + " outside the trim section " + trim);
            }
        }
        for (int x = 0; x < width; x++) {
            if (owner[x] < 0) {
                throw new IllegalArgumentException("raw column " + (x + 1) + " belongs to no amplifier");
            }
        }
    }

    /**
     * DECam's archive raw layout: 2160x4146; B = prescan [1:6], overscan [7:56], data [57:1080]; A = data
     * [1081:2104], overscan [2105:2154], prescan [2155:2160]; data rows 51-4146; DATASEC = TRIMSEC = [57:2104,51:4146].
     */
    public static RawLayout decam() {
        return new RawLayout(2160, 4146, FitsSection.parse("[57:2104,51:4146]"), List.of(
                new AmpLayout("A", FitsSection.parse("[1081:2104,51:4146]"), FitsSection.parse("[2105:2154,51:4146]"),
                        FitsSection.parse("[2155:2160,51:4146]"), FitsSection.parse("[2048:1025,1:4096]")),
                new AmpLayout("B", FitsSection.parse("[57:1080,51:4146]"), FitsSection.parse("[7:56,51:4146]"),
                        FitsSection.parse("[1:6,51:4146]"), FitsSection.parse("[1:1024,1:4096]"))));
    }

    /**
     * DECam's layout mirrored left-right: amplifier A on the left (prescan [1:6], overscan [7:56], data [57:1080])
     * and B on the right. Not a real DECam format; it checks that ISR follows the header rather than constants.
     */
    public static RawLayout decamMirrored() {
        return new RawLayout(2160, 4146, FitsSection.parse("[57:2104,51:4146]"), List.of(
                new AmpLayout("A", FitsSection.parse("[57:1080,51:4146]"), FitsSection.parse("[7:56,51:4146]"),
                        FitsSection.parse("[1:6,51:4146]"), FitsSection.parse("[1:1024,1:4096]")),
                new AmpLayout("B", FitsSection.parse("[1081:2104,51:4146]"), FitsSection.parse("[2105:2154,51:4146]"),
                        FitsSection.parse("[2155:2160,51:4146]"), FitsSection.parse("[2048:1025,1:4096]"))));
    }

    /** Width of the assembled CCD. */
    public int assembledWidth() {
        return trim.box().width();
    }

    /** Height of the assembled CCD. */
    public int assembledHeight() {
        return trim.box().height();
    }
}
