package org.lovoccs.imaging.cp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.MaskPlane;
import org.lovoccs.imaging.MaskedImage;

/**
 * Per-pixel sigma-clipped mean of a stack of frames (see {@link CombineConfig} for the algorithm). Rows are combined in
 * parallel on the common fork-join pool; each thread holds one row of every frame, so the working memory is
 * {@code frames x width x 12} bytes per thread besides the output. The result does not depend on the threads.
 */
public final class ClippedCombiner {

    private static final double IQR_TO_SIGMA = 0.7413;

    private ClippedCombiner() {
    }

    /** Combines unscaled frames. */
    public static Combined combine(List<? extends RowSource> frames, CombineConfig config) {
        double[] ones = new double[frames.size()];
        Arrays.fill(ones, 1.0);
        return combine(frames, ones, config);
    }

    /**
     * Combines {@code frames}, each divided by its {@code scales[i]} (variance by its square) before clipping.
     *
     * @throws IllegalArgumentException if there are no frames, they differ in size, or a scale is not finite and > 0
     */
    public static Combined combine(List<? extends RowSource> frames, double[] scales, CombineConfig config) {
        int n = frames.size();
        if (n == 0) {
            throw new IllegalArgumentException("no frames to combine");
        }
        if (scales.length != n) {
            throw new IllegalArgumentException(scales.length + " scales for " + n + " frames");
        }
        int w = frames.get(0).width();
        int h = frames.get(0).height();
        for (int i = 0; i < n; i++) {
            RowSource f = frames.get(i);
            if (f.width() != w || f.height() != h) {
                throw new IllegalArgumentException("frame " + i + " is " + f.width() + "x" + f.height()
                        + ", frame 0 is " + w + "x" + h);
            }
            if (!(scales[i] > 0) || Double.isInfinite(scales[i])) {
                throw new IllegalArgumentException("scale of frame " + i + " is " + scales[i]);
            }
        }
        MaskedImage out = MaskedImage.allocate(w, h);
        ImageF count = new ImageF(w, h);
        AtomicLong masked = new AtomicLong();
        AtomicLong clipped = new AtomicLong();
        ThreadLocal<Work> work = ThreadLocal.withInitial(() -> new Work(n, w));
        IntStream.range(0, h).parallel().forEach(y -> {
            Work wk = work.get();
            for (int i = 0; i < n; i++) {
                frames.get(i).readRow(y, wk.img[i], wk.mask[i], wk.var[i]);
            }
            long[] stats = combineRow(wk, scales, config, y, out, count);
            masked.addAndGet(stats[0]);
            clipped.addAndGet(stats[1]);
        });
        return new Combined(out, count, n, masked.get(), clipped.get());
    }

    /** Combines in-memory masked images (views, no copies). */
    public static Combined combineImages(List<MaskedImage> frames, double[] scales, CombineConfig config) {
        List<RowSource> src = new ArrayList<>();
        for (MaskedImage mi : frames) {
            src.add(RowSource.of(mi));
        }
        return combine(src, scales, config);
    }

