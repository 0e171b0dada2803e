package org.lovoccs.imaging.cp;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import nom.tam.fits.Header;
import nom.tam.fits.HeaderCard;
import nom.tam.util.Cursor;
import org.lovoccs.imaging.Mask;
import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.MaskPlane;
import org.lovoccs.imaging.MaskedImage;
import org.lovoccs.imaging.characterize.BackgroundConfig;
import org.lovoccs.imaging.characterize.BackgroundEstimator;
import org.lovoccs.imaging.characterize.BackgroundModel;
import org.lovoccs.imaging.fits.FitsHeaders;
import org.lovoccs.imaging.isr.IsrConfig;
import org.lovoccs.imaging.isr.IsrTask;
import org.lovoccs.imaging.isr.PostIsrCcd;
import org.lovoccs.imaging.raw.RawCcd;

/**
 * Fringe frames and sky frames from science exposures (cp_pipe's cpFringe and cpSky), one CCD and band at a time.
 *
 * <p>Each exposure is calibrated ({@link IsrTask}, {@link CalibrationSteps#subtractBias},
 * {@link CalibrationSteps#divideFlat}); its large-scale background B is estimated with
 * {@link BackgroundEstimator} on meshes much larger than the fringe period ({@link Config#background()}, 512 px by
 * default); sources are masked (DETECTED) where {@code image - B > detectSigma x rms(B)}, grown by
 * {@code growRadius} pixels; the sky level S is the median of B. Then
 * <ul>
 *   <li>fringe frame: the clipped mean over exposures of {@code (image - B) / S}, the fringe pattern per unit of sky
 *       (dimensionless; pixels with DETECTED in an exposure are left out of that exposure's contribution);</li>
 *   <li>sky frame: the clipped mean of {@code image / S}, divided by its median: the sky's spatial pattern after
 *       flat-fielding (median 1).</li>
 * </ul>
 * {@link #fitFringe} and {@link #subtractFringe} are IsrTask's fringe step: the least-squares amplitude of the fringe
 * frame in an exposure; {@link #withoutInput} first takes the exposure's own contribution out of a frame it went into.
 */
public final class SkyPatterns {

    /**
     * @param isr            ISR of each science exposure
     * @param background     large-scale background (mesh well above the fringe period)
     * @param detectSigma    source threshold, in units of the background rms, per pixel
     * @param growRadius     sources' masks grown by this many pixels (square)
     * @param combine        the stack's combine (DETECTED should be among its rejected planes)
     * @param fringeSmoothSigma sigma (px) of a Gaussian smoothing of the combined fringe frame (0: none). The frame's
     *                       pixel noise biases an amplitude fit towards the stack's mean amplitude (errors in the
     *                       regressor); 1 px divides its variance by 12.6 while keeping 95% of a 20 px fringe period
     *                       and 99% of a 40 px one
     */
    public record Config(IsrConfig isr, BackgroundConfig background, double detectSigma, int growRadius,
                         CombineConfig combine, double fringeSmoothSigma) {

        public Config {
            if (isr == null || background == null || combine == null || !(detectSigma > 0) || growRadius < 0
                    || !(fringeSmoothSigma >= 0)) {
                throw new IllegalArgumentException("bad sky-pattern config");
            }
        }

        /**
         * ISR defaults, 512 px background meshes, 5 sigma sources grown by 3 px, combine rejecting DETECTED too, fringe
         * frame smoothed by a 1 px Gaussian.
         */
        public static Config defaults() {
            return new Config(IsrConfig.defaults(), BackgroundConfig.defaults().withMeshSize(512), 5.0, 3,
                    CombineConfig.defaults().withRejectedPlanes(CombineConfig.DEFAULT_REJECTED
                            | MaskPlane.DETECTED.bitmask()), 1.0);
        }
    }

