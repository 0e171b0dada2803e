package org.lovoccs.imaging.isr;

import nom.tam.fits.Header;
import org.lovoccs.imaging.FitsSection;
import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.MaskPlane;
import org.lovoccs.imaging.MaskedImage;
import org.lovoccs.imaging.PixelBox;
import org.lovoccs.imaging.cp.CalibProduct;
import org.lovoccs.imaging.cp.CalibrationSteps;
import org.lovoccs.imaging.cp.SkyPatterns;
import org.lovoccs.imaging.fits.FitsHeaders;
import org.lovoccs.imaging.raw.Amplifier;
import org.lovoccs.imaging.raw.AmplifierGeometry;
import org.lovoccs.imaging.raw.RawCcd;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The complete instrument signature removal of one science CCD (LSST's {@code IsrTask} with its DECam
 * configuration): {@link IsrTask}'s overscan, gain and assembly, then in the reverse of the order in which the
 * instrument imprinted them:
 * <ol>
 *   <li><b>bias</b>: the master bias (electrons) subtracted; its variance added;</li>
 *   <li><b>crosstalk</b>: each victim pixel loses coefficient x the source amplifier's signal at the same readout
 *       position (the signal above bias, before linearity correction, as the amplifiers saw it), converted with the
 *       two amplifiers' gains; then, for the inter-CCD terms, coefficient x the victim's gain x the other CCD's
 *       overscan-corrected ADU ({@link CrosstalkSource}, step0's overscanRaw) at the same readout position; a source
 *       CCD not given is skipped (XTALKSRC lists the CCDs applied, XTALKMIS those missing);</li>
 *   <li><b>linearity</b>: each amplifier's signal in ADU taken back through the linearizer's inverse;</li>
 *   <li><b>variance</b>: max(signal, 0) + read noise^2 (+ the bias's variance);</li>
 *   <li><b>defects</b>: BAD on the defect boxes; <b>saturation</b>: SAT from IsrTask, grown along the columns over
 *       the bleed trails (pixels above {@code bleedFraction} of the amplifier's saturation level in electrons,
 *       connected to a saturated pixel in their column);</li>
 *   <li><b>brighter-fatter</b>: the charge redistribution undone with the kernel (Coulton et al. 2018);</li>
 *   <li><b>flat</b>: divided by the master flat; <b>fringe</b>: the fringe frame's amplitude fitted and subtracted
 *       (a frame the exposure itself went into is first rid of its contribution, {@link SkyPatterns#withoutInput};
 *       FRNGLOO);</li>
 *   <li><b>cosmic rays</b>: found ({@link CosmicRayFinder}) and masked CR;</li>
 *   <li><b>interpolation</b>: CR pixels replaced across their track's narrowest way (row, column or diagonal), then
 *       BAD, SAT and the CR pixels left along their row; all marked INTRP.</li>
 * </ol>
 * Every step is switched by {@link FullIsrConfig}; a step whose calibration is missing is refused by name when
 * switched on. The steps applied are recorded in ISRSTEPS.
 */
public final class FullIsr {

    private FullIsr() {
    }

    /**
     * The calibrations a science CCD needs; any may be null when its step is off.
     *
     * @param bias              master bias (electrons)
     * @param flat              master flat (median 1)
     * @param fringe            fringe frame (per unit of sky), for z
     * @param crosstalk         the CCD's crosstalk: intra-CCD terms, and inter-CCD terms naming other CCDs
     * @param linearizer        the CCD's amplifiers' non-linearity
     * @param defects           defect boxes on the assembled grid
     * @param bfKernel          brighter-fatter kernel, (2r+1)^2 row-major, 1/electron
     * @param crosstalkSources  the other CCDs' overscan-corrected raws (step0's overscanRaw) by CCDNUM, for the
     *                          inter-CCD terms; a source the crosstalk names but that is not here is skipped and
     *                          recorded (XTALKMIS); sources it does not name are ignored. Never null (empty: none)
     */
    public record Calibrations(CalibProduct bias, CalibProduct flat, CalibProduct fringe, Crosstalk crosstalk,
                               Linearizer linearizer, List<PixelBox> defects, double[] bfKernel,
                               Map<Integer, CrosstalkSource> crosstalkSources) {

        public Calibrations {
            crosstalkSources = crosstalkSources == null ? Map.of() : Map.copyOf(crosstalkSources);
            for (Map.Entry<Integer, CrosstalkSource> s : crosstalkSources.entrySet()) {
                if (s.getKey() != s.getValue().detector()) {
                    throw new IllegalArgumentException("crosstalk source given as CCD " + s.getKey() + " is CCD "
                            + s.getValue().detector());
                }
            }
        }

        /** Without crosstalk sources (the inter-CCD terms are then skipped and recorded as missing). */
        public Calibrations(CalibProduct bias, CalibProduct flat, CalibProduct fringe, Crosstalk crosstalk,
                            Linearizer linearizer, List<PixelBox> defects, double[] bfKernel) {
            this(bias, flat, fringe, crosstalk, linearizer, defects, bfKernel, Map.of());
        }

        /** The same calibrations with {@code sources} (by CCDNUM) as the crosstalk sources. */
        public Calibrations withCrosstalkSources(Map<Integer, CrosstalkSource> sources) {
            return new Calibrations(bias, flat, fringe, crosstalk, linearizer, defects, bfKernel, sources);
        }
    }

    /**
     * The ISR output and what each step measured.
     *
     * @param crosstalkSourcesApplied CCDs whose inter-CCD crosstalk was removed (sorted; empty with crosstalk off)
     * @param crosstalkSourcesMissing CCDs the crosstalk calibration names but no source was given for (sorted)
     * @param brighterFatter          what the brighter-fatter inversion did (null with it off)
     */
    public record Result(IsrResult isr, double fringeAmplitude, int cosmicRayPixels, int interpolatedPixels,
                         int bleedPixels, List<Integer> crosstalkSourcesApplied,
                         List<Integer> crosstalkSourcesMissing, BrighterFatterCorrection.Result brighterFatter) {

        public Result {
            crosstalkSourcesApplied = List.copyOf(crosstalkSourcesApplied);
            crosstalkSourcesMissing = List.copyOf(crosstalkSourcesMissing);
        }

        /** Without inter-CCD crosstalk information. */
        public Result(IsrResult isr, double fringeAmplitude, int cosmicRayPixels, int interpolatedPixels,
                      int bleedPixels) {
            this(isr, fringeAmplitude, cosmicRayPixels, interpolatedPixels, bleedPixels, List.of(), List.of(), null);
        }
    }

    public static Result run(RawCcd raw, FullIsrConfig config, Calibrations calibs) {
        requireCalibs(config, calibs);
        IsrResult base = IsrTask.run(raw, config.base().withAssemble(true).withVariance(false));
        AmplifierGeometry geometry = AmplifierGeometry.fromHeader(raw.header());
        MaskedImage e = base.exposure();
        List<String> steps = new ArrayList<>(base.stepsApplied());
        Header meta = base.metadata();
        int w = e.width();
        int h = e.height();
        float[] img = e.image().array();

        e.variance().fill(0f);
        if (config.doBias()) {
            CalibrationSteps.subtractBias(e, calibs.bias());
            steps.add(IsrSteps.BIAS);
        }
        // from here until the variance step the variance plane holds the bias's variance only
        List<Integer> xtApplied = List.of();
        List<Integer> xtMissing = List.of();
        if (config.doCrosstalk()) {
            correctCrosstalk(e.image(), geometry, calibs.crosstalk());
            List<Integer>[] interCcd = correctInterCcdCrosstalk(e.image(), geometry, calibs.crosstalk(),
                    calibs.crosstalkSources());
            xtApplied = interCcd[0];
            xtMissing = interCcd[1];
            steps.add(IsrSteps.CROSSTALK);
        }
        if (config.doLinearize()) {
            linearize(e.image(), geometry, calibs.linearizer());
            steps.add(IsrSteps.LINEARIZE);
        }
        float[] var = e.variance().array();
        for (Amplifier a : geometry.amplifiers()) {
            PixelBox b = a.assembledBox();
            double rn2 = a.readNoise() * a.readNoise();
            for (int y = b.y0(); y <= b.maxY(); y++) {
                int row = y * w;
                for (int x = b.x0(); x <= b.maxX(); x++) {
                    float v = img[row + x];
                    var[row + x] = (float) (Math.max(v, 0.0) + rn2 + var[row + x]);
                }
            }
        }
        steps.add(IsrSteps.VARIANCE);
        int[] mask = e.mask().array();
        if (config.doDefect()) {
            int bad = MaskPlane.BAD.bitmask();
            for (PixelBox d : calibs.defects()) {
                for (int y = Math.max(0, d.y0()); y <= Math.min(h - 1, d.maxY()); y++) {
                    for (int x = Math.max(0, d.x0()); x <= Math.min(w - 1, d.maxX()); x++) {
                        mask[y * w + x] |= bad;
                    }
                }
            }
            steps.add(IsrSteps.DEFECTS);
        }
        int bleed = 0;
        if (config.doSaturation() && config.base().doSaturation()) {
            bleed = growBleedTrails(e, geometry, config.bleedFraction());
            steps.add(IsrSteps.BLEED);
        }
        BrighterFatterCorrection.Result bf = null;
        if (config.doBrighterFatter()) {
            bf = BrighterFatterCorrection.apply(e, calibs.bfKernel(), config.brighterFatterIterations(),
                    config.brighterFatterThreshold(), config.brighterFatterKernelTolerance(),
                    config.brighterFatterPixelTolerance());

            steps.add(IsrSteps.BRIGHTER_FATTER);
        }
        if (config.doFlat()) {
            CalibrationSteps.divideFlat(e, calibs.flat());
            steps.add(IsrSteps.FLAT);
        }
        double fringeAmp = Double.NaN;
        boolean fringeSelf = false;
        if (config.doFringe()) {
            int rejected = MaskPlane.BAD.bitmask() | MaskPlane.SAT.bitmask() | MaskPlane.NO_DATA.bitmask();
            // a frame this exposure went into is used without its own contribution (SkyPatterns.withoutInput)
            String expnum = meta.containsKey("EXPNUM") ? meta.findCard("EXPNUM").getValue() : null;
            CalibProduct frame = SkyPatterns.withoutInput(calibs.fringe(), e, expnum);
            SkyPatterns.FringeFit fit = SkyPatterns.fitFringe(e, frame, rejected, 3.0, 3);
            SkyPatterns.subtractFringe(e, frame, fit.amplitude());
            fringeSelf = frame != calibs.fringe();
            fringeAmp = fit.amplitude();
            steps.add(IsrSteps.FRINGE);
        }
        int crPixels = 0;
        if (config.doCosmicRay()) {
            crPixels = CosmicRayFinder.find(e, config.cosmicRays());
            steps.add(IsrSteps.COSMIC_RAY);
        }
        int interpolated = 0;
        if (config.doInterpolate()) {
            int masked = MaskPlane.BAD.bitmask() | MaskPlane.SAT.bitmask() | MaskPlane.CR.bitmask();
            // cosmic-ray tracks run at any angle: each CR pixel across the track's narrowest way; then defects,
            // saturation and bleed trails (and any CR pixel with no good pixels around) along rows, which cross them
            interpolated = Interpolation.acrossShortestGap(e, MaskPlane.CR.bitmask(), masked);
            interpolated += Interpolation.alongRowsExceptInterpolated(e, masked);
            steps.add(IsrSteps.INTERPOLATE);
        }
        FitsHeaders.add(meta, "ISRBIAS", config.doBias(), "master bias subtracted");
        FitsHeaders.add(meta, "ISRXTALK", config.doCrosstalk(), "intra- and inter-CCD crosstalk removed");
        if (config.doCrosstalk()) {
            FitsHeaders.add(meta, "XTALKSRC", join(xtApplied), "CCDs whose crosstalk into this one was removed");
            if (!xtMissing.isEmpty()) {
                FitsHeaders.add(meta, "XTALKMIS", join(xtMissing), "crosstalk source CCDs named but not given");
            }
        }
        FitsHeaders.add(meta, "ISRLIN", config.doLinearize(), "non-linearity corrected");
        FitsHeaders.add(meta, "ISRDEFEC", config.doDefect(), "defects masked BAD");
        FitsHeaders.add(meta, "ISRBF", config.doBrighterFatter(), "brighter-fatter corrected");
        if (config.doBrighterFatter()) {
            FitsHeaders.add(meta, "BFTERMS", bf.terms(), "separable terms of the brighter-fatter kernel used");
            FitsHeaders.add(meta, "BFITER", bf.iterations(), "brighter-fatter iterations run");
            FitsHeaders.add(meta, "BFDIFF", bf.lastChange(), "[e-] sum of |change| in the last iteration");
            FitsHeaders.add(meta, "BFCONV", bf.converged(), "change fell under the threshold");
            FitsHeaders.add(meta, "BFKTOL", config.brighterFatterKernelTolerance(),
                    "kernel power the dropped terms may hold");
        }
        FitsHeaders.add(meta, "ISRFLAT", config.doFlat(), "divided by the master flat");
        FitsHeaders.add(meta, "ISRFRING", config.doFringe(), "fringe frame fitted and subtracted");
        if (config.doFringe()) {
            FitsHeaders.add(meta, "FRNGAMP", fringeAmp, "[e-] fitted fringe amplitude (frame is per unit sky)");
            FitsHeaders.add(meta, "FRNGLOO", fringeSelf, "own contribution to the fringe frame removed first");
        }
        FitsHeaders.add(meta, "ISRCR", config.doCosmicRay(), "cosmic rays found and masked CR");
        FitsHeaders.add(meta, "NCRPIX", crPixels, "pixels masked CR");
        FitsHeaders.add(meta, "ISRINTRP", config.doInterpolate(), "BAD, SAT and CR pixels interpolated");
        FitsHeaders.add(meta, "NINTRP", interpolated, "pixels interpolated");
        FitsHeaders.add(meta, "NBLEED", bleed, "pixels added to SAT along bleed trails");
        IsrResult out = new IsrResult(e, meta, base.wcs(), base.amplifiers(), steps);
        return new Result(out, fringeAmp, crPixels, interpolated, bleed, xtApplied, xtMissing, bf);
    }

    private static String join(List<Integer> ccds) {
        StringBuilder b = new StringBuilder();
        for (int c : ccds) {
            b.append(b.length() > 0 ? "," : "").append(c);
        }
        return b.toString();
    }

    private static void requireCalibs(FullIsrConfig c, Calibrations k) {
        List<String> missing = new ArrayList<>();
        if (c.doBias() && (k == null || k.bias() == null)) {
            missing.add("bias (doBias)");
        }
        if (c.doFlat() && (k == null || k.flat() == null)) {
            missing.add("flat (doFlat)");
        }
        if (c.doFringe() && (k == null || k.fringe() == null)) {
            missing.add("fringe (doFringe)");
        }
        if (c.doCrosstalk() && (k == null || k.crosstalk() == null)) {
            missing.add("crosstalk (doCrosstalk)");
        }
        if (c.doLinearize() && (k == null || k.linearizer() == null)) {
            missing.add("linearizer (doLinearize)");
        }
        if (c.doDefect() && (k == null || k.defects() == null)) {
            missing.add("defects (doDefect)");
        }
        if (c.doBrighterFatter() && (k == null || k.bfKernel() == null)) {
            missing.add("bfKernel (doBrighterFatter)");
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("ISR is configured to apply calibrations it was not given: "
                    + String.join(", ", missing) + "; supply them or switch the step off (e.g. isr:doFringe=False)");
        }
    }

    /** Readout column of assembled column x for an amplifier whose AMPSEC runs against its DATASEC. */
    static boolean flipX(Amplifier a) {
        FitsSection amp = a.ampSection();
        return amp != null && amp.flipX() != a.data().flipX();
    }

    static boolean flipY(Amplifier a) {
        FitsSection amp = a.ampSection();
        return amp != null && amp.flipY() != a.data().flipY();
    }

    static void correctCrosstalk(ImageF image, AmplifierGeometry g, Crosstalk xt) {
        float[] a = image.array();
        int w = image.width();
        for (Crosstalk.Term t : xt.terms()) {
            Amplifier v = g.amplifier(t.victimAmp());
            Amplifier s = g.amplifier(t.sourceAmp());
            PixelBox vb = v.assembledBox();
            PixelBox sb = s.assembledBox();
            if (vb.width() != sb.width() || vb.height() != sb.height()) {
                throw new IllegalArgumentException("crosstalk term " + t + ": amplifiers " + v.name() + " and "
                        + s.name() + " differ in size");
            }
        }
        // every term uses the sources as read out (before any correction), so take the corrections first
        float[] source = a.clone();
        for (Crosstalk.Term t : xt.terms()) {
            Amplifier v = g.amplifier(t.victimAmp());
            Amplifier s = g.amplifier(t.sourceAmp());
            PixelBox vb = v.assembledBox();
            PixelBox sb = s.assembledBox();
            // victim electrons per source electron: c (victim ADU / source ADU) x g_victim / g_source
            double c = t.coefficient() * v.gain() / s.gain();
            boolean vfx = flipX(v);
            boolean vfy = flipY(v);
            boolean sfx = flipX(s);
            boolean sfy = flipY(s);
            for (int j = 0; j < vb.height(); j++) {
                int vy = vfy ? vb.maxY() - j : vb.y0() + j;
                int sy = sfy ? sb.maxY() - j : sb.y0() + j;
                for (int i = 0; i < vb.width(); i++) {
                    int vx = vfx ? vb.maxX() - i : vb.x0() + i;
                    int sx = sfx ? sb.maxX() - i : sb.x0() + i;
                    a[vy * w + vx] -= (float) (c * source[sy * w + sx]);
                }
            }
        }
    }

    /**
     * The inter-CCD terms: each victim pixel loses coefficient x the victim amplifier's gain x the source CCD's
     * overscan-corrected ADU at the same readout position (electrons; the table's convention is victim ADU +=
     * coefficient x source ADU, both above bias). No copy of the image is needed: the sources are other CCDs' data.
     *
     * @return {applied source CCDs, missing source CCDs}, each sorted
     */
    @SuppressWarnings("unchecked")
    static List<Integer>[] correctInterCcdCrosstalk(ImageF image, AmplifierGeometry g, Crosstalk xt,
                                                   Map<Integer, CrosstalkSource> sources) {
        TreeSet<Integer> applied = new TreeSet<>();
        TreeSet<Integer> missing = new TreeSet<>();
        float[] a = image.array();
        int w = image.width();
        for (Crosstalk.InterTerm t : xt.interTerms()) {
            CrosstalkSource src = sources.get(t.sourceDetector());
            if (src == null) {
                missing.add(t.sourceDetector());
                continue;
            }
            Amplifier v = g.amplifier(t.victimAmp());
            CrosstalkSource.Amp s = src.amplifier(t.sourceAmp());
            PixelBox vb = v.assembledBox();
            if (vb.width() != s.box().width() || vb.height() != s.box().height()) {
                throw new IllegalArgumentException("crosstalk term " + t + ": victim amplifier " + v.name() + " ("
                        + vb.width() + "x" + vb.height() + ") and source CCD " + src.detector() + " amplifier "
                        + s.name() + " (" + s.box().width() + "x" + s.box().height() + ") differ in size");
            }
            int[] sp = src.pixels();
            int sw = src.width();
            float c = (float) (t.coefficient() * v.gain());
            boolean vfx = flipX(v);
            boolean vfy = flipY(v);
            for (int j = 0; j < vb.height(); j++) {
                int vrow = (vfy ? vb.maxY() - j : vb.y0() + j) * w;
                int srow = s.y(j) * sw;
                if (vfx == s.flipX()) {
                    // the same direction along the row in both: a straight run
                    int vo = vrow + vb.x0();
                    int so = srow + s.box().x0();
                    for (int i = 0; i < vb.width(); i++) {
                        a[vo + i] -= c * sp[so + i];
                    }
                } else {
                    int vo = vrow + vb.x0();
                    int so = srow + s.box().maxX();
                    for (int i = 0; i < vb.width(); i++) {
                        a[vo + i] -= c * sp[so - i];
                    }
                }
            }
            applied.add(t.sourceDetector());
        }
        return new List[] {List.copyOf(applied), List.copyOf(missing)};
    }

    static void linearize(ImageF image, AmplifierGeometry g, Linearizer lin) {
        float[] a = image.array();
        int w = image.width();
        for (Amplifier amp : g.amplifiers()) {
            Linearizer.Params p = lin.byAmp().get(amp.name());
            if (p == null) {
                throw new IllegalArgumentException("the linearizer has no amplifier " + amp.name() + " (it has "
                        + lin.byAmp().keySet() + ")");
            }
            double gain = amp.gain();
            PixelBox b = amp.assembledBox();
            // (float) (p.linear(a[k] / gain) * gain), bit for bit, mostly from a table
            LinearizerTable table = gain > 0 ? LinearizerTable.of(p) : null;
            for (int y = b.y0(); y <= b.maxY(); y++) {
                for (int x = b.x0(); x <= b.maxX(); x++) {
                    int k = y * w + x;
                    double m = a[k] / gain;
                    a[k] = table != null ? table.electrons(m, gain) : (float) (p.linear(m) * gain);
                }
            }
        }
    }

    /**
     * Bleed trails: charge beyond full well runs along the column, so pixels in a column run that reaches a SAT pixel
     * and stay above {@code fraction} x the amplifier's saturation (in electrons) are saturated too.
     */
    static int growBleedTrails(MaskedImage e, AmplifierGeometry g, double fraction) {
        int w = e.width();
        float[] img = e.image().array();
        int[] mask = e.mask().array();
        int sat = MaskPlane.SAT.bitmask();
        int added = 0;
        for (Amplifier a : g.amplifiers()) {
            PixelBox b = a.assembledBox();
            double level = fraction * a.saturation() * a.gain();
            // seeds in row order (the set grown is the same whatever the order: every pixel joined to a SAT pixel
            // of its column by pixels above the level), so the scan runs along memory
            for (int y = b.y0(); y <= b.maxY(); y++) {
                for (int x = b.x0(); x <= b.maxX(); x++) {
                    if ((mask[y * w + x] & sat) == 0) {
                        continue;
                    }
                    for (int dir = -1; dir <= 1; dir += 2) {
                        for (int yy = y + dir; yy >= b.y0() && yy <= b.maxY(); yy += dir) {
                            int k = yy * w + x;
                            if ((mask[k] & sat) != 0 || !(img[k] >= level)) {
                                break;
                            }
                            mask[k] |= sat;
                            added++;
                        }
                    }
                }
            }
        }
        return added;
    }
}
