package org.lovoccs.imaging.cp;

import java.util.stream.IntStream;

import org.lovoccs.imaging.MaskPlane;
import org.lovoccs.imaging.MaskedImage;

/**
 * The ISR steps that apply a calibration product to an exposure after {@link org.lovoccs.imaging.isr.IsrTask}
 * (overscan, gain, assembly): bias subtraction and flat division, in place. Both propagate the product's variance and
 * carry its NO_DATA pixels over (NaN where the product has no value).
 */
public final class CalibrationSteps {

    private CalibrationSteps() {
    }

    /** {@code image -= bias}, {@code variance += var(bias)}, e-. */
    public static void subtractBias(MaskedImage exposure, CalibProduct bias) {
        requireType(bias, CalibType.BIAS);
        requireSize(exposure, bias);
        MaskedImage b = bias.image();
        int w = exposure.width();
        int noData = MaskPlane.NO_DATA.bitmask();
        IntStream.range(0, exposure.height()).parallel().forEach(y -> {
            float[] img = exposure.image().array();
            float[] var = exposure.variance().array();
            int[] mask = exposure.mask().array();
            int ib = exposure.image().index(0, y);
            int vb = exposure.variance().index(0, y);
            int bb = b.image().index(0, y);
            int bvb = b.variance().index(0, y);
            for (int x = 0; x < w; x++) {
                img[ib + x] -= b.image().array()[bb + x];
                float bv = b.variance().array()[bvb + x];
                if (Float.isFinite(bv)) {
                    var[vb + x] += bv;
                }
                mask[y * w + x] |= b.mask().array()[y * w + x] & noData;
            }
        });
    }

    /**
     * {@code image /= flat}, {@code variance = variance / flat^2 + image^2 var(flat) / flat^2} (first order, with the
     * flat-fielded image); pixels where the flat is not > 0 become NaN with NO_DATA.
     */
    public static void divideFlat(MaskedImage exposure, CalibProduct flat) {
        requireType(flat, CalibType.FLAT);
        requireSize(exposure, flat);
        MaskedImage f = flat.image();
        int w = exposure.width();
        int noData = MaskPlane.NO_DATA.bitmask();
        IntStream.range(0, exposure.height()).parallel().forEach(y -> {
            float[] img = exposure.image().array();
            float[] var = exposure.variance().array();
            int[] mask = exposure.mask().array();
            int ib = exposure.image().index(0, y);
            int vb = exposure.variance().index(0, y);
            int fb = f.image().index(0, y);
            int fvb = f.variance().index(0, y);
            for (int x = 0; x < w; x++) {
                double fl = f.image().array()[fb + x];
                if (!(fl > 0)) {
                    img[ib + x] = Float.NaN;
                    var[vb + x] = Float.NaN;
                    mask[y * w + x] |= noData;
                    continue;
                }
                double v = img[ib + x] / fl;
                img[ib + x] = (float) v;
                double fv = f.variance().array()[fvb + x];
                double var2 = var[vb + x] / (fl * fl);
                if (Double.isFinite(fv)) {
                    var2 += v * v * fv / (fl * fl);
                }
                var[vb + x] = (float) var2;
                mask[y * w + x] |= f.mask().array()[y * w + x] & noData;
            }
        });
    }

    private static void requireType(CalibProduct p, CalibType t) {
        if (p.type() != t) {
            throw new IllegalArgumentException("expected a " + t.keyword() + ", got a " + p.type().keyword());
        }
    }

    private static void requireSize(MaskedImage e, CalibProduct p) {
        if (e.width() != p.width() || e.height() != p.height()) {
            throw new IllegalArgumentException("exposure is " + e.width() + "x" + e.height() + ", "
                    + p.type().keyword() + " is " + p.width() + "x" + p.height());
        }
    }
}
