package org.lovoccs.simulator;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.IntStream;

import nom.tam.fits.Header;
import nom.tam.util.FitsOutputStream;
import org.lovoccs.imaging.FitsSection;
import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.PixelBox;
import org.lovoccs.imaging.fits.FitsHeaders;
import org.lovoccs.imaging.fits.FitsImageIO;
import org.lovoccs.imaging.wcs.Sexagesimal;
import org.lovoccs.imaging.wcs.TanWcs;
import org.lovoccs.simulator.instrument.BiasModel;
import org.lovoccs.simulator.random.PoissonSampler;
import org.lovoccs.simulator.random.RandomStreams;
import org.lovoccs.simulator.sky.PointSourceRenderer;
import org.lovoccs.simulator.sky.Psf;
import org.lovoccs.simulator.sky.StarFieldGenerator;
import org.lovoccs.simulator.sky.StarTruth;

/**
 * Simulates DECam raw exposures with known truth, deterministically from {@link ExposureSpec#seed()}.
 *
 * <p>Per CCD: the expected charge (sky + PSF-convolved stars, e-) is drawn in the assembled 2048x4096 grid; each
 * pixel's charge is a Poisson deviate of it; each amplifier adds its bias level (smooth in row, see
 * {@link BiasModel}) and Gaussian read noise, divides by its gain, rounds to integer ADU and clips at
 * {@code min(SATURATn, 65535)} and 0. Overscan, prescan and post-scan pixels carry bias and read noise only. Every
 * CCD's randomness derives from (seed, CCDNUM), so a CCD simulated alone equals the same CCD inside a full exposure;
 * rows are simulated in parallel without affecting the result.
 *
 * <p>The file written is uncompressed multi-extension FITS: an empty primary HDU with the exposure keywords, then one
 * IMAGE HDU per CCD (BITPIX = 16, BZERO = 32768, EXTNAME = DETPOS) with geometry, gains, a TAN WCS and copies of
 * FILTER, EXPNUM, DATE-OBS, MJD-OBS, EXPTIME, OBJECT and INSTRUME. CCDs are simulated and written one at a time.
 */
public final class RawExposureSimulator {

    private static final long STREAM_STARS = 1;
    private static final long STREAM_BIAS = 2;
    private static final long STREAM_ROWS = 3;
    private static final String DETSIZE = "[1:29400,1:29050]";
    private static final DateTimeFormatter DATE_OBS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    private final DecamCamera camera;
    private final RawLayout layout;
    private final boolean parallel;

    /** DECam's camera tables and archive raw layout, rows simulated in parallel. */
    public RawExposureSimulator() {
        this(DecamCamera.standard(), RawLayout.decam(), true);
    }

    /**
     * @param camera   CCD positions and amplifier characteristics
     * @param layout   raw HDU layout; its amplifier names must exist in the camera's CCDs
     * @param parallel simulate rows on the common fork-join pool (the output does not depend on it)
     */
    public RawExposureSimulator(DecamCamera camera, RawLayout layout, boolean parallel) {
        this.camera = camera;
        this.layout = layout;
        this.parallel = parallel;
    }

    public DecamCamera camera() {
        return camera;
    }

    public RawLayout layout() {
        return layout;
    }

    /**
     * Simulates one CCD of the exposure.
     *
     * @throws IllegalArgumentException if {@code ccdNum} is not a science CCD, or the pointing is below the horizon
     */
    public SimulatedCcd simulateCcd(ExposureSpec spec, int ccdNum) {
        DecamCcd ccd = camera.ccd(ccdNum);
        double airmass = CtioSite.airmass(spec.raDeg(), spec.decDeg(), spec.dateObs());
        int width = layout.assembledWidth();
        int height = layout.assembledHeight();
        PixelBox trim = layout.trim().box();
        TanWcs wcs = assembledWcs(spec, ccd);
        Psf psf = spec.psfProfile().create(spec.seeingFwhmPixels());

        List<StarTruth> stars = StarFieldGenerator.generate(RandomStreams.stream(spec.seed(), ccdNum, STREAM_STARS),
                spec.starsPerCcd(), width, height, spec.band(), spec.exptimeSeconds(), wcs);
        ImageF expected = new ImageF(width, height);
        expected.fill((float) spec.skyElectrons());
        for (StarTruth s : stars) {
            PointSourceRenderer.add(expected, psf, s.x(), s.y(), s.fluxElectrons());
        }

        List<AmpTruth> amps = new ArrayList<>();
        for (AmpLayout al : layout.amplifiers()) {
            AmpCharacteristics ac = ccd.amplifier(al.name());
            double[] bias = BiasModel.draw(RandomStreams.stream(spec.seed(), ccdNum, STREAM_BIAS, al.name().charAt(0)),
                    layout.height());
            amps.add(new AmpTruth(al.name(), al.data().box().shift(-trim.x0(), -trim.y0()), bias, ac.gain(),
                    ac.readNoise(), ac.saturationAdu()));
        }

        ImageF noisy = new ImageF(width, height);
        short[] raw = new short[layout.width() * layout.height()];
        readOut(spec.seed(), ccdNum, expected, noisy, amps, raw);

        CcdTruth truth = new CcdTruth(ccdNum, ccd.name(), expected, noisy, spec.skyElectrons(), psf, stars, amps, wcs);
        Header header = extensionHeader(spec, ccd, amps, wcs.shiftedOrigin(-trim.x0(), -trim.y0()), airmass);
        return new SimulatedCcd(header, layout.width(), layout.height(), raw, truth);
    }

