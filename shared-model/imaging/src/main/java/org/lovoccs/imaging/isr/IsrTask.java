package org.lovoccs.imaging.isr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import nom.tam.fits.Header;
import nom.tam.fits.HeaderCard;
import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.MaskPlane;
import org.lovoccs.imaging.MaskedImage;
import org.lovoccs.imaging.PixelBox;
import org.lovoccs.imaging.fits.FitsHeaders;
import org.lovoccs.imaging.raw.Amplifier;
import org.lovoccs.imaging.raw.AmplifierGeometry;
import org.lovoccs.imaging.raw.RawCcd;

/**
 * Instrument signature removal for one raw CCD: a pure function of the raw HDU and the configuration (no I/O).
 *
 * <p>For each amplifier found by {@link AmplifierGeometry#fromHeader}, in this order:
 * <ol>
 *   <li><b>overscan</b>: for every data row, the level of the same raw row of BIASSEC (minus
 *       {@link IsrConfig#overscanSkipColumns()} columns next to the data) is estimated with
 *       {@link IsrConfig#overscanStatistic()} and subtracted;</li>
 *   <li><b>gain</b>: ADU are converted to electrons with GAIN<i>n</i> (e-/ADU);</li>
 *   <li><b>assemble</b>: the data sections are trimmed and placed in the assembled CCD at their DATASEC<i>n</i>
 *       position relative to TRIMSEC (DECam: B at x 0..1023, A at x 1024..2047, y 0..4095), without flipping;</li>
 *   <li><b>variance</b>: {@code var = max(image, 0) + RDNOISEn^2} in e-^2 (Poisson variance of the signal estimated
 *       from the image itself, plus read noise; the ADU quantisation noise of gain^2/12 is not included);</li>
 *   <li><b>saturation</b>: SAT is set where the raw ADU is {@code >= SATURATn}; those pixels keep their value.</li>
 * </ol>
 * Output pixels follow the {@link ImageF} conventions (0-based, x = column). Without assembly the output has the raw
 * HDU's size and pixels outside every DATASEC are NaN with NO_DATA set.
 */
public final class IsrTask {

    private static final Pattern WCS_KEY = Pattern.compile(
            "^(WCSAXES|CTYPE[12]|CUNIT[12]|CRVAL[12]|CRPIX[12]|CD[12]_[12]|PC[12]_[12]|CDELT[12]|CROTA[12]"
                    + "|PV[12]_\\d+|RADESYS|RADECSYS|EQUINOX|LONPOLE|LATPOLE)$");
    private static final String[] COPIED_KEYS = {"INSTRUME", "TELESCOP", "OBSTYPE", "OBJECT", "EXPNUM", "CCDNUM",
            "DETPOS", "FILTER", "DATE-OBS", "MJD-OBS", "EXPTIME", "AIRMASS", "RA", "DEC"};

    private IsrTask() {
    }

    /**
     * Runs ISR.
     *
     * @throws org.lovoccs.imaging.raw.RawFormatException if the header's amplifier geometry is missing or invalid
     */
    public static IsrResult run(RawCcd raw, IsrConfig config) {
        AmplifierGeometry geometry = AmplifierGeometry.fromHeader(raw.header());
        boolean assemble = config.doAssemble();
        int width = assemble ? geometry.assembledWidth() : raw.width();
        int height = assemble ? geometry.assembledHeight() : raw.height();
        MaskedImage out = MaskedImage.allocate(width, height);
        if (!assemble) {
            out.image().fill(Float.NaN);
            Arrays.fill(out.mask().array(), MaskPlane.NO_DATA.bitmask());
        }
        if (!assemble || !config.doVariance()) {
            out.variance().fill(Float.NaN);
        }

        List<AmpIsrStats> stats = new ArrayList<>();
        for (Amplifier amp : geometry.amplifiers()) {
            OverscanEstimator.Fit fit = config.doOverscan()
                    ? OverscanEstimator.estimate(raw.pixels(), raw.width(), amp, config, geometry.hduName())
                    : null;
            PixelBox target = assemble ? amp.assembledBox() : amp.dataBox();
            long saturated = calibrate(raw, amp, fit == null ? null : fit.levels(), target, out, config);
            stats.add(new AmpIsrStats(amp.name(), fit == null ? Double.NaN : fit.meanLevel(),
                    fit == null ? Double.NaN : fit.noise(), amp.gain(), amp.readNoise(), amp.saturation(), saturated));
        }

        List<String> steps = new ArrayList<>();
        if (config.doOverscan()) {
            steps.add(IsrSteps.OVERSCAN);
        }
        steps.add(IsrSteps.GAIN);
        if (assemble) {
            steps.add(IsrSteps.ASSEMBLE);
        }
        if (config.doVariance()) {
            steps.add(IsrSteps.VARIANCE);
        }
        if (config.doSaturation()) {
            steps.add(IsrSteps.SATURATION);
        }
        PixelBox origin = assemble ? geometry.trimBox() : PixelBox.ofSize(raw.width(), raw.height());
        return new IsrResult(out, metadata(raw, config, stats, steps), wcs(raw.header(), origin), stats, steps);
    }