    /**
     * An exposure ready to stack: its background-subtracted image ({@code image - B}, e-) with sources DETECTED, and
     * its sky level.
     *
     * @param residual   image - B, e-, mask with DETECTED
     * @param background the background B, e-
     * @param sky        median of B, e-
     */
    public record Prepared(MaskedImage residual, ImageF background, double sky) {
    }

    /**
     * The least-squares fit {@code image = pedestal + amplitude x fringe} over pixels with none of the rejected planes
     * set, with iterative clipping of the residuals (sources).
     *
     * @param amplitude      e- per unit of the fringe frame (for a frame per unit of sky: the exposure's sky level
     *                       times its fringe strength relative to the frames it was built from)
     * @param pedestal       e-
     * @param amplitudeError formal 1-sigma error from the residual rms
     * @param pixels         pixels used in the last pass
     */
    public record FringeFit(double amplitude, double pedestal, double amplitudeError, long pixels) {
    }

    private SkyPatterns() {
    }

    /** An exposure through ISR, bias subtraction and flat division. */
    public static MaskedImage calibrate(RawCcd raw, IsrConfig isr, CalibProduct bias, CalibProduct flat) {
        MaskedImage e = IsrTask.run(raw, isr).exposure();
        CalibrationSteps.subtractBias(e, bias);
        CalibrationSteps.divideFlat(e, flat);
        return e;
    }

    /** Background, source mask and sky level of a calibrated exposure (which is modified: DETECTED set, B removed). */
    public static Prepared prepare(MaskedImage calibrated, Config config) {
        BackgroundModel bg = BackgroundEstimator.estimate(calibrated.image(), calibrated.mask(), config.background());
        ImageF level = bg.renderLevel();
        ImageF rms = bg.renderRms();
        int w = calibrated.width();
        int h = calibrated.height();
        float[] img = calibrated.image().array();
        float[] lv = level.array();
        float[] rv = rms.array();
        boolean[] hit = new boolean[w * h];
        IntStream.range(0, h).parallel().forEach(y -> {
            int ib = calibrated.image().index(0, y);
            for (int x = 0; x < w; x++) {
                float r = img[ib + x] - lv[y * w + x];
                img[ib + x] = r;
                hit[y * w + x] = r > config.detectSigma() * rv[y * w + x];
            }
        });
        grow(hit, w, h, config.growRadius(), calibrated.mask().array(), MaskPlane.DETECTED.bitmask());
        float[] sorted = lv.clone();
        java.util.Arrays.parallelSort(sorted);
        double sky = sorted[sorted.length / 2];
        return new Prepared(calibrated, level, sky);
    }

    private static void grow(boolean[] hit, int w, int h, int r, int[] mask, int bit) {
        // separable square dilation: rows, then columns
        boolean[] rows = new boolean[w * h];
        IntStream.range(0, h).parallel().forEach(y -> {
            int last = Integer.MIN_VALUE / 2;
            for (int x = 0; x < w; x++) {
                if (hit[y * w + x]) {
                    last = x;
                }
                if (x - last <= r) {
                    rows[y * w + x] = true;
                }
            }
            last = Integer.MAX_VALUE / 2;
            for (int x = w - 1; x >= 0; x--) {
                if (hit[y * w + x]) {
                    last = x;
                }
                if (last - x <= r) {
                    rows[y * w + x] = true;
                }
            }
        });
        IntStream.range(0, w).parallel().forEach(x -> {
            int last = Integer.MIN_VALUE / 2;
            for (int y = 0; y < h; y++) {
                if (rows[y * w + x]) {
                    last = y;
                }
                if (y - last <= r) {
                    mask[y * w + x] |= bit;
                }
            }
            last = Integer.MAX_VALUE / 2;
            for (int y = h - 1; y >= 0; y--) {
                if (rows[y * w + x]) {
                    last = y;
                }
                if (last - y <= r) {
                    mask[y * w + x] |= bit;
                }
            }
        });
    }

