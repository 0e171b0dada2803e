package org.lovoccs.imaging.characterize;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.MaskPlane;
import org.lovoccs.imaging.MaskedImage;

/**
 * Thresholded detection (LSST's SourceDetectionTask, SExtractor's extraction without its deblender): the image is
 * smoothed ({@link DetectionConfig#kernel()} or a Gaussian of the PSF's sigma), pixels at or above
 * {@code thresholdValue} times the noise form 8-connected footprints of at least {@code minArea} pixels, and each
 * footprint's local maxima of the smoothed image are its peaks. The DETECTED mask plane is reset and set on the
 * footprints grown by {@code nSigmaToGrow} PSF sigmas. NO_DATA pixels are never above threshold.
 */
public final class SourceDetector {

    private SourceDetector() {
    }

    /**
     * The footprints and the smoothed image.
     *
     * @param footprints footprints in row order of their first pixel
     * @param smoothed   the smoothed image
     * @param noiseFactor the smoothed image's noise per unit pixel rms that the threshold used (1 for PIXEL_RMS)
     */
    public record Result(List<Footprint> footprints, ImageF smoothed, double noiseFactor) {
    }

    /**
     * @param exposure  background-subtracted image; its mask's DETECTED plane is rewritten
     * @param noiseRms  per-pixel background noise (e.g. {@link BackgroundModel#renderRms()}); null to use the square
     *                  root of the variance plane
     * @param psfSigma  PSF sigma in pixels, for the default kernel and the growth
     */
    public static Result detect(MaskedImage exposure, ImageF noiseRms, DetectionConfig config, double psfSigma) {
        int w = exposure.width();
        int h = exposure.height();
        SmoothingKernel kernel = config.kernel() != null ? config.kernel() : SmoothingKernel.gaussian(psfSigma);
        ImageF smoothed = kernel.convolve(exposure.image());
        double factor = config.thresholdType() == DetectionConfig.ThresholdType.SMOOTHED_RMS
                ? kernel.noiseFactor() : 1.0;
        float[] s = smoothed.array();
        // read only: the backing arrays themselves when they hold just the pixels (no CCD-sized copy)
        float[] noise = noiseRms == null ? null : noiseRms.isContiguous() ? noiseRms.array() : noiseRms.toArray();
        ImageF variance = exposure.variance();
        float[] var = noiseRms != null ? null : variance.isContiguous() ? variance.array() : variance.toArray();
        int[] mask = exposure.mask().array();
        int noData = MaskPlane.NO_DATA.bitmask();
        double t = config.thresholdValue() * factor;
        // above-threshold significance, NaN below
        float[] sig = new float[w * h];
        for (int i = 0; i < w * h; i++) {
            double rms = noise != null ? noise[i] : Math.sqrt(var[i]);
            // the division only for the few pixels above threshold
            sig[i] = (mask[i] & noData) == 0 && rms > 0 && s[i] >= t * rms
                    ? (float) (s[i] / (rms * factor)) : Float.NaN;
        }
        List<Footprint> footprints = connect(sig, s, w, h, config.minArea(),
                config.deblendPeaks() ? config.peakContrast() : Double.NaN);
        int detected = MaskPlane.DETECTED.bitmask();
        for (int i = 0; i < mask.length; i++) {
            mask[i] &= ~detected;
        }
        int grow = (int) Math.round(config.nSigmaToGrow() * psfSigma);
        for (Footprint f : footprints) {
            for (int[] run : f.runs()) {
                for (int dy = -grow; dy <= grow; dy++) {
                    int y = run[0] + dy;
                    if (y < 0 || y >= h) {
                        continue;
                    }
                    int dx = (int) Math.floor(Math.sqrt((double) grow * grow - dy * dy));
                    int xa = Math.max(0, run[1] - dx);
                    int xb = Math.min(w - 1, run[2] + dx);
                    for (int x = xa; x <= xb; x++) {
                        mask[y * w + x] |= detected;
                    }
                }
            }
        }
        return new Result(footprints, smoothed, factor);
    }