    private static long calibrate(RawCcd raw, Amplifier amp, double[] levels, PixelBox target, MaskedImage out,
                                  IsrConfig config) {
        PixelBox d = amp.dataBox();
        int rawWidth = raw.width();
        int[] pix = raw.pixels();
        ImageF image = out.image();
        ImageF variance = out.variance();
        float[] img = image.array();
        float[] var = variance.array();
        int[] mask = out.mask().array();
        int maskWidth = out.mask().width();
        double gain = amp.gain();
        double rn2 = amp.readNoise() * amp.readNoise();
        double saturation = config.doSaturation() ? amp.saturation() : Double.POSITIVE_INFINITY;
        int satBit = MaskPlane.SAT.bitmask();
        boolean doVariance = config.doVariance();
        long saturated = 0;
        for (int j = 0; j < d.height(); j++) {
            double level = levels == null ? 0.0 : levels[j];
            int rawBase = (d.y0() + j) * rawWidth + d.x0();
            int outY = target.y0() + j;
            int imgBase = image.index(target.x0(), outY);
            int varBase = variance.index(target.x0(), outY);
            int maskBase = outY * maskWidth + target.x0();
            for (int i = 0; i < d.width(); i++) {
                int adu = pix[rawBase + i];
                float e = (float) ((adu - level) * gain);
                img[imgBase + i] = e;
                if (doVariance) {
                    var[varBase + i] = (float) (Math.max(e, 0.0) + rn2);
                }
                if (adu >= saturation) {
                    mask[maskBase + i] = satBit;
                    saturated++;
                } else {
                    mask[maskBase + i] = 0;
                }
            }
        }
        return saturated;
    }

    private static Header metadata(RawCcd raw, IsrConfig config, List<AmpIsrStats> stats, List<String> steps) {
        Header h = new Header();
        for (String key : COPIED_KEYS) {
            HeaderCard card = raw.findCard(key);
            if (card != null) {
                FitsHeaders.put(h, card.copy());
            }
        }
        FitsHeaders.add(h, "BUNIT", "electron", "image unit; variance in electron2");
        FitsHeaders.add(h, "ISRSTEPS", String.join(",", steps), "ISR steps applied");
        FitsHeaders.add(h, "ISROSCAN", config.doOverscan(), "per-row overscan level subtracted");
        if (config.doOverscan()) {
            FitsHeaders.add(h, "ISROSSTA", config.overscanStatistic().name(), "per-row overscan statistic");
            FitsHeaders.add(h, "ISROSSKP", config.overscanSkipColumns(), "overscan columns skipped next to data");
        }
        FitsHeaders.add(h, "ISRGAIN", true, "ADU converted to electrons with GAINn");
        FitsHeaders.add(h, "ISRASSEM", config.doAssemble(), "amplifiers trimmed and assembled");
        FitsHeaders.add(h, "ISRVAR", config.doVariance(), "variance = max(image,0) + RDNOISEn^2 [e-^2]");
        FitsHeaders.add(h, "ISRSAT", config.doSaturation(), "SAT mask where raw ADU >= SATURATn");
        for (AmpIsrStats a : stats) {
            String n = a.name();
            FitsHeaders.add(h, "GAIN" + n, a.gain(), "[e-/ADU] gain applied, amp " + n);
            FitsHeaders.add(h, "RDNOISE" + n, a.readNoise(), "[e-] read noise used, amp " + n);
            FitsHeaders.add(h, "SATURAT" + n, a.saturation(), "[ADU] saturation threshold, amp " + n);
            if (config.doOverscan()) {
                FitsHeaders.add(h, "OSLEV" + n, a.overscanMeanAdu(), "[ADU] mean overscan level, amp " + n);
                FitsHeaders.add(h, "OSNOISE" + n, a.overscanNoiseAdu(), "[ADU] overscan noise, amp " + n);
            }
            FitsHeaders.add(h, "NSAT" + n, a.saturatedPixels(), "saturated data pixels, amp " + n);
        }
        FitsHeaders.history(h, "ISR: " + String.join(", ", steps));
        return h;
    }

    private static Header wcs(Header rawHeader, PixelBox origin) {
        Header w = new Header();
        for (String key : FitsHeaders.keys(rawHeader)) {
            if (WCS_KEY.matcher(key).matches()) {
                FitsHeaders.put(w, rawHeader.getCard(key).copy());
            }
        }
        if (w.containsKey("CRPIX1")) {
            FitsHeaders.add(w, "CRPIX1", w.getDoubleValue("CRPIX1") - origin.x0(), "reference pixel, axis 1 (1-based)");
        }
        if (w.containsKey("CRPIX2")) {
            FitsHeaders.add(w, "CRPIX2", w.getDoubleValue("CRPIX2") - origin.y0(), "reference pixel, axis 2 (1-based)");
        }
        return w;
    }
}