    /** The fringe frame of one CCD and band from its science exposures (consumed once, in order). */
    public static CalibProduct buildFringe(Iterable<RawCcd> science, CalibProduct bias, CalibProduct flat,
                                           Config config) {
        return build(science, bias, flat, config, CalibType.FRINGE);
    }

    /** The sky frame of one CCD and band from its science exposures (consumed once, in order). */
    public static CalibProduct buildSky(Iterable<RawCcd> science, CalibProduct bias, CalibProduct flat,
                                        Config config) {
        return build(science, bias, flat, config, CalibType.SKY);
    }

    /**
     * The fringe frame of one CCD and band from exposures already through ISR with bias and flat applied (the isr
     * service's cpFringeProc), consumed once, in order: the same preparation and combine as {@link #buildFringe}.
     *
     * @throws IllegalArgumentException if there are none, they are not science exposures, or mix CCDs or bands
     */
    public static CalibProduct fringeFromProcessed(Iterable<PostIsrCcd> calibrated, Config config) {
        return fromProcessed(calibrated, config, CalibType.FRINGE);
    }

    /**
     * The sky frame of one CCD and band from exposures already through ISR with bias and flat applied (the isr
     * service's cpSkyProc), consumed once, in order: the same preparation and combine as {@link #buildSky}.
     *
     * @throws IllegalArgumentException if there are none, they are not science exposures, or mix CCDs or bands
     */
    public static CalibProduct skyFromProcessed(Iterable<PostIsrCcd> calibrated, Config config) {
        return fromProcessed(calibrated, config, CalibType.SKY);
    }

    private static CalibProduct fromProcessed(Iterable<PostIsrCcd> calibrated, Config config, CalibType type) {
        Stack stack = new Stack(type, config);
        for (PostIsrCcd p : calibrated) {
            stack.inputs.accept(p.metadata());
            stack.add(p.image());
        }
        return stack.finish();
    }

    private static CalibProduct build(Iterable<RawCcd> science, CalibProduct bias, CalibProduct flat, Config config,
                                      CalibType type) {
        Stack stack = new Stack(type, config);
        for (RawCcd raw : science) {
            stack.inputs.accept(raw);
            if (flat.band() != null && stack.inputs.band() != flat.band()) {
                throw new IllegalArgumentException("exposure " + stack.inputs.count() + " is in "
                        + stack.inputs.band().bandName() + ", the flat in " + flat.band().bandName());
            }
            stack.add(calibrate(raw, config.isr(), bias, flat));
        }
        return stack.finish();
    }

    /** The stack of prepared exposures of one CCD and band, and the checks on where they came from. */
    private static final class Stack {
        final Inputs inputs;
        final CalibType type;
        final Config config;
        final GroupedStack stack;
        final StringBuilder skies = new StringBuilder();

        Stack(CalibType type, Config config) {
            this.type = type;
            this.config = config;
            this.inputs = new Inputs(type, "object", "science");
            this.stack = new GroupedStack(config.combine());
        }

        /** Prepares one calibrated exposure (modified in place) and adds it, scaled by its sky level. */
        void add(MaskedImage e) {
            Prepared p = prepare(e, config);
            if (!(p.sky() > 0)) {
                throw new IllegalArgumentException("exposure " + inputs.count() + " has sky " + p.sky() + " e-; a"
                        + " fringe or sky frame needs exposures with sky background (check its bias and flat)");
            }
            if (type == CalibType.SKY) {
                addBack(e, p.background());
            }
            skies.append(skies.length() == 0 ? "" : ",").append(Math.round(p.sky()));
            stack.add(RowSource.packed(e), p.sky());
        }

