package org.lovoccs.imaging.cp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import nom.tam.fits.Header;
import nom.tam.fits.HeaderCard;
import org.lovoccs.imaging.MaskedImage;
import org.lovoccs.imaging.fits.FitsHeaders;
import org.lovoccs.imaging.isr.IsrConfig;
import org.lovoccs.imaging.isr.IsrTask;
import org.lovoccs.imaging.isr.PostIsrCcd;
import org.lovoccs.imaging.raw.RawCcd;

/**
 * The brighter-fatter kernel of one CCD measured from pairs of flats (cp_pipe's cpBfkMeasure + cpBfkSolve; Coulton et
 * al. 2018, Astier et al. 2019).
 *
 * <p><b>Model.</b> The charge Q (e-) collected in a pixel becomes {@code Q + 1/2 div(Q grad(K * Q))}, discretised over
 * the 4-neighbour edges of each pixel: {@code dQ_p = 1/4 sum_q (Q_p + Q_q)(phi_q - phi_p)} with {@code phi = K * Q}
 * (the simulator's {@code BrighterFatter}). For a flat, Q = mu + n with n white Poisson noise of variance mu. To first
 * order in K, {@code (Q_p + Q_q) = 2 mu} and the uniform part of phi has no differences, so
 * {@code dQ = 1/2 mu L(K * n) = a * n} with {@code a = 1/2 mu LK}, L the 5-point Laplacian
 * {@code (Lf)_p = sum_q (f_q - f_p)}. The realised image n + a * n then has the covariance
 * {@code C(l) = mu delta(l) + mu (a(l) + a(-l)) = mu delta(l) + mu^2 LK(l)} (K symmetric): the 1/2 of the model
 * cancels against the two cross terms, and for every lag l other than 0
 * <pre>
 *   LK(l) = C(l) / mu^2   (1/e-)
 * </pre>
 * The difference of two flats of the same level doubles C, so {@code X(l) = C_diff(l) / (2 mu^2)} estimates LK(l).
 * Dropped terms are of relative order {@code mu LK(0)/2}: 3% at 80,000 e- for the simulator's kernel (its truth test
 * measures X(1, 0) 3.4% below LK(1, 0) there).
 *
 * <p><b>Measurement per pair</b>, in each amplifier's strip of columns separately, as cp_pipe does per amplifier:
 * both flats' medians m1, m2 over the pixels without a rejected mask plane; the difference
 * {@code d = f1 - (m1/m2) f2} (the flat field's structure cancels, the second flat's noise scaled to the first's
 * level); pixels masked in either flat, non-finite, or further than {@link Config#clipSigma()} robust sigmas
 * (0.7413 x IQR) from the median of d left out; d's mean removed; C_diff(l) the mean of {@code d_i d_(i+l)} over the
 * pairs of pixels both kept; {@code X = C_diff / (2 m1^2)}. The strips' X are averaged weighted by their pixels, then
 * the pairs' X; X is made reflection symmetric (the mean of X(dx, dy) and X(dx, -dy)) as the kernel is assumed to
 * be.
 *
 * <p><b>Zero lag.</b> The variance X(0) also holds the read noise, and the kernel's share of it (4% at 80,000 e-)
 * could only be told apart with the gain known to better than 0.1%, so it is replaced by {@code -sum_(l != 0) X(l)}:
 * the Laplacian of a kernel of finite extent sums to zero (charge conservation).
 *
 * <p><b>Solve.</b> K on the (2r+1)^2 grid, zero outside it, such that LK = X: a Dirichlet Poisson problem solved
 * exactly (Cholesky factorisation of -L, (2r+1)^2 unknowns) rather than by cp_pipe's successive over-relaxation.
 *
 * <p><b>Pairing.</b> Flats are consumed in EXPNUM order (DATE-OBS when there is no EXPNUM); each flat pairs with the
 * next flat of the same FILTER and EXPTIME, and a flat left without a partner is counted (BFKUNPRD) and not used. At
 * most one unpaired flat per (FILTER, EXPTIME) is held in memory.
 *
 * @param radius     r: the kernel and correlations are (2r+1)^2, lag (dx, dy) at index (dy + r)(2r + 1) + dx + r
 * @param kernel     K, 1/e-
 * @param xcorr      X = C_diff / (2 mu^2) averaged over pairs, symmetrised, with X(0) from the zero sum, 1/e-
 * @param xcorrError standard error of X across pairs (NaN with one pair), 1/e-
 * @param pairs      number of pairs used
 * @param meanSignal mean over pairs of the first flat's median, e-
 * @param metadata   primary-header keywords (CALIBTYP = bfk, DETPOS, CCDNUM, BFKNPAIR, BFKMEAN, the pairs in HISTORY)
 */
