package org.lovoccs.imaging.characterize;

import java.util.ArrayList;
import java.util.List;

import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.MaskPlane;
import org.lovoccs.imaging.MaskedImage;

/**
 * Finds point sources hidden on the shoulders of brighter ones, which make no local maximum of the smoothed image
 * (DAOPHOT's and SExtractor's PSF-fitting idea, reduced to detection): every measured source is fitted with the PSF
 * at its centroid (linear amplitude over the kernel) and subtracted, the residual is smoothed with the detection
 * kernel, and its local maxima above the detection threshold (plus {@link #MODEL_ERROR} of the subtracted models), inside DETECTED pixels and more than 2 pixels from any
 * source, become new sources: windowed centroid on the residual, aperture flux on the exposure (so it includes the
 * neighbour), flagged {@link SourceFlag#DEBLENDED} with the nearest source as parent.
 */
final class ResidualPeaks {

    /**
     * The PSF model's relative error allowed for in the residual: a peak must exceed the detection threshold plus this
     * fraction of the (smoothed) subtracted models there, so imperfect subtraction of bright stars is not detected.
     */
    static final double MODEL_ERROR = 0.05;

    private ResidualPeaks() {
    }

    static SourceCatalog addHidden(MaskedImage exposure, SourceCatalog catalog, PsfModel psf, ImageF noiseRms,
                                   DetectionConfig detection, MeasurementConfig measurement, double psfSigma) {
        int w = exposure.width();
        int h = exposure.height();
        ImageF residual = exposure.image().copy();
        float[] r = residual.array();
        int half = psf.size() / 2;
        double[][] wxs = new double[0][];
        double[] wy = new double[2 * Lanczos.A];
        for (Source s : catalog.sources()) {
            if (!Double.isFinite(s.x()) || s.has(SourceFlag.SATURATED)) {
                continue;
            }
            ImageF k = psf.kernelAt(s.x(), s.y());
            int x0 = (int) Math.round(s.x()) - half;
            int y0 = (int) Math.round(s.y()) - half;
            int n = psf.size();
            double[] model = new double[n * n];
            double kd = 0;
            double kk = 0;
            // the x weights and first tap depend on the column only: once per column, not once per pixel
            if (wxs.length < n) {
                wxs = new double[n][2 * Lanczos.A];
            }
            int[] ixs = new int[n];
            for (int i = 0; i < n; i++) {
                double kx = x0 + i - s.x() + half;
                Lanczos.weights(kx, wxs[i]);
                ixs[i] = (int) Math.floor(kx);
            }
            // Lanczos.at(k, ix, iy, wx, wy) sums, row by row of k, the row's x-interpolation r, then wy x r over the
            // rows: the x sums depend on the kernel row and the column only, so they are made once here (6 taps per
            // kernel pixel instead of 36) and the rows' sums below take them in Lanczos.at's order: the same floats
            double[] xSums = xInterpolated(k, ixs, wxs, n);
            int kh = k.height();
            for (int j = 0; j < n; j++) {
                int y = y0 + j;
                double ky = y - s.y() + half;
                Lanczos.weights(ky, wy);
                int iy = (int) Math.floor(ky);
                for (int i = 0; i < n; i++) {
                    int x = x0 + i;
                    if (x < 0 || y < 0 || x >= w || y >= h) {
                        continue;
                    }
                    double m = yInterpolated(xSums, n, kh, iy, wy, i);
                    model[j * n + i] = m;
                    kd += m * r[y * w + x];
                    kk += m * m;
                }
            }
            if (!(kk > 0)) {
                continue;
            }
            double amp = kd / kk;
            for (int j = 0; j < n; j++) {
                int y = y0 + j;
                for (int i = 0; i < n; i++) {
                    int x = x0 + i;
                    if (x >= 0 && y >= 0 && x < w && y < h) {
                        r[y * w + x] -= (float) (amp * model[j * n + i]);
                    }
                }
            }
        }
        SmoothingKernel kernel = detection.kernel() != null ? detection.kernel() : SmoothingKernel.gaussian(psfSigma);
        ImageF smooth = kernel.convolve(residual);
        // the subtracted models (image - residual), smoothed: needed only at the peaks that pass every other test, so
        // convolved there alone (SmoothingKernel.convolvedAt: the bits convolving the whole image would give)
        ImageF image = exposure.image();
        SmoothingKernel.Pixels subtracted = i -> image.get(i % w, i / w) - r[i];
        double factor = detection.thresholdType() == DetectionConfig.ThresholdType.SMOOTHED_RMS
                ? kernel.noiseFactor() : 1.0;
        float[] s = smooth.array();
        float[] noise = noiseRms.array();
        int[] mask = exposure.mask().array();
        int detected = MaskPlane.DETECTED.bitmask();
        double t = detection.thresholdValue() * factor;
        // grid of existing sources for the 2-pixel exclusion
        List<Source> all = new ArrayList<>(catalog.sources());
        SourceIndex index = new SourceIndex(all, w, h);
        long nextId = all.stream().mapToLong(Source::id).max().orElse(0) + 1;
        List<Source> added = new ArrayList<>();
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                int i = y * w + x;
                // s >= t noise + MODEL_ERROR max(0, sm) needs s >= t noise (the added term is >= 0, or NaN and then
                // fails too): that first, the smoothed models only for the local maxima left
                if ((mask[i] & detected) == 0 || !(s[i] >= t * noise[i])) {
                    continue;
                }
                float v = s[i];
                if (v < s[i - 1] || v <= s[i + 1] || v < s[i - w] || v <= s[i + w] || v < s[i - w - 1]
                        || v < s[i - w + 1] || v <= s[i + w - 1] || v <= s[i + w + 1]) {
                    continue;
                }
                float sm = kernel.convolvedAt(subtracted, w, h, x, y);
                if (!(s[i] >= t * noise[i] + MODEL_ERROR * Math.max(0f, sm))) {
                    continue;
                }
                Source near = index.nearest(x, y);
                if (near == null || Math.hypot(near.x() - x, near.y() - y) <= 2.0) {
                    continue;
                }
                double[] c = SourceMeasurer.windowedCentroidOf(residual, x, y, psfSigma);
                double[] ap = SourceMeasurer.aperture(exposure, c[0], c[1], measurement.apertureRadius());
                int flags = SourceFlag.DEBLENDED.bitmask() | SourceFlag.MOMENTS_FAILED.bitmask() | (int) ap[2];
                Source ns = new Source(nextId++, near.id(), c[0], c[1], ap[0], ap[1], Double.NaN, Double.NaN,
                        Double.NaN, exposure.image().get(x, y), 0, flags);
                added.add(ns);
            }
        }
        all.addAll(added);
        return new SourceCatalog(all);
    }

    /** Sources bucketed on a 32-pixel grid. */
    private static final class SourceIndex {
        private final List<List<Source>> cells = new ArrayList<>();
        private final int nx;
        private final int ny;

        SourceIndex(List<Source> sources, int w, int h) {
            nx = w / 32 + 1;
            ny = h / 32 + 1;
            for (int i = 0; i < nx * ny; i++) {
                cells.add(new ArrayList<>());
            }
            for (Source s : sources) {
                int cx = Math.max(0, Math.min(nx - 1, (int) (s.x() / 32)));
                int cy = Math.max(0, Math.min(ny - 1, (int) (s.y() / 32)));
                cells.get(cy * nx + cx).add(s);
            }
        }

        Source nearest(double x, double y) {
            int cx = (int) (x / 32);
            int cy = (int) (y / 32);
            Source best = null;
            double bd = Double.POSITIVE_INFINITY;
            for (int j = Math.max(0, cy - 2); j <= Math.min(ny - 1, cy + 2); j++) {
                for (int i = Math.max(0, cx - 2); i <= Math.min(nx - 1, cx + 2); i++) {
                    for (Source s : cells.get(j * nx + i)) {
                        double d = Math.hypot(s.x() - x, s.y() - y);
                        if (d < bd) {
                            bd = d;
                            best = s;
                        }
                    }
                }
            }
            return best;
        }
    }

    /**
     * For every row of {@code k} and every column i, the x-interpolation of that row at column i as
     * {@link Lanczos#at(ImageF, int, int, double[], double[])} forms it (pixels off the kernel or non-finite count
     * as 0): element [row * n + i].
     */
    /**
     * The y-interpolation, at column i, of {@link #xInterpolated}'s rows {@code iy - 2 .. iy + 3} of a kernel of
     * {@code kh} rows, with weights {@code wy}, in {@link Lanczos#at(ImageF, int, int, double[], double[])}'s order.
     */
    static double yInterpolated(double[] xSums, int n, int kh, int iy, double[] wy, int i) {
        double m = 0;
        for (int jj = 0; jj < 2 * Lanczos.A; jj++) {
            int yk = iy + jj - Lanczos.A + 1;
            if (yk < 0 || yk >= kh || wy[jj] == 0) {
                continue;
            }
            m += wy[jj] * xSums[yk * n + i];
        }
        return m;
    }

    static double[] xInterpolated(ImageF k, int[] ixs, double[][] wxs, int n) {
        int kw = k.width();
        int kh = k.height();
        float[] a = k.array();
        double[] out = new double[kh * n];
        for (int yk = 0; yk < kh; yk++) {
            int row = k.index(0, yk);
            for (int i = 0; i < n; i++) {
                double[] wx = wxs[i];
                double r = 0;
                for (int ii = 0; ii < 2 * Lanczos.A; ii++) {
                    int x = ixs[i] + ii - Lanczos.A + 1;
                    if (x < 0 || x >= kw) {
                        continue;
                    }
                    float v = a[row + x];
                    if (Float.isFinite(v)) {
                        r += wx[ii] * v;
                    }
                }
                out[yk * n + i] = r;
            }
        }
        return out;
    }
}