        CalibProduct finish() {
            if (inputs.count() == 0) {
                throw new IllegalArgumentException("no exposures to combine");
            }
            Combined c = stack.finish();
            MaskedImage mi = c.image();
            Header h = inputs.metadata(config.combine(), c, stack.groups());
            FitsHeaders.add(h, "CPBGMESH", config.background().meshSize(), "background mesh, pixels");
            FitsHeaders.add(h, "CPDETSIG", config.detectSigma(), "source threshold, background rms");
            FitsHeaders.add(h, "CPGROW", config.growRadius(), "source masks grown, pixels");
            if (type == CalibType.SKY) {
                double norm = PixelStats.median(mi, MaskPlane.NO_DATA.bitmask());
                MasterFlat.scale(mi, 1.0 / norm);
                FitsHeaders.add(h, "CPNORM", "MEDIAN", "image / sky, combined, divided by its median");
            } else {
                FitsHeaders.add(h, "CPNORM", "SKY", "(image - background) / sky level, combined");
                if (config.fringeSmoothSigma() > 0) {
                    smooth(mi, config.fringeSmoothSigma());
                    FitsHeaders.add(h, "CPSMOOTH", config.fringeSmoothSigma(), "Gaussian smoothing sigma, pixels");
                }
            }
            String all = skies.toString();
            for (int i = 0; i < all.length(); i += 58) {
                FitsHeaders.history(h, "sky levels [e-]: " + all.substring(i, Math.min(all.length(), i + 58)));
            }
            return new CalibProduct(type, inputs.band(), mi, c.count(), h);
        }
    }

    /**
     * Separable Gaussian smoothing (truncated at 4 sigma) over the pixels with a finite value, renormalised over them;
     * the variance is smoothed with the squared kernel (neighbours taken as independent).
     */
    static void smooth(MaskedImage mi, double sigma) {
        int r = (int) Math.ceil(4 * sigma);
        double[] k = new double[2 * r + 1];
        for (int d = -r; d <= r; d++) {
            k[d + r] = Math.exp(-0.5 * d * d / (sigma * sigma));
        }
        int w = mi.width();
        int h = mi.height();
        float[] img = mi.image().toArray();
        float[] var = mi.variance().toArray();
        float[] ti = new float[w * h];
        float[] tw = new float[w * h];
        float[] tv = new float[w * h];
        // pass 1 (rows): sums of k v, k, k^2 var
        IntStream.range(0, h).parallel().forEach(y -> {
            for (int x = 0; x < w; x++) {
                double s = 0;
                double sw = 0;
                double sv = 0;
                for (int d = Math.max(-r, -x); d <= Math.min(r, w - 1 - x); d++) {
                    float v = img[y * w + x + d];
                    if (Float.isFinite(v)) {
                        double kk = k[d + r];
                        s += kk * v;
                        sw += kk;
                        sv += kk * kk * var[y * w + x + d];
                    }
                }
                ti[y * w + x] = (float) s;
                tw[y * w + x] = (float) sw;
                tv[y * w + x] = (float) sv;
            }
        });
        float[] oi = mi.image().array();
        float[] ov = mi.variance().array();
        IntStream.range(0, h).parallel().forEach(y -> {
            int ib = mi.image().index(0, y);
            int vb = mi.variance().index(0, y);
            for (int x = 0; x < w; x++) {
                if (!Float.isFinite(img[y * w + x])) {
                    continue;
                }
                double s = 0;
                double sw = 0;
                double sv = 0;
                double sw2 = 0;
                for (int d = Math.max(-r, -y); d <= Math.min(r, h - 1 - y); d++) {
                    double kk = k[d + r];
                    int j = (y + d) * w + x;
                    s += kk * ti[j];
                    sw += kk * tw[j];
                    sv += kk * kk * tv[j];
                }
                oi[ib + x] = (float) (s / sw);
                ov[vb + x] = (float) (sv / (sw * sw));
            }
        });
    }

    private static void addBack(MaskedImage e, ImageF background) {
        float[] a = e.image().array();
        float[] b = background.array();
        int w = e.width();
        for (int y = 0; y < e.height(); y++) {
            int ib = e.image().index(0, y);
            for (int x = 0; x < w; x++) {
                a[ib + x] += b[y * w + x];
            }
        }
    }