public record BrighterFatterKernel(int radius, double[] kernel, double[] xcorr, double[] xcorrError, int pairs,
                                   double meanSignal, Header metadata) {

    /** CALIBTYP and OBSTYPE of the product. */
    public static final String CALIBTYP = "bfk";
    private static final String[] FLAT_OBSTYPES = {"dome flat", "flat", "domeflat", "sky flat"};
    private static final int ROW_BLOCK = 64;

    public BrighterFatterKernel {
        int n = (2 * radius + 1) * (2 * radius + 1);
        if (radius < 1 || kernel == null || xcorr == null || xcorrError == null || metadata == null
                || kernel.length != n || xcorr.length != n || xcorrError.length != n) {
            throw new IllegalArgumentException("kernel, xcorr and xcorrError must be (2 radius + 1)^2 = " + n
                    + " values with radius >= 1, and metadata is required");
        }
    }

    /**
     * @param radius         r, px: lags and kernel out to +-r (8: a 17 x 17 kernel)
     * @param clipSigma      difference pixels further than this many robust sigmas from its median are left out
     * @param ampColumns     width of each amplifier's strip of the assembled CCD, columns (the strips are measured
     *                       separately); must divide the image width
     * @param rejectedPlanes mask planes (in either flat) that leave a pixel out
     * @param isr            ISR of each raw flat in {@link #fromRawPairs}
     */
    public record Config(int radius, double clipSigma, int ampColumns, int rejectedPlanes, IsrConfig isr) {

        public Config {
            if (radius < 1 || radius > 20) {
                // the exact solve costs (2r+1)^6/3 operations: 1.6e9 at r = 20
                throw new IllegalArgumentException("kernel radius " + radius + " px is outside 1-20");
            }
            if (!(clipSigma > 0)) {
                throw new IllegalArgumentException("clipSigma " + clipSigma + " must be > 0");
            }
            if (ampColumns < 2 * radius + 1) {
                throw new IllegalArgumentException("ampColumns " + ampColumns + " is narrower than the kernel");
            }
            if (isr == null) {
                throw new IllegalArgumentException("an isr config is required");
            }
        }

        /**
         * Radius 8, 5-sigma clipping, amplifiers 1024 columns wide (DECam's two per CCD, side by side on the assembled
         * grid), BAD/SAT/CR/NO_DATA left out, IsrConfig.defaults() without variance.
         */
        public static Config defaults() {
            return new Config(8, 5.0, 1024, CombineConfig.DEFAULT_REJECTED, IsrConfig.defaults().withVariance(false));
        }

        public Config withRadius(int r) {
            return new Config(r, clipSigma, ampColumns, rejectedPlanes, isr);
        }

        public Config withAmpColumns(int columns) {
            return new Config(radius, clipSigma, columns, rejectedPlanes, isr);
        }
    }

    /** K(dx, dy), 1/e-; 0 outside the grid. */
    public double kernel(int dx, int dy) {
        return at(kernel, dx, dy);
    }

    /** X(dx, dy) = LK(dx, dy), 1/e-; 0 outside the grid. */
    public double xcorr(int dx, int dy) {
        return at(xcorr, dx, dy);
    }

    private double at(double[] a, int dx, int dy) {
        if (Math.abs(dx) > radius || Math.abs(dy) > radius) {
            return 0;
        }
        return a[(dy + radius) * (2 * radius + 1) + dx + radius];
    }

    /**
     * The kernel from flats already through ISR with the master bias subtracted (cp_pipe's cpFlatProc, as the isr
     * service writes them: electrons), consumed once, in EXPNUM order.
     *
     * @throws IllegalArgumentException if the flats come out of EXPNUM order, are not flats, are of different
     *                                  detectors or sizes, lack FILTER or EXPTIME, or give no pair
     */
    public static BrighterFatterKernel fromProcessedPairs(Iterable<PostIsrCcd> flats, Config config) {
        Measurement m = new Measurement(config);
        for (PostIsrCcd flat : flats) {
            m.add(flat.image(), flat.metadata());
        }
        return m.finish();
    }

    /**
     * The kernel from raw flats, each through {@link IsrTask} and {@link CalibrationSteps#subtractBias}, consumed once,
     * in EXPNUM order; the same measurement as {@link #fromProcessedPairs}.
     *
     * @param bias the CCD's master bias ({@link MasterBias}, electrons)
     */
    public static BrighterFatterKernel fromRawPairs(Iterable<RawCcd> flats, CalibProduct bias, Config config) {
        Measurement m = new Measurement(config);
        for (RawCcd raw : flats) {
            PostIsrCcd p = IsrTask.run(raw, config.isr()).toPostIsrCcd();
            CalibrationSteps.subtractBias(p.image(), bias);
            m.add(p.image(), p.metadata());
        }
        return m.finish();
    }

    /** One flat waiting for its partner: its pixels (contiguous), rejected pixels and median. */
    private record Pending(String id, float[] pixels, boolean[] rejected, double median) {
    }

    /** The state of one measurement: the pairing, the checks across inputs and the sums over pairs. */
    private static final class Measurement {
        private final Config config;
        private final Map<String, Pending> waiting = new HashMap<>();
        private final List<double[]> perPair = new ArrayList<>();
        private final List<String> history = new ArrayList<>();
        private String detpos;
        private String ccdnum;
        private String lastOrder;
        private double lastOrderValue = Double.NEGATIVE_INFINITY;
        private int width = -1;
        private int height = -1;
        private int count;
        private double sumMean;

        Measurement(Config config) {
            this.config = config;
        }

        void add(MaskedImage image, Header md) {
            count++;
            String exp = value(md, "EXPNUM");
            String who = "flat " + count + (exp == null ? "" : " (EXPNUM " + exp + ")");
            String obstype = value(md, "OBSTYPE");
            if (obstype != null && Arrays.stream(FLAT_OBSTYPES).noneMatch(o -> o.equalsIgnoreCase(obstype))) {
                throw new IllegalArgumentException(who + ": OBSTYPE '" + obstype + "' is not a flat; the"
                        + " brighter-fatter kernel is measured from pairs of flats only");
            }
            String d = value(md, "DETPOS");
            if (detpos == null) {
                detpos = d;
                ccdnum = value(md, "CCDNUM");
            } else if (d != null && !detpos.equals(d)) {
                throw new IllegalArgumentException(who + ": DETPOS '" + d + "' differs from the first flat's '"
                        + detpos + "'; measure one detector at a time");
            }
            checkOrder(md, exp, who);
            String filter = value(md, "FILTER");
            String exptime = value(md, "EXPTIME");
            if (filter == null || exptime == null) {
                throw new IllegalArgumentException(who + ": no " + (filter == null ? "FILTER" : "EXPTIME")
                        + " keyword; flats are paired by filter and exposure time");
            }
            if (width < 0) {
                width = image.width();
                height = image.height();
                if (width % config.ampColumns() != 0) {
                    throw new IllegalArgumentException(who + " is " + width + " columns wide, not a multiple of the"
                            + " amplifier width " + config.ampColumns() + " (Config.ampColumns)");
                }
            } else if (image.width() != width || image.height() != height) {
                throw new IllegalArgumentException(who + " is " + image.width() + "x" + image.height()
                        + ", the first flat " + width + "x" + height);
            }
            double median = PixelStats.median(image, config.rejectedPlanes());
            if (!(median > 0)) {
                throw new IllegalArgumentException(who + " has median " + median + " e-: not a bias-subtracted flat"
                        + " in electrons");
            }
            String key = filter + "|" + Double.parseDouble(exptime);
            Pending mine = pending(image, exp == null ? "#" + count : exp, median);
            Pending first = waiting.remove(key);
            if (first == null) {
                waiting.put(key, mine);
                return;
            }
            double[] x = pairCorrelation(first, mine);
            perPair.add(x);
            sumMean += first.median();
            history.add("pair " + first.id() + "+" + mine.id() + " " + filter.split(" ")[0] + " " + exptime
                    + " s: " + Math.round(first.median()) + "," + Math.round(mine.median()) + " e-");
        }

        private void checkOrder(Header md, String exp, String who) {
            String key;
            double v;
            if (exp != null) {
                key = "EXPNUM";
                v = Double.parseDouble(exp);
            } else {
                String date = value(md, "DATE-OBS");
                if (date == null) {
                    throw new IllegalArgumentException(who + ": neither EXPNUM nor DATE-OBS; flats are paired in"
                            + " time order");
                }
                key = "DATE-OBS";
                v = java.time.LocalDateTime.parse(date).toEpochSecond(java.time.ZoneOffset.UTC);
            }
            if (lastOrder != null && (!lastOrder.equals(key) || v <= lastOrderValue)) {
                throw new IllegalArgumentException(who + " comes after a flat with a later or equal " + key
                        + " (or the inputs mix EXPNUM and DATE-OBS); give the flats sorted by EXPNUM");
            }
            lastOrder = key;
            lastOrderValue = v;
        }

        private Pending pending(MaskedImage image, String id, double median) {
            int w = image.width();
            int h = image.height();
            float[] px = new float[w * h];
            boolean[] bad = new boolean[w * h];
            float[] a = image.image().array();
            int[] mask = image.mask().array();
            int rejected = config.rejectedPlanes();
            IntStream.range(0, h).parallel().forEach(y -> {
                int base = image.image().index(0, y);
                for (int x = 0; x < w; x++) {
                    float f = a[base + x];
                    px[y * w + x] = f;
                    bad[y * w + x] = (mask[y * w + x] & rejected) != 0 || !Float.isFinite(f);
                }
            });
            return new Pending(id, px, bad, median);
        }

        /**
         * X = C_diff / (2 m^2) of one pair as a full symmetric grid: measured in each amplifier's strip of
         * {@link Config#ampColumns()} columns separately (its own level ratio, clipping, mean and m; no lag crosses
         * strips), then averaged weighted by the pixels kept. Per amplifier because gain, non-linearity and bias
         * residuals differ between amplifiers: one ratio and one mean for the CCD leave a step of a few e- between
         * them in the difference, a covariance of the same order as the kernel's at every lag.
         */
        private double[] pairCorrelation(Pending a, Pending b) {
            int strips = width / config.ampColumns();
            int side = 2 * config.radius() + 1;
            double[] out = new double[side * side];
            long keptAll = 0;
            for (int s = 0; s < strips; s++) {
                int x0 = s * config.ampColumns();
                int w = config.ampColumns();
                int n = w * height;
                float[] fa = new float[n];
                float[] fb = new float[n];
                boolean[] bad = new boolean[n];
                for (int y = 0; y < height; y++) {
                    System.arraycopy(a.pixels(), y * width + x0, fa, y * w, w);
                    System.arraycopy(b.pixels(), y * width + x0, fb, y * w, w);
                    for (int x = 0; x < w; x++) {
                        bad[y * w + x] = a.rejected()[y * width + x0 + x] || b.rejected()[y * width + x0 + x];
                    }
                }
                String where = "pair " + a.id() + "+" + b.id() + ", columns " + x0 + "-" + (x0 + w - 1);
                double ma = keptMedian(fa, bad, where);
                double mb = keptMedian(fb, bad, where);
                if (!(ma > 0 && mb > 0)) {
                    throw new IllegalArgumentException(where + ": median " + ma + ", " + mb + " e-: not a"
                            + " bias-subtracted flat in electrons");
                }
                float scale = (float) (ma / mb);
                float[] d = new float[n];
                for (int i = 0; i < n; i++) {
                    d[i] = bad[i] ? 0 : fa[i] - scale * fb[i];
                }
                long kept = clipAndCentre(d, bad, where);
                double[] c = covariance(d, bad, w, height, config.radius());
                double norm = kept / (2 * ma * ma);
                for (int i = 0; i < c.length; i++) {
                    out[i] += c[i] * norm;
                }
                keptAll += kept;
            }
            for (int i = 0; i < out.length; i++) {
                out[i] /= keptAll;
            }
            return out;
        }

        /** The median of the values not {@code bad}. */
        private static double keptMedian(float[] v, boolean[] bad, String where) {
            float[] kept = new float[v.length];
            int k = 0;
            for (int i = 0; i < v.length; i++) {
                if (!bad[i]) {
                    kept[k++] = v[i];
                }
            }
            if (k < 100) {
                throw new IllegalArgumentException(where + ": only " + k + " pixels without a rejected mask plane");
            }
            return PixelStats.select(kept, 0, k - 1, k / 2);
        }

        /**
         * Rejects the difference pixels further than clipSigma robust sigmas (0.7413 IQR) from its median, removes the
         * mean of the rest and zeroes the rejected ones; returns the number kept.
         */
        private long clipAndCentre(float[] d, boolean[] bad, String where) {
            int n = d.length;
            float[] v = new float[n];
            int kept = 0;
            for (int i = 0; i < n; i++) {
                if (!bad[i]) {
                    v[kept++] = d[i];
                }
            }
            if (kept < 100) {
                throw new IllegalArgumentException(where + ": only " + kept + " pixels without a rejected mask plane");
            }
            double q1 = PixelStats.select(v, 0, kept - 1, kept / 4);
            double med = PixelStats.select(v, 0, kept - 1, kept / 2);
            double q3 = PixelStats.select(v, 0, kept - 1, (3 * kept) / 4);
            double limit = config.clipSigma() * 0.7413 * (q3 - q1);
            double sum = 0;
            long used = 0;
            for (int i = 0; i < n; i++) {
                if (!bad[i] && Math.abs(d[i] - med) > limit) {
                    bad[i] = true;
                }
                if (!bad[i]) {
                    sum += d[i];
                    used++;
                }
            }
            float mean = (float) (sum / used);
            for (int i = 0; i < n; i++) {
                d[i] = bad[i] ? 0 : d[i] - mean;
            }
            return used;
        }

        BrighterFatterKernel finish() {
            int pairs = perPair.size();
            if (pairs == 0) {
                throw new IllegalArgumentException(count + " flat(s) gave no pair: the kernel needs at least two"
                        + " consecutive flats (by EXPNUM) of the same FILTER and EXPTIME on this detector");
            }
            int r = config.radius();
            int side = 2 * r + 1;
            int n = side * side;
            double[] mean = new double[n];
            double[] err = new double[n];
            for (double[] x : perPair) {
                double[] s = symmetrise(x, r);
                for (int i = 0; i < n; i++) {
                    mean[i] += s[i] / pairs;
                }
            }
            for (double[] x : perPair) {
                double[] s = symmetrise(x, r);
                for (int i = 0; i < n; i++) {
                    err[i] += (s[i] - mean[i]) * (s[i] - mean[i]);
                }
            }
            for (int i = 0; i < n; i++) {
                err[i] = pairs < 2 ? Double.NaN : Math.sqrt(err[i] / (pairs - 1) / pairs);
            }
            int centre = r * side + r;
            double others = 0;
            for (int i = 0; i < n; i++) {
                if (i != centre) {
                    others += mean[i];
                }
            }
            double measuredCentre = mean[centre];
            mean[centre] = -others;
            double[] kernel = solvePoisson(mean, r);

            Header h = new Header();
            FitsHeaders.add(h, "CALIBTYP", CALIBTYP, "calibration product type");
            FitsHeaders.add(h, "OBSTYPE", CALIBTYP, "calibration product type");
            FitsHeaders.add(h, "INSTRUME", "DECam", "instrument");
            if (detpos != null) {
                FitsHeaders.add(h, "DETPOS", detpos, "detector position");
            }
            if (ccdnum != null) {
                FitsHeaders.add(h, "CCDNUM", Integer.parseInt(ccdnum.trim()), "CCD number");
            }
            FitsHeaders.add(h, "BUNIT", "1/electron", "unit of KERNEL and XCORR");
            FitsHeaders.add(h, "BFKRAD", r, "kernel radius, px: (2 BFKRAD + 1)^2 pixels");
            FitsHeaders.add(h, "BFKNPAIR", pairs, "flat pairs measured");
            FitsHeaders.add(h, "BFKUNPRD", count - 2 * pairs, "flats left without a partner, not used");
            FitsHeaders.add(h, "BFKMEAN", sumMean / pairs, "mean signal of the pairs, electron");
            FitsHeaders.add(h, "BFKNORM", "C/(2mu^2)", "XCORR: difference covariance / (2 mean^2)");
            FitsHeaders.add(h, "BFKX0MEA", measuredCentre, "measured XCORR(0,0) before the zero-sum, 1/e-");
            FitsHeaders.add(h, "CPCLIPSG", config.clipSigma(), "difference clipped at this many robust sigmas");
            for (String line : history) {
                FitsHeaders.history(h, line);
            }
            return new BrighterFatterKernel(r, kernel, mean, err, pairs, sumMean / pairs, h);
        }
    }

    /** The mean of X(dx, dy) and X(dx, -dy) (X(-l) = X(l) already holds for a covariance). */
    private static double[] symmetrise(double[] x, int r) {
        int side = 2 * r + 1;
        double[] s = new double[x.length];
        for (int dy = -r; dy <= r; dy++) {
            for (int dx = -r; dx <= r; dx++) {
                s[(dy + r) * side + dx + r] = 0.5 * (x[(dy + r) * side + dx + r] + x[(-dy + r) * side + dx + r]);
            }
        }
        return s;
    }

    /**
     * The covariance {@code mean(d_i d_(i+l))} over the pixel pairs with neither end rejected, for every lag l with
     * |dx|, |dy| <= r, as a (2r+1)^2 grid (computed on the half plane, C(-l) = C(l)). {@code d} must be zero-mean over
     * the kept pixels and 0 at the rejected ones; contiguous w x h. The sums run over all pixels (a rejected pixel
     * adds 0); the number of pairs per lag is counted from the rejected pixels alone, which are few. Rows are processed
     * in blocks in parallel.
     */
    public static double[] covariance(float[] d, boolean[] rejected, int w, int h, int r) {
        int side = 2 * r + 1;
        List<int[]> lags = new ArrayList<>();
        for (int dy = 0; dy <= r; dy++) {
            for (int dx = dy == 0 ? 0 : -r; dx <= r; dx++) {
                lags.add(new int[] {dx, dy});
            }
        }
        int nl = lags.size();
        int[] ldx = new int[nl];
        int[] ldy = new int[nl];
        for (int k = 0; k < nl; k++) {
            ldx[k] = lags.get(k)[0];
            ldy[k] = lags.get(k)[1];
        }
        int blocks = (h + ROW_BLOCK - 1) / ROW_BLOCK;
        double[][] partial = IntStream.range(0, blocks).parallel().mapToObj(b -> {
            double[] acc = new double[nl];
            int y1 = Math.min(h, (b + 1) * ROW_BLOCK);
            for (int y = b * ROW_BLOCK; y < y1; y++) {
                for (int k = 0; k < nl; k++) {
                    int dx = ldx[k];
                    int dy = ldy[k];
                    if (y + dy >= h) {
                        continue;
                    }
                    int x0 = Math.max(0, -dx);
                    int x1 = Math.min(w, w - dx);
                    int i = y * w;
                    int j = (y + dy) * w + dx;
                    // four independent partial sums: the additions are not chained, so they pipeline
                    double s0 = 0;
                    double s1 = 0;
                    double s2 = 0;
                    double s3 = 0;
                    int x = x0;
                    for (; x + 3 < x1; x += 4) {
                        s0 += d[i + x] * d[j + x];
                        s1 += d[i + x + 1] * d[j + x + 1];
                        s2 += d[i + x + 2] * d[j + x + 2];
                        s3 += d[i + x + 3] * d[j + x + 3];
                    }
                    for (; x < x1; x++) {
                        s0 += d[i + x] * d[j + x];
                    }
                    acc[k] += (s0 + s1) + (s2 + s3);
                }
            }
            return acc;
        }).toArray(double[][]::new);
        long[] pairs = pairCounts(rejected, w, h, ldx, ldy);
        double[] out = new double[side * side];
        for (int k = 0; k < nl; k++) {
            double s = 0;
            for (double[] p : partial) {
                s += p[k];
            }
            double cov = pairs[k] > 0 ? s / pairs[k] : Double.NaN;
            out[(ldy[k] + r) * side + ldx[k] + r] = cov;
            out[(-ldy[k] + r) * side - ldx[k] + r] = cov;
        }
        return out;
    }

    /**
     * For each lag, the pixel pairs (i, i + l) inside the image with neither end rejected: all pairs, less each pair
     * with a rejected end, found from its rejected ends.
     */
    private static long[] pairCounts(boolean[] rejected, int w, int h, int[] ldx, int[] ldy) {
        int nl = ldx.length;
        long[] out = new long[nl];
        for (int k = 0; k < nl; k++) {
            out[k] = (long) (w - Math.abs(ldx[k])) * (h - Math.abs(ldy[k]));
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (!rejected[y * w + x]) {
                    continue;
                }
                for (int k = 0; k < nl; k++) {
                    int fx = x + ldx[k];
                    int fy = y + ldy[k];
                    if (fx >= 0 && fx < w && fy < h) {
                        out[k]--;
                    }
                    int bx = x - ldx[k];
                    int by = y - ldy[k];
                    // a pair with both ends rejected was subtracted from its first end already
                    if (bx >= 0 && bx < w && by >= 0 && !rejected[by * w + bx]) {
                        out[k]--;
                    }
                }
            }
        }
        return out;
    }

    /**
     * The 5-point Laplacian {@code (Lk)_p = sum_q (k_q - k_p)} of a (2r+1)^2 grid, with k = 0 outside it: the forward
     * model of {@link #solvePoisson}.
     */
    public static double[] laplacian(double[] k, int r) {
        int side = 2 * r + 1;
        double[] out = new double[side * side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                double c = k[y * side + x];
                double s = -4 * c;
                s += x > 0 ? k[y * side + x - 1] : 0;
                s += x + 1 < side ? k[y * side + x + 1] : 0;
                s += y > 0 ? k[(y - 1) * side + x] : 0;
                s += y + 1 < side ? k[(y + 1) * side + x] : 0;
                out[y * side + x] = s;
            }
        }
        return out;
    }

    /**
     * K on the (2r+1)^2 grid, zero outside it, with {@code laplacian(K, r) = x}: the Cholesky factorisation of the
     * symmetric positive definite -L (n = (2r+1)^2 unknowns, n^3/3 operations).
     */
    public static double[] solvePoisson(double[] x, int r) {
        int side = 2 * r + 1;
        int n = side * side;
        if (x.length != n) {
            throw new IllegalArgumentException("expected " + n + " values for radius " + r + ", got " + x.length);
        }
        double[][] a = new double[n][n];
        for (int y = 0; y < side; y++) {
            for (int xx = 0; xx < side; xx++) {
                int p = y * side + xx;
                a[p][p] = 4;
                if (xx > 0) {
                    a[p][p - 1] = -1;
                }
                if (xx + 1 < side) {
                    a[p][p + 1] = -1;
                }
                if (y > 0) {
                    a[p][p - side] = -1;
                }
                if (y + 1 < side) {
                    a[p][p + side] = -1;
                }
            }
        }
        // in place: the lower triangle becomes the Cholesky factor G with G G^T = -L
        for (int j = 0; j < n; j++) {
            double s = a[j][j];
            for (int k = 0; k < j; k++) {
                s -= a[j][k] * a[j][k];
            }
            double g = Math.sqrt(s);
            a[j][j] = g;
            for (int i = j + 1; i < n; i++) {
                double t = a[i][j];
                double[] ai = a[i];
                double[] aj = a[j];
                for (int k = 0; k < j; k++) {
                    t -= ai[k] * aj[k];
                }
                a[i][j] = t / g;
            }
        }
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            double t = -x[i];
            for (int k = 0; k < i; k++) {
                t -= a[i][k] * z[k];
            }
            z[i] = t / a[i][i];
        }
        double[] k = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double t = z[i];
            for (int m = i + 1; m < n; m++) {
                t -= a[m][i] * k[m];
            }
            k[i] = t / a[i][i];
        }
        return k;
    }

    private static String value(Header h, String key) {
        HeaderCard card = h.findCard(key);
        if (card == null || card.getValue() == null) {
            return null;
        }
        String v = card.getValue().trim();
        return v.isEmpty() ? null : v;
    }
}