    /**
     * Averages the results of combining disjoint groups of frames, weighting each pixel by its count: the mean of all
     * the values kept, with the variance {@code sum(n_g^2 var_g) / (sum n_g)^2}. Used when a stack has more frames than
     * {@link CombineConfig#maxFramesInMemory()}.
     */
    public static Combined merge(List<Combined> groups, CombineConfig config) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("no groups to merge");
        }
        if (groups.size() == 1) {
            return groups.get(0);
        }
        int w = groups.get(0).image().width();
        int h = groups.get(0).image().height();
        MaskedImage out = MaskedImage.allocate(w, h);
        ImageF count = new ImageF(w, h);
        int frames = 0;
        long masked = 0;
        long clipped = 0;
        for (Combined g : groups) {
            frames += g.frames();
            masked += g.maskedValues();
            clipped += g.clippedValues();
        }
        int noData = MaskPlane.NO_DATA.bitmask();
        IntStream.range(0, h).parallel().forEach(y -> {
            for (int x = 0; x < w; x++) {
                double sum = 0;
                double var = 0;
                int k = 0;
                for (Combined g : groups) {
                    int c = (int) g.count().get(x, y);
                    if (c == 0) {
                        continue;
                    }
                    sum += c * (double) g.image().image().get(x, y);
                    var += (double) c * c * g.image().variance().get(x, y);
                    k += c;
                }
                count.array()[y * w + x] = k;
                int idx = y * w + x;
                if (k < config.minValues()) {
                    out.image().array()[idx] = Float.NaN;
                    out.variance().array()[idx] = Float.NaN;
                    out.mask().array()[idx] = noData;
                } else {
                    out.image().array()[idx] = (float) (sum / k);
                    out.variance().array()[idx] = (float) (var / ((double) k * k));
                }
            }
        });
        return new Combined(out, count, frames, masked, clipped);
    }

    private static final class Work {
        final float[][] img;
        final int[][] mask;
        final float[][] var;
        final double[] v;
        final double[] vv;
        final double[] sorted;
        final boolean[] keep;

        Work(int n, int w) {
            img = new float[n][w];
            mask = new int[n][w];
            var = new float[n][w];
            v = new double[n];
            vv = new double[n];
            sorted = new double[n];
            keep = new boolean[n];
        }
    }

    /** @return {masked, clipped} counts of the row */
    private static long[] combineRow(Work wk, double[] scales, CombineConfig config, int y, MaskedImage out,
                                     ImageF count) {
        int n = scales.length;
        int w = out.width();
        int reject = config.rejectedPlanes();
        int noData = MaskPlane.NO_DATA.bitmask();
        boolean propagated = config.variance() == CombineConfig.VarianceEstimate.PROPAGATED;
        float[] oi = out.image().array();
        float[] ov = out.variance().array();
        int[] om = out.mask().array();
        float[] oc = count.array();
        long masked = 0;
        long clipped = 0;
        double[] v = wk.v;
        double[] vv = wk.vv;
        boolean[] keep = wk.keep;
        for (int x = 0; x < w; x++) {
            int m = 0;
            for (int i = 0; i < n; i++) {
                float value = wk.img[i][x];
                if ((wk.mask[i][x] & reject) != 0 || !Float.isFinite(value)) {
                    continue;
                }
                double s = scales[i];
                v[m] = value / s;
                vv[m] = wk.var[i][x] / (s * s);
                keep[m] = true;
                m++;
            }
            masked += n - m;
            int kept = clip(v, keep, m, config, wk.sorted);
            clipped += m - kept;
            int idx = y * w + x;
            oc[idx] = kept;
            if (kept < config.minValues()) {
                oi[idx] = Float.NaN;
                ov[idx] = Float.NaN;
                om[idx] = noData;
                continue;
            }
            double sum = 0;
            double varSum = 0;
            for (int i = 0; i < m; i++) {
                if (keep[i]) {
                    sum += v[i];
                    varSum += vv[i];
                }
            }
            double mean = sum / kept;
            oi[idx] = (float) mean;
            om[idx] = 0;
            if (propagated) {
                ov[idx] = (float) (varSum / ((double) kept * kept));
            } else if (kept >= 2) {
                double ss = 0;
                for (int i = 0; i < m; i++) {
                    if (keep[i]) {
                        double d = v[i] - mean;
                        ss += d * d;
                    }
                }
                ov[idx] = (float) (ss / (kept - 1) / kept);
            } else {
                ov[idx] = Float.NaN;
            }
        }
        return new long[] {masked, clipped};
    }

    /** Clips v[0..m) in place of keep[]; returns the number kept. */
    static int clip(double[] v, boolean[] keep, int m, CombineConfig config, double[] sorted) {
        int kept = m;
        if (m < 3) {
            return kept;
        }
        double k = config.clipSigma();
        for (int iter = 0; iter < config.maxIterations(); iter++) {
            double centre;
            double sigma;
            if (iter == 0) {
                System.arraycopy(v, 0, sorted, 0, m);
                Arrays.sort(sorted, 0, m);
                centre = quantile(sorted, m, 0.5);
                sigma = IQR_TO_SIGMA * (quantile(sorted, m, 0.75) - quantile(sorted, m, 0.25));
                if (!(sigma > 0)) {
                    // e.g. quantised values with most of them equal: the rms about the median
                    double ss = 0;
                    for (int i = 0; i < m; i++) {
                        ss += (v[i] - centre) * (v[i] - centre);
                    }
                    sigma = Math.sqrt(ss / (m - 1));
                }
            } else {
                double s = 0;
                for (int i = 0; i < m; i++) {
                    if (keep[i]) {
                        s += v[i];
                    }
                }
                centre = s / kept;
                double ss = 0;
                for (int i = 0; i < m; i++) {
                    if (keep[i]) {
                        double d = v[i] - centre;
                        ss += d * d;
                    }
                }
                sigma = kept > 1 ? Math.sqrt(ss / (kept - 1)) : 0;
            }
            if (!(sigma > 0)) {
                break;
            }
            double lim = k * sigma;
            int now = 0;
            boolean changed = false;
            for (int i = 0; i < m; i++) {
                boolean in = Math.abs(v[i] - centre) <= lim;
                changed |= in != keep[i];
                keep[i] = in;
                if (in) {
                    now++;
                }
            }
            if (now < 2) {
                // never clip a pixel down to nothing: keep the previous set
                Arrays.fill(keep, 0, m, true);
                return m;
            }
            kept = now;
            if (!changed && iter > 0) {
                break;
            }
        }
        return kept;
    }

    /** Linear-interpolated quantile of sorted[0..m). */
    private static double quantile(double[] sorted, int m, double q) {
        double pos = q * (m - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(m - 1, lo + 1);
        double f = pos - lo;
        return sorted[lo] * (1 - f) + sorted[hi] * f;
    }
}
