package org.lovoccs.simulator;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;

import nom.tam.fits.Header;
import org.lovoccs.imaging.FitsSection;
import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.PixelBox;
import org.lovoccs.imaging.fits.FitsHeaders;
import org.lovoccs.imaging.wcs.Sexagesimal;
import org.lovoccs.imaging.wcs.TanWcs;
import org.lovoccs.simulator.instrument.BiasModel;
import org.lovoccs.simulator.campaign.PlannedExposure;
import org.lovoccs.simulator.instrument.BleedTrails;
import org.lovoccs.simulator.instrument.BrighterFatter;
import org.lovoccs.simulator.instrument.CosmicRays;
import org.lovoccs.simulator.instrument.Defects;
import org.lovoccs.simulator.instrument.InstrumentModel;
import org.lovoccs.simulator.instrument.CrosstalkTable;
import org.lovoccs.simulator.instrument.CrosstalkTerm;
import org.lovoccs.simulator.instrument.InterCcdCrosstalk;
import org.lovoccs.simulator.instrument.IntraCcdCrosstalk;
import org.lovoccs.simulator.instrument.SatelliteTrail;
import org.lovoccs.simulator.sky.GalaxyOnCcd;
import org.lovoccs.simulator.sky.SceneRenderer;
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
 * rows are simulated in parallel without affecting the result. Campaign exposures (with the instrument on) also carry
 * the inter-CCD crosstalk between the CCDs simulated together ({@link #simulateCcds(ExposureScene, List, Consumer)},
 * which the writers use); a CCD simulated alone has none.
 *
 * <p>The file written is uncompressed multi-extension FITS: an empty primary HDU with the exposure keywords, then one
 * IMAGE HDU per CCD (BITPIX = 16, BZERO = 32768, EXTNAME = DETPOS) with geometry, gains, a TAN WCS and copies of
 * FILTER, EXPNUM, DATE-OBS, MJD-OBS, EXPTIME, OBJECT and INSTRUME. CCDs are simulated and written one at a time
 * (a campaign exposure's CCD may be simulated a little ahead when an earlier CCD needs it as crosstalk source).
 */
public final class RawExposureSimulator {

    private static final long STREAM_STARS = 1;
    private static final long STREAM_BIAS = 2;
    private static final long STREAM_ROWS = 3;
    private static final long STREAM_POISSON = 4;
    private static final String DETSIZE = "[1:29400,1:29050]";
    private static final DateTimeFormatter DATE_OBS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    private final DecamCamera camera;
    private final RawLayout layout;
    private final boolean parallel;
    private final BrighterFatter brighterFatter;

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
        this.brighterFatter = null;
    }

    private RawExposureSimulator(RawExposureSimulator base, BrighterFatter brighterFatter) {
        this.camera = base.camera;
        this.layout = base.layout;
        this.parallel = base.parallel;
        this.brighterFatter = brighterFatter;
    }

    /**
     * This simulator with {@code kernel} as every CCD's brighter-fatter effect instead of
     * {@link InstrumentModel#brighterFatter()} (the rest of the instrument signature unchanged); a kernel of strength 0
     * switches the effect off, which is what a null test of a kernel measurement needs.
     */
    public RawExposureSimulator withBrighterFatter(BrighterFatter kernel) {
        if (kernel == null) {
            throw new IllegalArgumentException("kernel is required (strength 0 switches brighter-fatter off)");
        }
        return new RawExposureSimulator(this, kernel);
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
        TanWcs wcs = assembledWcs(spec.raDeg(), spec.decDeg(), ccd);
        Psf psf = spec.psfProfile().create(spec.seeingFwhmPixels());

        List<StarTruth> stars = StarFieldGenerator.generate(RandomStreams.stream(spec.seed(), ccdNum, STREAM_STARS),
                spec.starsPerCcd(), width, height, spec.band(), spec.exptimeSeconds(), wcs);
        ImageF expected = new ImageF(width, height);
        expected.fill((float) spec.skyElectrons());
        for (StarTruth s : stars) {
            PointSourceRenderer.add(expected, psf, s.x(), s.y(), s.fluxElectrons());
        }
        List<AmpTruth> amps = amplifierTruth(spec.seed(), ccd);
        ImageF noisy = poisson(spec.seed(), ccdNum, expected);
        short[] raw = readOut(spec.seed(), ccdNum, toAdu(noisy, amps), amps);
        CcdTruth truth = new CcdTruth(ccdNum, ccd.name(), expected, noisy, spec.skyElectrons(), psf, stars, amps, wcs);
        Header header = extensionHeader(HeaderInfo.of(spec, airmass), ccd, amps,
                wcs.shiftedOrigin(-trim.x0(), -trim.y0()));
        return new SimulatedCcd(header, layout.width(), layout.height(), raw, truth);
    }

    /**
     * Simulates one CCD of a campaign exposure: the sky's stars and lensed galaxies drawn with the exposure's PSF
     * field through its true astrometry (science), a lamp-lit screen (dome flat) or nothing (zero), then the
     * instrument signature when it is on, in the order light meets it: fringes are added to the sky, the flat field
     * multiplies, Poisson noise, brighter-fatter redistributes the realised charge, defects, cosmic rays and bleed
     * trails at full well; then per amplifier: gain, non-linearity, crosstalk, 2-D bias structure, row-dependent bias
     * level, read noise, quantisation and saturation.
     *
     * <p>The CCD is simulated alone, so it receives no inter-CCD crosstalk (its source CCDs are not simulated); use
     * {@link #simulateCcds(ExposureScene, List, Consumer)} for CCDs of one exposure simulated together. Its bytes are
     * those the CCD has inside an exposure in which none of its crosstalk source CCDs is simulated.
     */
    public SimulatedCcd simulateCcd(ExposureScene scene, int ccdNum) {
        return finish(prepare(scene, ccdNum), List.of(), Map.of());
    }

    /**
     * Simulates CCDs of one campaign exposure together, handing them to {@code sink} in the order of
     * {@code ccdNums}, with the inter-CCD crosstalk between them (when the instrument is on): each victim amplifier
     * gains coefficient x the source CCD amplifier's signal in ADU above bias at the same readout position
     * ({@link InterCcdCrosstalk}, DECam's table), at the stage the intra-CCD terms use (after gain and
     * non-linearity, before bias structure, read noise and quantisation; the source's realised signal with its
     * saturated cores and bleed trails). A source CCD that is not in {@code ccdNums} contributes nothing.
     *
     * <p>Each CCD is simulated once. Memory stays bounded by the table's locality: a CCD is simulated ahead of its
     * turn only when an earlier CCD in the list needs it as a source (held until its turn), and a source's
     * pre-crosstalk signal (one float image, 32 MB for DECam) is kept only until every victim that needs it has been
     * handed out. DECam's sources are within 10 CCD numbers of their victims, so in CCD order a few CCDs are held at a
     * time. Every CCD's randomness still derives from (seed, CCDNUM) alone: a CCD whose source CCDs are not simulated
     * with it has the same bytes as from {@link #simulateCcd(ExposureScene, int)}, and the others differ from it by
     * the crosstalk only.
     *
     * @throws IllegalArgumentException if a CCD number is invalid or repeated
     */
    public void simulateCcds(ExposureScene scene, List<Integer> ccdNums, Consumer<SimulatedCcd> sink) {
        if (new LinkedHashSet<>(ccdNums).size() != ccdNums.size()) {
            throw new IllegalArgumentException("CCD numbers repeated in " + ccdNums);
        }
        ccdNums.forEach(camera::ccd);
        Set<Integer> simulated = new HashSet<>(ccdNums);
        Map<Integer, List<CrosstalkTerm>> termsOf = new HashMap<>();
        Map<Integer, Set<Integer>> victimsPending = new HashMap<>();
        for (int v : ccdNums) {
            List<CrosstalkTerm> terms = scene.instrumentEffects()
                    ? CrosstalkTable.decam().interCcd(v).stream().filter(t -> simulated.contains(t.sourceCcd()))
                    .toList() : List.of();
            termsOf.put(v, terms);
            for (CrosstalkTerm t : terms) {
                victimsPending.computeIfAbsent(t.sourceCcd(), k -> new HashSet<>()).add(v);
            }
        }
        Map<Integer, Stage> ahead = new HashMap<>();
        Map<Integer, ImageF> sourceSignals = new HashMap<>();
        Set<Integer> done = new HashSet<>();
        for (int v : ccdNums) {
            Set<Integer> sources = new TreeSet<>();
            termsOf.get(v).forEach(t -> sources.add(t.sourceCcd()));
            List<Integer> needed = new ArrayList<>();
            needed.add(v);
            needed.addAll(sources);
            for (int n : needed) {
                if (!ahead.containsKey(n) && !done.contains(n)) {
                    Stage st = prepare(scene, n);
                    ahead.put(n, st);
                    if (victimsPending.containsKey(n)) {
                        sourceSignals.put(n, st.adu);
                    }
                }
            }
            Stage st = ahead.remove(v);
            if (sourceSignals.get(v) == st.adu) {
                // finishing adds crosstalk to the signal in place; victims still to come need it as it was
                sourceSignals.put(v, st.adu.copy());
            }
            Map<Integer, ImageF> given = new HashMap<>();
            for (int s : sources) {
                given.put(s, sourceSignals.get(s));
            }
            SimulatedCcd out = finish(st, termsOf.get(v), given);
            done.add(v);
            for (int s : sources) {
                Set<Integer> pending = victimsPending.get(s);
                pending.remove(v);
                if (pending.isEmpty()) {
                    sourceSignals.remove(s);
                }
            }
            sink.accept(out);
        }
    }

    /** As {@link #simulateCcds(ExposureScene, List, Consumer)}, all CCDs returned (about 130 MB each with truth). */
    public List<SimulatedCcd> simulateCcds(ExposureScene scene, List<Integer> ccdNums) {
        List<SimulatedCcd> out = new ArrayList<>();
        simulateCcds(scene, ccdNums, out::add);
        return out;
    }

    /** A CCD simulated up to its crosstalk: the signal in ADU above bias after gain and non-linearity. */
    private static final class Stage {
        final ExposureScene scene;
        final int ccdNum;
        final DecamCcd ccd;
        final InstrumentModel instrument;
        final List<AmpTruth> amps;
        final ImageF adu;
        final CcdTruth truth;

        Stage(ExposureScene scene, int ccdNum, DecamCcd ccd, InstrumentModel instrument, List<AmpTruth> amps,
              ImageF adu, CcdTruth truth) {
            this.scene = scene;
            this.ccdNum = ccdNum;
            this.ccd = ccd;
            this.instrument = instrument;
            this.amps = amps;
            this.adu = adu;
            this.truth = truth;
        }
    }

    /**
     * Crosstalk (intra-CCD, then the inter-CCD {@code interTerms} from {@code sources}), bias structure, read-out.
     * Modifies the stage's signal.
     */
    private SimulatedCcd finish(Stage st, List<CrosstalkTerm> interTerms, Map<Integer, ImageF> sources) {
        ImageF adu = st.adu;
        CcdTruth truth = st.truth;
        if (st.scene.instrumentEffects()) {
            IntraCcdCrosstalk.apply(adu, st.instrument.amps(), st.instrument.intraCcdCrosstalk());
            List<CrosstalkTerm> applied = InterCcdCrosstalk.apply(adu, st.instrument.amps(), interTerms, sources);
            if (!applied.isEmpty()) {
                truth = truth.withEffects(truth.effects().withInterCcdCrosstalk(applied));
            }
            st.instrument.biasStructure().addTo(adu);
        }
        short[] raw = readOut(st.scene.exposure().seed(), st.ccdNum, adu, st.amps);
        PixelBox trim = layout.trim().box();
        Header header = extensionHeader(HeaderInfo.of(st.scene), st.ccd, st.amps,
                truth.wcs().shiftedOrigin(-trim.x0(), -trim.y0()));
        return new SimulatedCcd(header, layout.width(), layout.height(), raw, truth);
    }

    private Stage prepare(ExposureScene scene, int ccdNum) {
        PlannedExposure e = scene.exposure();
        DecamCcd ccd = camera.ccd(ccdNum);
        int width = layout.assembledWidth();
        int height = layout.assembledHeight();
        TanWcs wcs = assembledWcs(e.commandedRaDeg(), e.commandedDecDeg(), ccd);
        long seed = e.seed();
        boolean fx = scene.instrumentEffects();
        InstrumentModel instrument = new InstrumentModel(scene.instrumentSeed(), camera, ccdNum, layout);

        ImageF expected = new ImageF(width, height);
        List<StarTruth> stars = List.of();
        List<GalaxyOnCcd> galaxies = List.of();
        Psf centrePsf = null;
        SatelliteTrail satellite = null;
        switch (e.obsType()) {
            case SCIENCE -> {
                expected.fill((float) e.skyElectrons());
                SceneRenderer.Result drawn = SceneRenderer.render(expected, scene.sky(), e, ccd);
                stars = drawn.stars();
                galaxies = drawn.galaxies();
                centrePsf = e.psf().at(ccd, width / 2.0, height / 2.0);
                satellite = SatelliteTrail.draw(seed, e.satellite() ? 1.0 : 0.0).orElse(null);
                if (satellite != null) {
                    satellite.addTo(expected, ccd);
                }
            }
            case DOME_FLAT -> expected.fill((float) e.skyElectrons());
            case ZERO -> { }
        }

        ImageF collected = expected;
        CcdEffects effects = null;
        ImageF flat = null;
        if (fx && e.obsType() != ObsType.ZERO) {
            collected = expected.copy();
            if (e.fringeAmplitude() > 0) {
                addScaled(collected, instrument.fringePattern(), e.fringeAmplitude());
            }
            flat = instrument.flat(e.band());
            multiply(collected, flat);
        }
        List<AmpTruth> amps = amplifierTruth(seed, ccd);
        ImageF noisy = poisson(seed, ccdNum, collected);
        if (fx && e.obsType() != ObsType.ZERO) {
            // On the realised charge, not the expected one: the charge a pixel has collected so far, Poisson
            // fluctuations included, is what deflects the incoming charge (Antilogus et al. 2014). Applied to the
            // expectation, the redistribution is the same in both flats of a pair and cancels in their difference,
            // which would leave flat-pair covariances without the signal the kernel is measured from.
            (brighterFatter != null ? brighterFatter : instrument.brighterFatter()).apply(noisy);
        }
        if (fx) {
            Defects defects = instrument.defects();
            defects.applyTo(noisy, e.exptime());
            CosmicRays.Result rays = CosmicRays.addTo(noisy, seed, ccdNum, e.exptime());
            List<PixelBox> bleed = new ArrayList<>();
            for (AmpTruth a : amps) {
                bleed.addAll(BleedTrails.apply(noisy, a.assembledBox(), instrument.fullWellElectrons(a.name()))
                        .trails());
            }
            effects = new CcdEffects(flat, e.fringeAmplitude(), defects, rays, bleed, satellite);
        }
        ImageF adu = toAdu(noisy, amps);
        if (fx) {
            for (AmpTruth a : amps) {
                instrument.nonLinearity(a.name()).applyTo(adu, a.assembledBox());
            }
        }
        CcdTruth truth = new CcdTruth(ccdNum, ccd.name(), expected, noisy,
                e.obsType() == ObsType.SCIENCE ? e.skyElectrons() : 0.0, centrePsf, stars, amps, wcs, galaxies,
                e.astrometry(), e.psf(), effects);
        return new Stage(scene, ccdNum, ccd, instrument, amps, adu, truth);
    }

    private List<AmpTruth> amplifierTruth(long seed, DecamCcd ccd) {
        PixelBox trim = layout.trim().box();
        List<AmpTruth> amps = new ArrayList<>();
        for (AmpLayout al : layout.amplifiers()) {
            AmpCharacteristics ac = ccd.amplifier(al.name());
            double[] bias = BiasModel.draw(RandomStreams.stream(seed, ccd.number(), STREAM_BIAS, al.name().charAt(0)),
                    layout.height());
            amps.add(new AmpTruth(al.name(), al.data().box().shift(-trim.x0(), -trim.y0()), bias, ac.gain(),
                    ac.readNoise(), ac.saturationAdu()));
        }
        return amps;
    }

    /** A Poisson realisation of {@code expected}, rows drawn in parallel from per-row streams. */
    private ImageF poisson(long seed, int ccdNum, ImageF expected) {
        int width = expected.width();
        ImageF noisy = new ImageF(width, expected.height());
        float[] exp = expected.array();
        float[] out = noisy.array();
        IntStream rows = IntStream.range(0, expected.height());
        (parallel ? rows.parallel() : rows).forEach(r -> {
            SplittableRandom rng = RandomStreams.stream(seed, ccdNum, STREAM_POISSON, r);
            PoissonSampler poisson = new PoissonSampler();
            int base = r * width;
            for (int c = 0; c < width; c++) {
                out[base + c] = poisson.sample(rng, exp[base + c]);
            }
        });
        return noisy;
    }

    /** Electrons to ADU above bias, per amplifier. */
    private static ImageF toAdu(ImageF electrons, List<AmpTruth> amps) {
        ImageF adu = electrons.copy();
        float[] a = adu.array();
        int w = adu.width();
        for (AmpTruth amp : amps) {
            PixelBox b = amp.assembledBox();
            float inv = (float) (1.0 / amp.gain());
            for (int y = b.y0(); y <= b.maxY(); y++) {
                for (int x = b.x0(); x <= b.maxX(); x++) {
                    a[y * w + x] *= inv;
                }
            }
        }
        return adu;
    }

    private static void addScaled(ImageF target, ImageF pattern, double scale) {
        float[] t = target.array();
        float[] p = pattern.array();
        for (int i = 0; i < t.length; i++) {
            t[i] += (float) (scale * p[i]);
        }
    }

    private static void multiply(ImageF target, ImageF factor) {
        float[] t = target.array();
        float[] f = factor.array();
        for (int i = 0; i < t.length; i++) {
            t[i] *= f[i];
        }
    }

    /**
     * Reads the CCD out: each raw pixel is its amplifier's bias level for the row plus, in the data section, the
     * signal (ADU above bias), plus Gaussian read noise, rounded and clipped at 0 and {@code min(SATURAT, 65535)}.
     */
    private short[] readOut(long seed, int ccdNum, ImageF signalAdu, List<AmpTruth> amps) {
        int rawWidth = layout.width();
        int width = signalAdu.width();
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
        double[] readNoiseAdu = new double[amps.size()];
        double[] clip = new double[amps.size()];
        for (int k = 0; k < amps.size(); k++) {
            bias[k] = amps.get(k).biasAdu();
            readNoiseAdu[k] = amps.get(k).readNoiseAdu();
            clip[k] = Math.min(amps.get(k).saturationAdu(), 65535.0);
        }
        float[] sig = signalAdu.array();
        short[] raw = new short[rawWidth * layout.height()];
        IntStream rows = IntStream.range(0, layout.height());
        (parallel ? rows.parallel() : rows).forEach(r -> {
            SplittableRandom rng = RandomStreams.stream(seed, ccdNum, STREAM_ROWS, r);
            int base = r * rawWidth;
            for (int c = 0; c < rawWidth; c++) {
                int k = columnAmp[c];
                double adu = bias[k][r] + readNoiseAdu[k] * rng.nextGaussian();
                if (dataBoxes[k].contains(c, r)) {
                    adu += sig[(r - trim.y0()) * width + (c - trim.x0())];
                }
                double q = Math.floor(adu + 0.5);
                raw[base + c] = (short) (int) Math.max(0.0, Math.min(clip[k], q));
            }
        });
        return raw;
    }

    /** WCS of the assembled pixel grid: TAN at the pointing, CRPIX from the CCD's focal-plane position. */
    private TanWcs assembledWcs(double raDeg, double decDeg, DecamCcd ccd) {
        double scale = DecamCamera.PIXEL_SCALE_ARCSEC / 3600.0;
        double crpix1 = -ccd.xMinMm() / DecamCamera.PIXEL_SIZE_MM + 0.5;
        double crpix2 = -ccd.yMinMm() / DecamCamera.PIXEL_SIZE_MM + 0.5;
        return new TanWcs(raDeg, decDeg, crpix1, crpix2, 0.0, scale, scale, 0.0);
    }

    private Header extensionHeader(HeaderInfo spec, DecamCcd ccd, List<AmpTruth> amps, TanWcs rawWcs) {
        Header h = FitsHeaders.imageExtension(16, layout.width(), layout.height());
        FitsHeaders.add(h, "BZERO", 32768, "unsigned 16-bit data");
        FitsHeaders.add(h, "BSCALE", 1, "");
        FitsHeaders.add(h, "EXTNAME", ccd.name(), "extension name = DETPOS");
        FitsHeaders.add(h, "CCDNUM", ccd.number(), "CCD number");
        FitsHeaders.add(h, "DETPOS", ccd.name(), "detector position");
        FitsHeaders.add(h, "INSTRUME", "DECam", "instrument");
        FitsHeaders.add(h, "OBJECT", spec.object(), "target");
        FitsHeaders.add(h, "OBSTYPE", spec.obsType().headerValue(), "observation type");
        FitsHeaders.add(h, "FILTER", spec.band().physicalFilter(), "filter");
        FitsHeaders.add(h, "EXPNUM", spec.expnum(), "exposure number");
        FitsHeaders.add(h, "DATE-OBS", DATE_OBS.format(spec.dateObs()), "start of exposure, UTC");
        FitsHeaders.add(h, "MJD-OBS", CtioSite.modifiedJulianDate(spec.dateObs()), "MJD of start of exposure");
        FitsHeaders.add(h, "EXPTIME", spec.exptime(), "[s] exposure time");
        FitsHeaders.add(h, "AIRMASS", round(spec.airmass(), 4), "airmass at start of exposure");
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
        return primaryHeader(HeaderInfo.of(spec, airmass), extensions);
    }

    /** The primary header of a campaign exposure's file. */
    public Header primaryHeader(ExposureScene scene, int extensions) {
        return primaryHeader(HeaderInfo.of(scene), extensions);
    }

    private Header primaryHeader(HeaderInfo spec, int extensions) {
        Header h = FitsHeaders.primary();
        FitsHeaders.add(h, "NEXTEND", extensions, "number of extensions");
        FitsHeaders.add(h, "PROCTYPE", "raw", "data processing level");
        FitsHeaders.add(h, "PRODTYPE", "image", "data product type");
        FitsHeaders.add(h, "OBSTYPE", spec.obsType().headerValue(), "observation type");
        FitsHeaders.add(h, "INSTRUME", "DECam", "instrument");
        FitsHeaders.add(h, "TELESCOP", "CTIO 4.0-m telescope", "telescope");
        FitsHeaders.add(h, "OBSERVAT", "CTIO", "observatory");
        FitsHeaders.add(h, "OBS-LAT", CtioSite.LATITUDE_DEG, "[deg] observatory latitude");
        FitsHeaders.add(h, "OBS-LONG", CtioSite.LONGITUDE_DEG, "[deg] observatory east longitude");
        FitsHeaders.add(h, "EXPNUM", spec.expnum(), "exposure number");
        FitsHeaders.add(h, "DATE-OBS", DATE_OBS.format(spec.dateObs()), "start of exposure, UTC");
        FitsHeaders.add(h, "MJD-OBS", CtioSite.modifiedJulianDate(spec.dateObs()), "MJD of start of exposure");
        FitsHeaders.add(h, "EXPTIME", spec.exptime(), "[s] exposure time");
        FitsHeaders.add(h, "FILTER", spec.band().physicalFilter(), "filter");
        FitsHeaders.add(h, "OBJECT", spec.object(), "target");
        FitsHeaders.add(h, "RA", Sexagesimal.formatRa(spec.raDeg()), "[HH:MM:SS] pointing RA");
        FitsHeaders.add(h, "DEC", Sexagesimal.formatDec(spec.decDeg()), "[DD:MM:SS] pointing Dec");
        FitsHeaders.add(h, "TELRA", Sexagesimal.formatRa(spec.raDeg()), "[HH:MM:SS] telescope RA");
        FitsHeaders.add(h, "TELDEC", Sexagesimal.formatDec(spec.decDeg()), "[DD:MM:SS] telescope Dec");
        FitsHeaders.add(h, "TELEQUIN", 2000.0, "equinox of TELRA/TELDEC");
        FitsHeaders.add(h, "AIRMASS", round(spec.airmass(), 4), "airmass at start of exposure");
        FitsHeaders.add(h, "DETSIZE", DETSIZE, "mosaic detector size");
        FitsHeaders.add(h, "SIMULATD", true, "simulated by LoVoCCS RawExposureSimulator");
        FitsHeaders.add(h, "SIMSEED", spec.seed(), "simulation seed");
        if (!Double.isNaN(spec.seeingArcsec())) {
            FitsHeaders.add(h, "SIMFWHM", spec.seeingArcsec(), "[arcsec] simulated PSF FWHM");
        }
        if (!Double.isNaN(spec.skyElectrons())) {
            FitsHeaders.add(h, "SIMSKY", spec.skyElectrons(), "[e-/pixel] simulated sky level");
        }
        return h;
    }

    /**
     * Simulates the listed CCDs and writes the exposure to {@code out} (not closed), one CCD at a time.
     *
     * @param ccdNums CCD numbers in the order of the extensions; duplicates are refused
     * @throws IllegalArgumentException if a CCD number is invalid or repeated, or the pointing is below the horizon
     */
    public RawExposureSummary write(ExposureSpec spec, List<Integer> ccdNums, OutputStream out) throws IOException {
        return new EncodedRawWriter(this, RawEncoding.PLAIN).write(spec, ccdNums, out);
    }

    /** As {@link #write(ExposureSpec, List, OutputStream)}, to a file (replaced if it exists). */
    public RawExposureSummary write(ExposureSpec spec, List<Integer> ccdNums, Path path) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 20)) {
            return write(spec, ccdNums, out);
        }
    }

    /**
     * Simulates the listed CCDs of a campaign exposure and writes the file to {@code out} (not closed), one CCD at a
     * time, in {@code encoding}.
     */
    public WrittenExposure write(ExposureScene scene, List<Integer> ccdNums, OutputStream out, RawEncoding encoding)
            throws IOException {
        return write(scene, ccdNums, out, encoding, t -> { });
    }

    /** As above, handing each CCD's truth to {@code onCcd} before the next CCD is simulated. */
    public WrittenExposure write(ExposureScene scene, List<Integer> ccdNums, OutputStream out, RawEncoding encoding,
                                 Consumer<CcdTruth> onCcd) throws IOException {
        return new EncodedRawWriter(this, encoding).write(scene, ccdNums, out, onCcd);
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
}
