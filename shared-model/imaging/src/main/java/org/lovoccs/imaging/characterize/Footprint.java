package org.lovoccs.imaging.characterize;

import java.util.List;

/**
 * A connected (8-neighbour) set of pixels above the detection threshold, as horizontal runs, with its peaks.
 *
 * @param runs  row-ordered runs {@code {y, x0, x1}} (x1 inclusive), 0-based pixel coordinates
 * @param peaks local maxima of the smoothed image within the footprint, brightest first (never empty)
 * @param area  number of pixels
 * @param x0    bounding box, inclusive
 * @param y0    bounding box, inclusive
 * @param x1    bounding box, inclusive
 * @param y1    bounding box, inclusive
 */
public record Footprint(List<int[]> runs, List<Peak> peaks, int area, int x0, int y0, int x1, int y1) {

    /**
     * A peak.
     *
     * @param x              column
     * @param y              row
     * @param smoothedValue  value of the smoothed image
     * @param significance   smoothed value over the smoothed image's noise there
     */
    public record Peak(int x, int y, double smoothedValue, double significance) {
    }

    /** Whether the footprint touches the image border of a {@code width x height} image. */
    public boolean touchesBorder(int width, int height) {
        return x0 == 0 || y0 == 0 || x1 == width - 1 || y1 == height - 1;
    }
}