    /**
     * Fits {@code image = pedestal + amplitude x fringe} by least squares over the pixels where both are finite and
     * neither has a rejected plane set; {@code iterations} passes, each dropping pixels whose residual exceeds
     * {@code clipSigma} times the previous pass's rms (sources, cosmic rays).
     */
    public static FringeFit fitFringe(MaskedImage image, CalibProduct fringe, int rejectedPlanes, double clipSigma,
                                      int iterations) {
        if (fringe.type() != CalibType.FRINGE) {
            throw new IllegalArgumentException("expected a fringe frame, got a " + fringe.type().keyword());
        }
        int w = image.width();
        int h = image.height();
        if (fringe.width() != w || fringe.height() != h) {
            throw new IllegalArgumentException("image and fringe frame differ in size");
        }
        float[] f = fringe.image().image().array();
        int[] fm = fringe.image().mask().array();
        float[] a = image.image().array();
        int[] m = image.mask().array();
        double amp = 0;
        double ped = 0;
        double limit = Double.POSITIVE_INFINITY;
        double err = Double.NaN;
        long used = 0;
        for (int it = 0; it <= iterations; it++) {
            double n = 0;
            double sx = 0;
            double sy = 0;
            double sxx = 0;
            double sxy = 0;
            for (int y = 0; y < h; y++) {
                int ib = image.image().index(0, y);
                int fb = fringe.image().image().index(0, y);
                for (int x = 0; x < w; x++) {
                    double fx = f[fb + x];
                    double v = a[ib + x];
                    if ((m[y * w + x] & rejectedPlanes) != 0 || (fm[y * w + x] & rejectedPlanes) != 0
                            || !Double.isFinite(fx) || !Double.isFinite(v)) {
                        continue;
                    }
                    if (Math.abs(v - ped - amp * fx) > limit) {
                        continue;
                    }
                    n++;
                    sx += fx;
                    sy += v;
                    sxx += fx * fx;
                    sxy += fx * v;
                }
            }
            double det = n * sxx - sx * sx;
            if (!(det > 0)) {
                throw new IllegalArgumentException("the fringe frame has no variation over the usable pixels");
            }
            double newAmp = (n * sxy - sx * sy) / det;
            double newPed = (sy - newAmp * sx) / n;
            double ss = 0;
            for (int y = 0; y < h; y++) {
                int ib = image.image().index(0, y);
                int fb = fringe.image().image().index(0, y);
                for (int x = 0; x < w; x++) {
                    double fx = f[fb + x];
                    double v = a[ib + x];
                    if ((m[y * w + x] & rejectedPlanes) != 0 || (fm[y * w + x] & rejectedPlanes) != 0
                            || !Double.isFinite(fx) || !Double.isFinite(v)
                            || Math.abs(v - ped - amp * fx) > limit) {
                        continue;
                    }
                    double r = v - newPed - newAmp * fx;
                    ss += r * r;
                }
            }
            double rms = Math.sqrt(ss / Math.max(1, n - 2));
            err = rms * Math.sqrt(n / det);
            used = (long) n;
            amp = newAmp;
            ped = newPed;
            limit = clipSigma * rms;
        }
        return new FringeFit(amp, ped, err, used);
    }

    /**
     * The EXPNUMs of a calibration product's inputs, in order, as {@link Inputs} records them (HISTORY cards
     * "inputs EXPNUM: ...", a comma-separated list cut into pieces of 60 characters); empty if there are none.
     */
    public static List<String> inputExpnums(Header metadata) {
        StringBuilder all = new StringBuilder();
        for (Cursor<String, HeaderCard> it = metadata.iterator(); it.hasNext(); ) {
            HeaderCard c = it.next();
            String text = "HISTORY".equals(c.getKey()) ? c.getComment() : null;
            if (text != null && text.trim().startsWith(INPUTS_PREFIX)) {
                all.append(text.trim().substring(INPUTS_PREFIX.length()).trim());
            }
        }
        List<String> out = new ArrayList<>();
        for (String e : all.toString().split(",")) {
            if (!e.isBlank()) {
                out.add(e.trim());
            }
        }
        return out;
    }