    private void readOut(long seed, int ccdNum, ImageF expected, ImageF noisy, List<AmpTruth> amps, short[] raw) {
        int rawWidth = layout.width();
        int width = expected.width();
        PixelBox trim = layout.trim().box();
        int[] columnAmp = new int[rawWidth];
        PixelBox[] dataBoxes = new PixelBox[amps.size()];
        for (int k = 0; k < amps.size(); k++) {
            AmpLayout al = layout.amplifiers().get(k);
            dataBoxes[k] = al.data().box();
            for (FitsSection s : new FitsSection[] {al.data(), al.bias(), al.prescan()}) {
                for (int x = s.box().x0(); x <= s.box().maxX(); x++) {
                    columnAmp[x] = k;
                }
            }
        }
        double[][] bias = new double[amps.size()][];
        double[] gain = new double[amps.size()];
        double[] readNoise = new double[amps.size()];
        double[] clip = new double[amps.size()];
        for (int k = 0; k < amps.size(); k++) {
            bias[k] = amps.get(k).biasAdu();
            gain[k] = amps.get(k).gain();
            readNoise[k] = amps.get(k).readNoise();
            clip[k] = Math.min(amps.get(k).saturationAdu(), 65535.0);
        }
        float[] exp = expected.array();
        float[] out = noisy.array();
        IntStream rows = IntStream.range(0, layout.height());
        (parallel ? rows.parallel() : rows).forEach(r -> {
            SplittableRandom rng = RandomStreams.stream(seed, ccdNum, STREAM_ROWS, r);
            PoissonSampler poisson = new PoissonSampler();
            int base = r * rawWidth;
            for (int c = 0; c < rawWidth; c++) {
                int k = columnAmp[c];
                double level = bias[k][r];
                double adu;
                if (dataBoxes[k].contains(c, r)) {
                    int idx = (r - trim.y0()) * width + (c - trim.x0());
                    long electrons = poisson.sample(rng, exp[idx]);
                    out[idx] = electrons;
                    adu = level + (electrons + readNoise[k] * rng.nextGaussian()) / gain[k];
                } else {
                    adu = level + readNoise[k] / gain[k] * rng.nextGaussian();
                }
                double q = Math.floor(adu + 0.5);
                raw[base + c] = (short) (int) Math.max(0.0, Math.min(clip[k], q));
            }
        });
    }

    /** WCS of the assembled pixel grid: TAN at the pointing, CRPIX from the CCD's focal-plane position. */
    private TanWcs assembledWcs(ExposureSpec spec, DecamCcd ccd) {
        double scale = DecamCamera.PIXEL_SCALE_ARCSEC / 3600.0;
        double crpix1 = -ccd.xMinMm() / DecamCamera.PIXEL_SIZE_MM + 0.5;
        double crpix2 = -ccd.yMinMm() / DecamCamera.PIXEL_SIZE_MM + 0.5;
        return new TanWcs(spec.raDeg(), spec.decDeg(), crpix1, crpix2, 0.0, scale, scale, 0.0);
    }

