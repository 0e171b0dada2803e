package org.lovoccs.simulator.instrument;

import java.util.ArrayList;
import java.util.List;

import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.PixelBox;
import org.lovoccs.simulator.AmpCharacteristics;

/**
 * Blooming: a pixel cannot hold more than the full-well charge; the excess spills along its column, half towards
 * higher rows and half towards lower rows, filling the next pixels up to full well, until it is used up or reaches the
 * end of the column (there it is lost: {@link Result#lostElectrons}). Charge never crosses into another column.
 *
 * <p>Full well of a DECam amplifier: {@link #fullWellElectrons(AmpCharacteristics)} = SATURAT x GAIN (115-235 ke-, most 150-200 ke-, from
 * obs_decam's segment file, in line with DECam's measured full wells), so a bleed trail reads at the raw saturation
 * level.
 */
public final class BleedTrails {

    private BleedTrails() {
    }

    /**
     * The result.
     *
     * @param trails        per column, the runs of rows whose charge changed (saturated pixels and the pixels that
     *                      received their excess), 1 column wide, assembled coordinates
     * @param lostElectrons charge that ran off the ends of columns, e-
     */
    public record Result(List<PixelBox> trails, double lostElectrons) {
        public Result {
            trails = List.copyOf(trails);
        }
    }

    /** Full well of an amplifier, e-: saturation ADU x gain. */
    public static double fullWellElectrons(AmpCharacteristics amp) {
        return amp.saturationAdu() * amp.gain();
    }

    /**
     * Bleeds the columns of {@code region} (typically one amplifier's box) of an electrons image in place.
     *
     * @param fullWell full well, e- per pixel
     */
    public static Result apply(ImageF electrons, PixelBox region, double fullWell) {
        float[] a = electrons.array();
        int h = region.height();
        double[] col = new double[h];
        double[] orig = new double[h];
        List<PixelBox> trails = new ArrayList<>();
        double lost = 0;
        float cap = (float) fullWell;
        if (cap > fullWell) {
            cap = Math.nextDown(cap);
        }
        for (int x = region.x0(); x <= region.maxX(); x++) {
            boolean any = false;
            for (int j = 0; j < h; j++) {
                double v = a[electrons.index(x, region.y0() + j)];
                col[j] = v;
                orig[j] = v;
                any |= v > fullWell;
            }
            if (!any) {
                continue;
            }
            double[] half = new double[h];
            for (int j = 0; j < h; j++) {
                if (col[j] > fullWell) {
                    half[j] = 0.5 * (col[j] - fullWell);
                    col[j] = fullWell;
                }
            }
            double carry = 0;
            for (int j = 0; j < h; j++) {
                double room = fullWell - col[j];
                if (carry > 0 && room > 0) {
                    double take = Math.min(room, carry);
                    col[j] += take;
                    carry -= take;
                }
                carry += half[j];
            }
            lost += carry;
            carry = 0;
            for (int j = h - 1; j >= 0; j--) {
                double room = fullWell - col[j];
                if (carry > 0 && room > 0) {
                    double take = Math.min(room, carry);
                    col[j] += take;
                    carry -= take;
                }
                carry += half[j];
            }
            lost += carry;
            int start = -1;
            for (int j = 0; j <= h; j++) {
                boolean changed = j < h && col[j] != orig[j];
                if (changed && start < 0) {
                    start = j;
                } else if (!changed && start >= 0) {
                    trails.add(new PixelBox(x, region.y0() + start, 1, j - start));
                    start = -1;
                }
                if (j < h) {
                    a[electrons.index(x, region.y0() + j)] = Math.min((float) col[j], cap);
                }
            }
        }
        return new Result(trails, lost);
    }
}
