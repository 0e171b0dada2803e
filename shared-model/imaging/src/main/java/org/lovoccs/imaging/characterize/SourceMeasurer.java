package org.lovoccs.imaging.characterize;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.MaskPlane;
import org.lovoccs.imaging.MaskedImage;

/**
 * Measures footprints on a background-subtracted exposure: adaptive-moment centroid and shape
 * ({@link AdaptiveMoments}, started at the peak with the PSF's sigma), circular aperture flux with exact-to-1/64-pixel
 * overlap and its error from the variance plane, peak value and pixel flags. With {@code onePerPeak} a footprint with
 * several peaks gives one source per peak (children flagged {@link SourceFlag#DEBLENDED}); the Gaussian weight of the
 * moments then localises each child, but the aperture flux includes the neighbours.
 */
public final class SourceMeasurer {

    private static final int SUB = 8;
    /** Pixels a deblended child's centroid may move from its peak. */
    private static final double CHILD_MAX_SHIFT = 1.5;

    private SourceMeasurer() {
    }

    public static SourceCatalog measure(MaskedImage exposure, List<Footprint> footprints, MeasurementConfig config,
                                        double psfSigma, boolean onePerPeak) {
        @SuppressWarnings("unchecked")
        List<Source>[] perFootprint = new List[footprints.size()];
        IntStream.range(0, footprints.size()).parallel().forEach(k -> {
            Footprint f = footprints.get(k);
            List<Source> out = new ArrayList<>();
            int pixelFlags = footprintFlags(exposure, f);
            int nPeaks = onePerPeak ? f.peaks().size() : 1;
            for (int p = 0; p < nPeaks; p++) {
                out.add(measureOne(exposure, f, f.peaks().get(p), p > 0 || nPeaks > 1, pixelFlags, config, psfSigma));
            }
            perFootprint[k] = out;
        });
        List<Source> all = new ArrayList<>();
        long id = 1;
        for (List<Source> group : perFootprint) {
            long parent = group.size() > 1 ? id : 0;
            for (Source s : group) {
                all.add(new Source(id, parent == id ? 0 : parent, s.x(), s.y(), s.flux(), s.fluxErr(), s.ixx(),
                        s.iyy(), s.ixy(), s.peakValue(), s.footprintArea(), s.flags()));
                id++;
            }
        }
        return new SourceCatalog(all);
    }

    private static Source measureOne(MaskedImage exposure, Footprint f, Footprint.Peak peak, boolean child,
                                     int pixelFlags, MeasurementConfig config, double psfSigma) {
        ImageF image = exposure.image();
        int w = image.width();
        int h = image.height();
        int flags = pixelFlags;
        if (child) {
            flags |= SourceFlag.DEBLENDED.bitmask();
        }
        // a child's moments may slide onto a brighter neighbour: accept them only near its own peak (and stop the
        // iteration as soon as it leaves)
        double maxShift = child ? CHILD_MAX_SHIFT : 3 * Math.max(psfSigma, 1.0);
        AdaptiveMoments.Result m = AdaptiveMoments.measure(image, peak.x(), peak.y(), psfSigma, config.maxSigma(),
                config.maxIterations(), config.tolerance(), maxShift);
        double x;
        double y;
        double ixx = Double.NaN;
        double iyy = Double.NaN;
        double ixy = Double.NaN;
        if (m.converged() && Math.hypot(m.x() - peak.x(), m.y() - peak.y()) < maxShift
                && m.x() >= -0.5 && m.x() < w - 0.5 && m.y() >= -0.5 && m.y() < h - 0.5) {
            x = m.x();
            y = m.y();
            ixx = m.ixx();
            iyy = m.iyy();
            ixy = m.ixy();
            if (m.truncated()) {
                flags |= SourceFlag.EDGE.bitmask();
            }
        } else {
            flags |= SourceFlag.MOMENTS_FAILED.bitmask();
            double[] c = child ? windowedCentroid(image, peak, psfSigma) : firstMoment(image, f, peak);
            x = c[0];
            y = c[1];
        }
        double[] ap = aperture(exposure, x, y, config.apertureRadius());
        flags |= (int) ap[2];
        double peakValue = child ? image.get(peak.x(), peak.y()) : maxValue(image, f);
        return new Source(0, 0, x, y, ap[0], ap[1], ixx, iyy, ixy, peakValue, f.area(), flags);
    }

    /**
     * A centroid with a fixed circular Gaussian window of the PSF's sigma (SExtractor's XWIN_IMAGE), iterated from the
     * peak; the peak itself when it would move more than {@link #CHILD_MAX_SHIFT}.
     */
    static double[] windowedCentroidOf(ImageF image, int x, int y, double sigma) {
        return windowedCentroid(image, new Footprint.Peak(x, y, 0, 0), sigma);
    }