    private static final String INPUTS_PREFIX = "inputs EXPNUM:";

    /**
     * The fringe frame with one of its own input exposures' contribution taken out: the frame the other inputs alone
     * would have made (leave-one-out), for defringing that exposure.
     *
     * <p>Why: with few inputs an exposure is a large share (1/N) of the frame, and {@code (image - B) / S} there holds
     * its own pixel noise and its own sources' flux below the DETECTED mask (star wings, faint galaxies). Subtracting
     * {@code amplitude x frame} then removes about 1/N of the exposure's own undetected flux and noise exactly where
     * they are: stars lose their outer wings (FWHM and fluxes biased), and the amplitude fit is biased upwards by the
     * frame's noise correlated with the image (+5% with 3 exposures). A frame from the other exposures only has none of
     * this.
     *
     * <p>How: the unsmoothed frame is {@code M = sum_j u_j x_j / n}, with {@code x_j = (image_j - B_j) / S_j},
     * {@code u_j} 1 where exposure j was kept and {@code n} the COUNT plane. The exposure's own {@code x} and DETECTED
     * mask are remade from {@code calibrated} with the frame's recorded preparation (CPBGMESH, CPDETSIG, CPGROW);
     * then {@code A = u x / n} and the others' weight {@code W = (n - u) / n}, both smoothed like the frame (CPSMOOTH),
     * give {@code (frame - K*A) / K*W = K*(W O) / K*W}: the others' mean O, smoothed with weights. Pixels where only
     * this exposure was kept (or {@code K*W < 0.05}) become NaN and NO_DATA (left undefringed). Assumes the exposure's
     * pixels were not clipped in the combine (never with 3 inputs at 3 sigma) and that {@code calibrated} is the image
     * the combine was given, up to ISR steps that change it little (crosstalk, linearity, brighter-fatter). The
     * variance plane is the frame's, unchanged (the fit does not use it).
     *
     * @param fringe     a fringe frame with a COUNT plane and its inputs' EXPNUMs
     * @param calibrated the exposure after bias and flat (not modified)
     * @param expnum     the exposure's EXPNUM
     * @return the frame without that exposure, or {@code fringe} itself if the exposure is not among its inputs or
     *         the frame has no COUNT plane with 2 inputs or more anywhere (read without one, the count is 1)
     */
    public static CalibProduct withoutInput(CalibProduct fringe, MaskedImage calibrated, String expnum) {
        if (expnum == null || fringe.type() != CalibType.FRINGE
                || !inputExpnums(fringe.metadata()).contains(expnum.trim())) {
            return fringe;
        }
        int w = fringe.width();
        int h = fringe.height();
        if (calibrated.width() != w || calibrated.height() != h) {
            throw new IllegalArgumentException("image and fringe frame differ in size");
        }
        Header meta = fringe.metadata();
        float[] cnt = fringe.count().array();
        float maxCount = 0;
        for (float c : cnt) {
            maxCount = Math.max(maxCount, c);
        }
        if (maxCount < 2) {
            // no COUNT plane read (1 everywhere) or a single input: nothing else to make the frame from
            return fringe;
        }
        Config d = Config.defaults();
        Config config = new Config(d.isr(), d.background().withMeshSize(meta.getIntValue("CPBGMESH",
                d.background().meshSize())), meta.getDoubleValue("CPDETSIG", d.detectSigma()),
                meta.getIntValue("CPGROW", d.growRadius()), d.combine(), meta.getDoubleValue("CPSMOOTH", 0.0));
        MaskedImage own = new MaskedImage(calibrated.image().copy(), new Mask(w, h,
                calibrated.mask().array().clone()), calibrated.variance().copy());
        Prepared p = prepare(own, config);
        if (!(p.sky() > 0)) {
            return fringe;
        }
        int rejected = config.combine().rejectedPlanes();
        float[] x = own.image().array();
        int[] om = own.mask().array();
        float[] f = fringe.image().image().array();
        float[] a = new float[w * h];
        float[] wt = new float[w * h];
        float[] kept = new float[w * h];
        IntStream.range(0, h).parallel().forEach(y -> {
            int xb = own.image().index(0, y);
            int fb = fringe.image().image().index(0, y);
            int cb = fringe.count().index(0, y);
            for (int i = 0; i < w; i++) {
                int k = y * w + i;
                double n = cnt[cb + i];
                if (!Float.isFinite(f[fb + i]) || !(n > 0)) {
                    a[k] = Float.NaN;
                    wt[k] = Float.NaN;
                    kept[k] = (float) Math.max(0, n);
                    continue;
                }
                float v = x[xb + i];
                int u = (om[k] & rejected) == 0 && Float.isFinite(v) ? 1 : 0;
                a[k] = (float) (u * v / p.sky() / n);
                wt[k] = (float) ((n - u) / n);
                kept[k] = (float) (n - u);
            }
        });
        MaskedImage as = new MaskedImage(new ImageF(w, h, a), new Mask(w, h), new ImageF(w, h));
        MaskedImage ws = new MaskedImage(new ImageF(w, h, wt), new Mask(w, h), new ImageF(w, h));
        if (config.fringeSmoothSigma() > 0) {
            smooth(as, config.fringeSmoothSigma());
            smooth(ws, config.fringeSmoothSigma());
        }
        MaskedImage out = new MaskedImage(fringe.image().image().copy(), new Mask(w, h,
                fringe.image().mask().array().clone()), fringe.image().variance().copy());
        float[] o = out.image().array();
        int[] mo = out.mask().array();
        float[] asv = as.image().array();
        float[] wsv = ws.image().array();
        int noData = MaskPlane.NO_DATA.bitmask();
        IntStream.range(0, h).parallel().forEach(y -> {
            int ob = out.image().index(0, y);
            for (int i = 0; i < w; i++) {
                int k = y * w + i;
                if (!Float.isFinite(o[ob + i])) {
                    continue;
                }
                double ww = wsv[k];
                if (!(ww >= 0.05)) {
                    o[ob + i] = Float.NaN;
                    mo[k] |= noData;
                } else {
                    o[ob + i] = (float) ((o[ob + i] - asv[k]) / ww);
                }
            }
        });
        Header h2 = new Header();
        for (Cursor<String, HeaderCard> it = meta.iterator(); it.hasNext(); ) {
            HeaderCard c = it.next();
            if (!"END".equals(c.getKey())) {
                h2.addLine(c.copy());
            }
        }
        FitsHeaders.history(h2, "contribution of input EXPNUM " + expnum.trim() + " removed (leave-one-out)");
        return new CalibProduct(CalibType.FRINGE, fringe.band(), out, new ImageF(w, h, kept), h2);
    }

    /** {@code image -= amplitude x fringe} (NaN fringe pixels leave the image unchanged). */
    public static void subtractFringe(MaskedImage image, CalibProduct fringe, double amplitude) {
        float[] f = fringe.image().image().array();
        float[] a = image.image().array();
        int w = image.width();
        for (int y = 0; y < image.height(); y++) {
            int ib = image.image().index(0, y);
            int fb = fringe.image().image().index(0, y);
            for (int x = 0; x < w; x++) {
                float fx = f[fb + x];
                if (Float.isFinite(fx)) {
                    a[ib + x] -= (float) (amplitude * fx);
                }
            }
        }
    }
}