    private Header extensionHeader(ExposureSpec spec, DecamCcd ccd, List<AmpTruth> amps, TanWcs rawWcs,
                                   double airmass) {
        Header h = FitsHeaders.imageExtension(16, layout.width(), layout.height());
        FitsHeaders.add(h, "BZERO", 32768, "unsigned 16-bit data");
        FitsHeaders.add(h, "BSCALE", 1, "");
        FitsHeaders.add(h, "EXTNAME", ccd.name(), "extension name = DETPOS");
        FitsHeaders.add(h, "CCDNUM", ccd.number(), "CCD number");
        FitsHeaders.add(h, "DETPOS", ccd.name(), "detector position");
        FitsHeaders.add(h, "INSTRUME", "DECam", "instrument");
        FitsHeaders.add(h, "OBJECT", spec.clusterName(), "target");
        FitsHeaders.add(h, "FILTER", spec.band().physicalFilter(), "filter");
        FitsHeaders.add(h, "EXPNUM", spec.expnum(), "exposure number");
        FitsHeaders.add(h, "DATE-OBS", DATE_OBS.format(spec.dateObs()), "start of exposure, UTC");
        FitsHeaders.add(h, "MJD-OBS", CtioSite.modifiedJulianDate(spec.dateObs()), "MJD of start of exposure");
        FitsHeaders.add(h, "EXPTIME", spec.exptimeSeconds(), "[s] exposure time");
        FitsHeaders.add(h, "AIRMASS", round(airmass, 4), "airmass at start of exposure");
        FitsHeaders.add(h, "DETSIZE", DETSIZE, "mosaic detector size");
        FitsHeaders.add(h, "DATASEC", layout.trim().toFitsString(), "data section");
        FitsHeaders.add(h, "TRIMSEC", layout.trim().toFitsString(), "trim section");
        List<AmpLayout> byName = new ArrayList<>(layout.amplifiers());
        byName.sort(Comparator.comparing(AmpLayout::name));
        Function<AmpLayout, AmpTruth> truth = al -> amps.get(layout.amplifiers().indexOf(al));
        addPerAmp(h, byName, "GAIN", al -> truth.apply(al).gain(), "[e-/ADU] gain");
        addPerAmp(h, byName, "RDNOISE", al -> truth.apply(al).readNoise(), "[e-] read noise");
        addPerAmp(h, byName, "SATURAT", al -> truth.apply(al).saturationAdu(), "[ADU] saturation");
        addPerAmp(h, byName, "DATASEC", al -> al.data().toFitsString(), "data section");
        addPerAmp(h, byName, "TRIMSEC", al -> al.data().toFitsString(), "trim section");
        addPerAmp(h, byName, "BIASSEC", al -> al.bias().toFitsString(), "overscan section");
        addPerAmp(h, byName, "PRESEC", al -> al.prescan().toFitsString(), "prescan section");
        addPerAmp(h, byName, "AMPSEC", al -> al.ampSection().toFitsString(), "amplifier section");
        rawWcs.addTo(h);
        return h;
    }

    private static void addPerAmp(Header h, List<AmpLayout> amps, String prefix, Function<AmpLayout, Object> value,
                                  String comment) {
        for (AmpLayout al : amps) {
            Object v = value.apply(al);
            String key = prefix + al.name();
            String c = comment + ", amp " + al.name();
            if (v instanceof Number num) {
                FitsHeaders.add(h, key, num, c);
            } else {
                FitsHeaders.add(h, key, String.valueOf(v), c);
            }
        }
    }

    /**
     * The primary header of the exposure file.
     *
     * @param extensions number of CCD HDUs that follow (NEXTEND)
     * @throws IllegalArgumentException if the pointing is below the horizon at DATE-OBS
     */
    public Header primaryHeader(ExposureSpec spec, int extensions) {
        double airmass = CtioSite.airmass(spec.raDeg(), spec.decDeg(), spec.dateObs());
        Header h = FitsHeaders.primary();
        FitsHeaders.add(h, "NEXTEND", extensions, "number of extensions");
        FitsHeaders.add(h, "PROCTYPE", "raw", "data processing level");
        FitsHeaders.add(h, "PRODTYPE", "image", "data product type");
        FitsHeaders.add(h, "OBSTYPE", "object", "observation type");
        FitsHeaders.add(h, "INSTRUME", "DECam", "instrument");
        FitsHeaders.add(h, "TELESCOP", "CTIO 4.0-m telescope", "telescope");
        FitsHeaders.add(h, "OBSERVAT", "CTIO", "observatory");
        FitsHeaders.add(h, "OBS-LAT", CtioSite.LATITUDE_DEG, "[deg] observatory latitude");
        FitsHeaders.add(h, "OBS-LONG", CtioSite.LONGITUDE_DEG, "[deg] observatory east longitude");
        FitsHeaders.add(h, "EXPNUM", spec.expnum(), "exposure number");
        FitsHeaders.add(h, "DATE-OBS", DATE_OBS.format(spec.dateObs()), "start of exposure, UTC");
        FitsHeaders.add(h, "MJD-OBS", CtioSite.modifiedJulianDate(spec.dateObs()), "MJD of start of exposure");
        FitsHeaders.add(h, "EXPTIME", spec.exptimeSeconds(), "[s] exposure time");
        FitsHeaders.add(h, "FILTER", spec.band().physicalFilter(), "filter");
        FitsHeaders.add(h, "OBJECT", spec.clusterName(), "target");
        FitsHeaders.add(h, "RA", Sexagesimal.formatRa(spec.raDeg()), "[HH:MM:SS] pointing RA");
        FitsHeaders.add(h, "DEC", Sexagesimal.formatDec(spec.decDeg()), "[DD:MM:SS] pointing Dec");
        FitsHeaders.add(h, "TELRA", Sexagesimal.formatRa(spec.raDeg()), "[HH:MM:SS] telescope RA");
        FitsHeaders.add(h, "TELDEC", Sexagesimal.formatDec(spec.decDeg()), "[DD:MM:SS] telescope Dec");
        FitsHeaders.add(h, "TELEQUIN", 2000.0, "equinox of TELRA/TELDEC");
        FitsHeaders.add(h, "AIRMASS", round(airmass, 4), "airmass at start of exposure");
        FitsHeaders.add(h, "DETSIZE", DETSIZE, "mosaic detector size");
        FitsHeaders.add(h, "SIMULATD", true, "simulated by LoVoCCS RawExposureSimulator");
        FitsHeaders.add(h, "SIMSEED", spec.seed(), "simulation seed");
        FitsHeaders.add(h, "SIMFWHM", spec.seeingFwhmArcsec(), "[arcsec] simulated PSF FWHM");
        FitsHeaders.add(h, "SIMSKY", spec.skyElectrons(), "[e-/pixel] simulated sky level");
        return h;
    }