    private static double[] windowedCentroid(ImageF image, Footprint.Peak peak, double sigma) {
        double xc = peak.x();
        double yc = peak.y();
        int r = (int) Math.ceil(3 * sigma);
        for (int iter = 0; iter < 20; iter++) {
            double s = 0;
            double sx = 0;
            double sy = 0;
            for (int y = Math.max(0, (int) yc - r); y <= Math.min(image.height() - 1, (int) yc + r + 1); y++) {
                for (int x = Math.max(0, (int) xc - r); x <= Math.min(image.width() - 1, (int) xc + r + 1); x++) {
                    double dx = x - xc;
                    double dy = y - yc;
                    double wv = Math.exp(-0.5 * (dx * dx + dy * dy) / (sigma * sigma)) * image.get(x, y);
                    s += wv;
                    sx += wv * dx;
                    sy += wv * dy;
                }
            }
            if (!(s > 0)) {
                break;
            }
            // a matched Gaussian window moves half-way to the centre of a Gaussian of the same width
            double nx = xc + 2 * sx / s;
            double ny = yc + 2 * sy / s;
            if (Math.hypot(nx - peak.x(), ny - peak.y()) > CHILD_MAX_SHIFT) {
                return new double[] {peak.x(), peak.y()};
            }
            boolean done = Math.hypot(nx - xc, ny - yc) < 1e-3;
            xc = nx;
            yc = ny;
            if (done) {
                break;
            }
        }
        return new double[] {xc, yc};
    }

    private static double[] firstMoment(ImageF image, Footprint f, Footprint.Peak peak) {
        double s = 0;
        double sx = 0;
        double sy = 0;
        for (int[] run : f.runs()) {
            for (int x = run[1]; x <= run[2]; x++) {
                double v = image.get(x, run[0]);
                if (v > 0) {
                    s += v;
                    sx += v * x;
                    sy += v * run[0];
                }
            }
        }
        return s > 0 ? new double[] {sx / s, sy / s} : new double[] {peak.x(), peak.y()};
    }

    private static double maxValue(ImageF image, Footprint f) {
        double max = Double.NEGATIVE_INFINITY;
        for (int[] run : f.runs()) {
            for (int x = run[1]; x <= run[2]; x++) {
                float v = image.get(x, run[0]);
                if (v > max) {
                    max = v;
                }
            }
        }
        return max;
    }

    private static int footprintFlags(MaskedImage exposure, Footprint f) {
        int[] mask = exposure.mask().array();
        int w = exposure.width();
        int bits = 0;
        for (int[] run : f.runs()) {
            int base = run[0] * w;
            for (int x = run[1]; x <= run[2]; x++) {
                bits |= mask[base + x];
            }
        }
        int flags = 0;
        if (f.touchesBorder(exposure.width(), exposure.height()) || (bits & MaskPlane.EDGE.bitmask()) != 0) {
            flags |= SourceFlag.EDGE.bitmask();
        }
        if ((bits & MaskPlane.SAT.bitmask()) != 0) {
            flags |= SourceFlag.SATURATED.bitmask();
        }
        if ((bits & MaskPlane.INTRP.bitmask()) != 0) {
            flags |= SourceFlag.INTERPOLATED.bitmask();
        }
        if ((bits & (MaskPlane.BAD.bitmask() | MaskPlane.NO_DATA.bitmask())) != 0) {
            flags |= SourceFlag.BAD.bitmask();
        }
        if ((bits & MaskPlane.CR.bitmask()) != 0) {
            flags |= SourceFlag.CR.bitmask();
        }
        return flags;
    }

    /**
     * Circular aperture photometry: {flux, error, flags}. A pixel's weight is the fraction of its square inside the
     * circle, exact for pixels wholly in or out, from 8x8 sub-pixel samples on the boundary. The error is
     * {@code sqrt(sum weight^2 variance)}. Pixels off the image set EDGE; BAD or NO_DATA pixels or non-finite values
     * inside set BAD and are skipped.
     */
    public static double[] aperture(MaskedImage exposure, double xc, double yc, double r) {
        ImageF image = exposure.image();
        ImageF var = exposure.variance();
        int[] mask = exposure.mask().array();
        int w = image.width();
        int h = image.height();
        int flags = 0;
        int xa = (int) Math.floor(xc - r - 1);
        int xb = (int) Math.ceil(xc + r + 1);
        int ya = (int) Math.floor(yc - r - 1);
        int yb = (int) Math.ceil(yc + r + 1);
        double flux = 0;
        double v2 = 0;
        double inner = r - Math.sqrt(0.5);
        double outer = r + Math.sqrt(0.5);
        int bad = MaskPlane.BAD.bitmask() | MaskPlane.NO_DATA.bitmask();
        for (int y = ya; y <= yb; y++) {
            double dy = y - yc;
            for (int x = xa; x <= xb; x++) {
                double dx = x - xc;
                double d = Math.sqrt(dx * dx + dy * dy);
                if (d >= outer) {
                    continue;
                }
                double frac;
                if (d <= inner) {
                    frac = 1;
                } else {
                    int in = 0;
                    for (int sy = 0; sy < SUB; sy++) {
                        double py = dy + (sy + 0.5) / SUB - 0.5;
                        for (int sx = 0; sx < SUB; sx++) {
                            double px = dx + (sx + 0.5) / SUB - 0.5;
                            if (px * px + py * py <= r * r) {
                                in++;
                            }
                        }
                    }
                    frac = in / (double) (SUB * SUB);
                    if (frac == 0) {
                        continue;
                    }
                }
                if (x < 0 || y < 0 || x >= w || y >= h) {
                    flags |= SourceFlag.EDGE.bitmask();
                    continue;
                }
                float v = image.get(x, y);
                float vv = var.get(x, y);
                if ((mask[y * w + x] & bad) != 0 || !Float.isFinite(v)) {
                    flags |= SourceFlag.BAD.bitmask();
                    continue;
                }
                flux += frac * v;
                if (Float.isFinite(vv)) {
                    v2 += frac * frac * vv;
                }
            }
        }
        return new double[] {flux, Math.sqrt(v2), flags};
    }
}
