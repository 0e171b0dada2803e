package org.lovoccs.simulator.instrument;

import org.lovoccs.imaging.PixelBox;

/**
 * One cosmetic defect of a CCD in assembled coordinates.
 *
 * @param box                    affected pixels (0-based, assembled CCD)
 * @param kind                   what it is
 * @param response               factor applied to the charge collected from the sky (1 for hot defects, 0-0.3 for
 *                               dead ones)
 * @param darkElectronsPerSecond extra charge per pixel per second of exposure (0 for dead defects)
 */
public record Defect(PixelBox box, Kind kind, double response, double darkElectronsPerSecond) {

    /** Kinds of defects. */
    public enum Kind {
        /** A full or partial column that collects little charge. */
        DEAD_COLUMN,
        /** A full or partial column with high dark current. */
        HOT_COLUMN,
        /** A single pixel with high dark current. */
        HOT_PIXEL
    }

    /** True for columns, either kind. */
    public boolean isColumn() {
        return kind != Kind.HOT_PIXEL;
    }
}