    /**
     * Simulates the listed CCDs and writes the exposure to {@code out} (not closed), one CCD at a time.
     *
     * @param ccdNums CCD numbers in the order of the extensions; duplicates are refused
     * @throws IllegalArgumentException if a CCD number is invalid or repeated, or the pointing is below the horizon
     */
    public RawExposureSummary write(ExposureSpec spec, List<Integer> ccdNums, OutputStream out) throws IOException {
        if (new LinkedHashSet<>(ccdNums).size() != ccdNums.size()) {
            throw new IllegalArgumentException("CCD numbers repeated in " + ccdNums);
        }
        ccdNums.forEach(camera::ccd);
        CountingOutputStream counter = new CountingOutputStream(out);
        FitsOutputStream fits = new FitsOutputStream(counter);
        FitsImageIO.writeHeader(fits, primaryHeader(spec, ccdNums.size()));
        fits.flush();
        List<RawExposureSummary.WrittenCcd> written = new ArrayList<>();
        int hdu = 1;
        for (int n : ccdNums) {
            SimulatedCcd ccd = simulateCcd(spec, n);
            long start = counter.count;
            ccd.writeHdu(fits);
            fits.flush();
            written.add(new RawExposureSummary.WrittenCcd(n, ccd.detpos(), hdu++, start, counter.count - start,
                    ccd.truth().stars()));
        }
        return new RawExposureSummary(spec, written, counter.count);
    }

    /** As {@link #write(ExposureSpec, List, OutputStream)}, to a file (replaced if it exists). */
    public RawExposureSummary write(ExposureSpec spec, List<Integer> ccdNums, Path path) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 20)) {
            return write(spec, ccdNums, out);
        }
    }

    /** The exposure file as bytes (about 18 MB per CCD). */
    public byte[] toBytes(ExposureSpec spec, List<Integer> ccdNums) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(ccdNums.size() * 17_925_120 + 2880);
        write(spec, ccdNums, bos);
        return bos.toByteArray();
    }

    /**
     * As {@link #write(ExposureSpec, List, OutputStream)}, with the CCD HDUs stored as {@code encoding} says
     * ({@link RawEncoding#RICE}: fpack-style Rice tile compression, as the NOIRLab archive serves raws).
     */
    public RawExposureSummary write(ExposureSpec spec, List<Integer> ccdNums, OutputStream out, RawEncoding encoding)
            throws IOException {
        return new EncodedRawWriter(this, encoding).write(spec, ccdNums, out);
    }

    /** As {@link #write(ExposureSpec, List, OutputStream, RawEncoding)}, to a file (replaced if it exists). */
    public RawExposureSummary write(ExposureSpec spec, List<Integer> ccdNums, Path path, RawEncoding encoding)
            throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 20)) {
            return new EncodedRawWriter(this, encoding).write(spec, ccdNums, out);
        }
    }

    private static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }

    private static final class CountingOutputStream extends FilterOutputStream {
        private long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