    /** Runs of non-NaN {@code sig} joined 8-connectedly (union-find over runs). */
    private static List<Footprint> connect(float[] sig, float[] smoothed, int w, int h, int minArea,
                                           double contrast) {
        List<int[]> runs = new ArrayList<>();
        int[] rowStart = new int[h + 1];
        for (int y = 0; y < h; y++) {
            rowStart[y] = runs.size();
            int base = y * w;
            int x = 0;
            while (x < w) {
                if (Float.isNaN(sig[base + x])) {
                    x++;
                    continue;
                }
                int x0 = x;
                while (x < w && !Float.isNaN(sig[base + x])) {
                    x++;
                }
                runs.add(new int[] {y, x0, x - 1});
            }
        }
        rowStart[h] = runs.size();
        int n = runs.size();
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        for (int y = 1; y < h; y++) {
            int p = rowStart[y - 1];
            int pEnd = rowStart[y];
            for (int r = rowStart[y]; r < rowStart[y + 1]; r++) {
                int[] cur = runs.get(r);
                while (p < pEnd && runs.get(p)[2] < cur[1] - 1) {
                    p++;
                }
                for (int q = p; q < pEnd && runs.get(q)[1] <= cur[2] + 1; q++) {
                    union(parent, r, q);
                }
            }
        }
        int[] label = new int[n];
        java.util.Arrays.fill(label, -1);
        List<List<int[]>> groups = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            int root = find(parent, r);
            if (label[root] < 0) {
                label[root] = groups.size();
                groups.add(new ArrayList<>());
            }
            groups.get(label[root]).add(runs.get(r));
        }
        List<Footprint> out = new ArrayList<>();
        for (List<int[]> g : groups) {
            int area = 0;
            int x0 = Integer.MAX_VALUE;
            int x1 = -1;
            int y0 = Integer.MAX_VALUE;
            int y1 = -1;
            for (int[] run : g) {
                area += run[2] - run[1] + 1;
                x0 = Math.min(x0, run[1]);
                x1 = Math.max(x1, run[2]);
                y0 = Math.min(y0, run[0]);
                y1 = Math.max(y1, run[0]);
            }
            if (area < minArea) {
                continue;
            }
            List<Footprint.Peak> peaks = peaks(g, sig, smoothed, w, h);
            if (!Double.isNaN(contrast)) {
                peaks = significantPeaks(peaks, sig, w, contrast);
            }
            out.add(new Footprint(List.copyOf(g), peaks, area, x0, y0, x1, y1));
        }
        return out;
    }

    private static List<Footprint.Peak> peaks(List<int[]> runs, float[] sig, float[] s, int w, int h) {
        List<Footprint.Peak> peaks = new ArrayList<>();
        Footprint.Peak best = null;
        for (int[] run : runs) {
            int y = run[0];
            for (int x = run[1]; x <= run[2]; x++) {
                int i = y * w + x;
                float v = s[i];
                boolean max = true;
                for (int dy = -1; dy <= 1 && max; dy++) {
                    int yy = y + dy;
                    if (yy < 0 || yy >= h) {
                        continue;
                    }
                    for (int dx = -1; dx <= 1; dx++) {
                        int xx = x + dx;
                        if ((dx == 0 && dy == 0) || xx < 0 || xx >= w) {
                            continue;
                        }
                        int j = yy * w + xx;
                        if (Float.isNaN(sig[j])) {
                            continue;
                        }
                        // ties go to the earlier pixel in raster order
                        if (s[j] > v || (s[j] == v && j < i)) {
                            max = false;
                            break;
                        }
                    }
                }
                Footprint.Peak p = new Footprint.Peak(x, y, v, sig[i]);
                if (max) {
                    peaks.add(p);
                }
                if (best == null || v > best.smoothedValue()) {
                    best = p;
                }
            }
        }
        if (peaks.isEmpty()) {
            peaks.add(best);
        }
        peaks.sort(Comparator.comparingDouble(Footprint.Peak::smoothedValue).reversed());
        return List.copyOf(peaks);
    }

    /**
     * Keeps the brightest peak and each fainter one that is at least 2 pixels from every kept peak and rises
     * {@code contrast} (in smoothed-noise sigmas) above the lowest significance on the straight line to each brighter
     * kept peak (points off the footprint count as 0).
     */
    private static List<Footprint.Peak> significantPeaks(List<Footprint.Peak> peaks, float[] sig, int w,
                                                         double contrast) {
        List<Footprint.Peak> kept = new ArrayList<>();
        for (Footprint.Peak p : peaks) {
            boolean ok = true;
            for (Footprint.Peak q : kept) {
                double dx = q.x() - p.x();
                double dy = q.y() - p.y();
                double d = Math.hypot(dx, dy);
                if (d < 2) {
                    ok = false;
                    break;
                }
                int steps = (int) Math.ceil(d * 2);
                double low = p.significance();
                for (int k = 1; k < steps; k++) {
                    int x = (int) Math.round(p.x() + dx * k / steps);
                    int y = (int) Math.round(p.y() + dy * k / steps);
                    float z = sig[y * w + x];
                    low = Math.min(low, Float.isNaN(z) ? 0.0 : z);
                }
                if (p.significance() - low < contrast) {
                    ok = false;
                    break;
                }
            }
            if (ok) {
                kept.add(p);
            }
        }
        return List.copyOf(kept);
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra != rb) {
            parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }
}
