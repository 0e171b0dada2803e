package org.lovoccs.simulator.isr;

import org.lovoccs.simulator.cp.CpFixtures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.Band;
import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.MaskPlane;
import org.lovoccs.imaging.cp.CalibProduct;
import org.lovoccs.imaging.cp.MasterBias;
import org.lovoccs.imaging.cp.MasterFlat;
import org.lovoccs.imaging.isr.Crosstalk;
import org.lovoccs.imaging.isr.CrosstalkSource;
import org.lovoccs.imaging.isr.CuratedCalibrationReader;
import org.lovoccs.imaging.isr.FullIsr;
import org.lovoccs.imaging.isr.FullIsrConfig;
import org.lovoccs.imaging.isr.IsrConfig;
import org.lovoccs.imaging.raw.RawCcd;
import org.lovoccs.simulator.AmpTruth;
import org.lovoccs.simulator.CcdTruth;
import org.lovoccs.simulator.ExposureScene;
import org.lovoccs.simulator.ObsType;
import org.lovoccs.simulator.RawExposureSimulator;
import org.lovoccs.simulator.SimulatedCcd;
import org.lovoccs.simulator.campaign.CampaignPlanner;
import org.lovoccs.simulator.campaign.CampaignSpec;
import org.lovoccs.simulator.campaign.CampaignWriter;
import org.lovoccs.simulator.campaign.PlannedExposure;
import org.lovoccs.simulator.curated.CuratedCalibrations;
import org.lovoccs.simulator.instrument.CrosstalkTerm;
import org.lovoccs.simulator.instrument.InstrumentModel;
import org.lovoccs.simulator.instrument.ReadoutAmp;

/**
 * Inter-CCD crosstalk against the simulator's truth. CCDs S10 (21, the source) and S11 (22, the victim) of one r-band
 * science exposure are simulated together with the whole instrument signature; DECam's table has 22A from 21B at
 * 1.15e-4, 22A from 21A at 4.9e-5 and 22B from 21B at 5.6e-5 (22 has no other source). The victim's ISR gets its
 * master bias and flat from simulated zeros and dome flats by cp, crosstalk, linearizer and defects from the curated
 * files, the instrument model's brighter-fatter kernel (FullIsrTruthTest's set-up), every step on.
 *
 * <p>The ghost is what the simulator added, from the truth: coefficient x the source's signal in ADU (its collected
 * charge / gain through its non-linearity) at the same readout position, x the victim's gain, / the master flat.
 * Ghost pixels are the victim's unmasked pixels where it exceeds 5 e-: the readout positions of the source's bright
 * stars, saturated cores and bleed trails (a saturated source pixel leaves ~20 e-). At the ghost pixels the residual
 * is taken against the charge the victim collected (its photon noise drops out), over all pixels against the
 * expected sky and objects (FullIsrTruthTest's criterion). Criteria, set before measuring: (a) with the source given
 * (step0's overscanRaw, through its file) the mean residual over the ghost pixels is within 4 standard errors of 0
 * and below a tenth of the mean ghost, and the residual over all unmasked pixels stays under 0.1 e-;
 * (b) without it (XTALKMIS = 21) the mean residual over the ghost pixels equals the mean ghost within 4 standard
 * errors + 10%, and the ghost is at least 10 standard errors (the test can fail).
 */
class InterCcdCrosstalkTruthTest {

    static final int SOURCE = 21;
    static final int VICTIM = 22;
    static final long SEED = 73;
    static final double RA = 10.4583;
    static final double DEC = -9.3031;
    static final double GHOST_MIN = 5.0;
    static final RawExposureSimulator SIMULATOR = new RawExposureSimulator();
    static final int MASKED = MaskPlane.BAD.bitmask() | MaskPlane.SAT.bitmask() | MaskPlane.CR.bitmask()
            | MaskPlane.INTRP.bitmask() | MaskPlane.NO_DATA.bitmask();

    static SimulatedCcd source;
    static SimulatedCcd victim;
    static FullIsr.Calibrations calibs;
    static FullIsr.Result with;
    static FullIsr.Result without;
    static float[] ghost;
    static double flatNorm;
    static byte[] sourceFile;
    static ExposureScene scene;

    @BeforeAll
    static void simulateAndCalibrate() throws IOException {
        long t0 = System.nanoTime();
        CampaignSpec spec = CampaignSpec.preset(CampaignSpec.Scale.TEST, "XT", RA, DEC).seed(SEED)
                .ccds(List.of(SOURCE, VICTIM)).bands(List.of(Band.R)).nights(1).visitsPerBandPerNight(1)
                .zerosPerNight(8).flatsPerBandPerNight(5).fieldRadiusDeg(0.45).starsPerDeg2(12000).build();
        List<PlannedExposure> plan = CampaignPlanner.plan(spec);
        PlannedExposure exposure = plan.stream().filter(e -> e.obsType() == ObsType.SCIENCE).findFirst().orElseThrow();
        scene = new ExposureScene("XT", exposure, new CampaignWriter(spec).sky(), SEED, true);
        List<SimulatedCcd> ccds = SIMULATOR.simulateCcds(scene, List.of(SOURCE, VICTIM));
        source = ccds.get(0);
        victim = ccds.get(1);
        CalibProduct bias = MasterBias.build(raws(plan, ObsType.ZERO), MasterBias.Config.defaults());
        CalibProduct flat = MasterFlat.build(raws(plan, ObsType.DOME_FLAT), bias, MasterFlat.Config.defaults());
        Path dir = Files.createTempDirectory("curated");
        Map<String, byte[]> curated = new java.util.HashMap<>();
        for (CuratedCalibrations.Product p : CuratedCalibrations.decam(SEED).write(VICTIM, dir)) {
            curated.put(p.datasetType(), Files.readAllBytes(p.file()));
        }
        calibs = new FullIsr.Calibrations(bias, flat, null, CuratedCalibrationReader.crosstalk(curated.get("crosstalk")),
                CuratedCalibrationReader.linearizer(curated.get("linearizer")),
                CuratedCalibrationReader.defects(curated.get("defects")),
                InstrumentModel.of(SEED, VICTIM).brighterFatter().kernel());
        // step0: the source's overscan-corrected raw, through its file as the services pass it
        sourceFile = CrosstalkSource.fromRaw(source.toRawCcd(), IsrConfig.defaults().withAssemble(false)
                .withVariance(false)).toBytes();
        FullIsrConfig config = FullIsrConfig.defaults();
        RawCcd raw = victim.toRawCcd();
        long t1 = System.nanoTime();
        with = FullIsr.run(raw, config, calibs.withCrosstalkSources(Map.of(SOURCE, CrosstalkSource.read(sourceFile))));
        long t2 = System.nanoTime();
        without = FullIsr.run(raw, config, calibs);
        long t3 = System.nanoTime();
        System.out.printf(Locale.ROOT, "inter-CCD crosstalk test: simulated and calibrated in %.1f s; FullIsr %.2f s with"
                + " the source, %.2f s without%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9);
        float[] f = victim.truth().effects().flat().array().clone();
        java.util.Arrays.sort(f);
        flatNorm = f[f.length / 2];
        ghost = ghostElectrons(calibs.flat().image().image().array());
    }

    static Iterable<RawCcd> raws(List<PlannedExposure> plan, ObsType type) {
        return CpFixtures.raws(plan.stream().filter(e -> e.obsType() == type).toList(), SEED, VICTIM);
    }

    /**
     * The inter-CCD crosstalk in the victim as ISR's output has it (e-, divided by the master flat), from the truth:
     * the source's collected charge in ADU through its non-linearity, x coefficient, x the victim's gain.
     */
    static float[] ghostElectrons(float[] masterFlat) {
        CcdTruth s = source.truth();
        ImageF signal = s.noisyElectrons().copy();
        float[] a = signal.array();
        int w = signal.width();
        InstrumentModel sourceModel = InstrumentModel.of(SEED, SOURCE);
        for (AmpTruth amp : s.amplifiers()) {
            float inv = (float) (1.0 / amp.gain());
            for (int y = amp.assembledBox().y0(); y <= amp.assembledBox().maxY(); y++) {
                for (int x = amp.assembledBox().x0(); x <= amp.assembledBox().maxX(); x++) {
                    a[y * w + x] *= inv;
                }
            }
            sourceModel.nonLinearity(amp.name()).applyTo(signal, amp.assembledBox());
        }
        float[] ghost = new float[a.length];
        List<ReadoutAmp> amps = InstrumentModel.of(SEED, VICTIM).amps();
        for (CrosstalkTerm t : InstrumentModel.of(SEED, VICTIM).interCcdCrosstalk()) {
            ReadoutAmp v = amps.stream().filter(r -> r.name().equals(t.victimAmp())).findFirst().orElseThrow();
            ReadoutAmp src = amps.stream().filter(r -> r.name().equals(t.sourceAmp())).findFirst().orElseThrow();
            double c = t.coefficient() * victim.truth().amplifier(t.victimAmp()).gain();
            for (int j = 0; j < v.box().height(); j++) {
                for (int i = 0; i < v.box().width(); i++) {
                    ghost[v.y(j) * w + v.x(i)] += (float) (c * a[src.y(j) * w + src.x(i)]);
                }
            }
        }
        for (int k = 0; k < ghost.length; k++) {
            ghost[k] /= masterFlat[k];
        }
        return ghost;
    }

    /**
     * {mean residual, its standard error, mean ghost, pixels} over the unmasked pixels with ghost > min. The residual
     * here is against the charge the victim really collected ({@code noisyElectrons} / master flat), not its
     * expectation: the victim's own photon noise (~35 e- a pixel on this sky) then drops out and leaves read noise,
     * so a ghost of a few e- over a thousand pixels stands tens of standard errors clear.
     */
    static double[] atGhosts(FullIsr.Result r, double min) {
        float[] truth = victim.truth().noisyElectrons().array();
        float[] masterFlat = calibs.flat().image().image().array();
        float[] img = r.isr().exposure().image().array();
        int[] mask = r.isr().exposure().mask().array();
        double sum = 0;
        double sum2 = 0;
        double g = 0;
        long n = 0;
        for (int k = 0; k < img.length; k++) {
            if (ghost[k] <= min || (mask[k] & MASKED) != 0 || !Float.isFinite(img[k])) {
                continue;
            }
            double d = img[k] - truth[k] / masterFlat[k];
            sum += d;
            sum2 += d * d;
            g += ghost[k];
            n++;
        }
        double mean = sum / n;
        double sd = Math.sqrt(Math.max(sum2 / n - mean * mean, 0));
        return new double[] {mean, sd / Math.sqrt(n), g / n, n};
    }

    static double meanResidual(FullIsr.Result r) {
        float[] truth = victim.truth().expectedElectrons().array();
        float[] img = r.isr().exposure().image().array();
        int[] mask = r.isr().exposure().mask().array();
        double sum = 0;
        long n = 0;
        for (int k = 0; k < img.length; k++) {
            if ((mask[k] & MASKED) == 0 && Float.isFinite(img[k])) {
                sum += img[k] - flatNorm * truth[k];
                n++;
            }
        }
        return sum / n;
    }

    @Test
    void theTruthAndTheCalibrationNameTheSourceCcd() {
        assertEquals(List.of(SOURCE), victim.truth().effects().crosstalkSourceCcds());
        assertEquals(List.of(), source.truth().effects().crosstalkSourceCcds(), "21's sources were not simulated");
        assertEquals(Set.of(SOURCE), calibs.crosstalk().sourceDetectors());
        List<Crosstalk.InterTerm> expected = new ArrayList<>();
        for (CrosstalkTerm t : InstrumentModel.of(SEED, VICTIM).interCcdCrosstalk()) {
            expected.add(new Crosstalk.InterTerm(t.victimAmp(), t.sourceCcd(), t.sourceAmp(), t.coefficient()));
        }
        assertEquals(expected, calibs.crosstalk().interTerms());
        assertEquals(3, expected.size());
        assertEquals(victim.truth().effects().interCcdCrosstalk().size(), 3);
    }

    @Test
    void theOrderDoesNotMatterAndACcdAloneHasNoInterCcdCrosstalk() {
        // victim first: the source is simulated ahead of its turn and held
        List<SimulatedCcd> reversed = SIMULATOR.simulateCcds(scene, List.of(VICTIM, SOURCE));
        org.junit.jupiter.api.Assertions.assertArrayEquals(victim.rawAdu(), reversed.get(0).rawAdu());
        org.junit.jupiter.api.Assertions.assertArrayEquals(source.rawAdu(), reversed.get(1).rawAdu());
        // 21 has no source among the simulated CCDs: the same bytes alone; 22 alone lacks the crosstalk
        org.junit.jupiter.api.Assertions.assertArrayEquals(source.rawAdu(), SIMULATOR.simulateCcd(scene, SOURCE)
                .rawAdu());
        assertTrue(!java.util.Arrays.equals(victim.rawAdu(), SIMULATOR.simulateCcd(scene, VICTIM).rawAdu()));
    }

    @Test
    void withTheSourceTheGhostsAreGone() {
        double[] g = atGhosts(with, GHOST_MIN);
        double all = meanResidual(with);
        System.out.printf(Locale.ROOT, "with source CCD %d: %,.0f ghost pixels (> %.0f e-), mean ghost %.2f e-, mean"
                + " residual there %+.3f +- %.3f e-; all unmasked pixels %+.4f e-; header XTALKSRC '%s'%n", SOURCE,
                g[3], GHOST_MIN, g[2], g[0], g[1], all, with.isr().metadata().getStringValue("XTALKSRC"));
        assertTrue(g[3] > 300, "too few ghost pixels to judge: " + g[3]);
        assertTrue(Math.abs(g[0]) < 4 * g[1] && Math.abs(g[0]) < 0.1 * g[2], "residual at the ghosts " + g[0]
                + " +- " + g[1] + " e-, ghost " + g[2] + " e-");
        assertTrue(Math.abs(all) < 0.1, "mean residual " + all + " e-");
        assertEquals(List.of(SOURCE), with.crosstalkSourcesApplied());
        assertEquals(List.of(), with.crosstalkSourcesMissing());
        assertEquals(String.valueOf(SOURCE), with.isr().metadata().getStringValue("XTALKSRC"));
        assertTrue(!with.isr().metadata().containsKey("XTALKMIS"));
    }

    @Test
    void withoutTheSourceTheGhostsRemainAtTheirAmplitude() {
        double[] g = atGhosts(without, GHOST_MIN);
        double[] bright = atGhosts(without, 10.0);
        System.out.printf(Locale.ROOT, "without the source: mean residual at the ghosts %+.3f +- %.3f e- against the"
                + " ghost %.2f e- (%.0f pixels); ghosts > 10 e-: %+.2f +- %.2f e- against %.2f e- (%.0f pixels);"
                + " XTALKMIS '%s'%n", g[0], g[1], g[2], g[3], bright[0], bright[1], bright[2], bright[3],
                without.isr().metadata().getStringValue("XTALKMIS"));
        assertTrue(g[2] > 10 * g[1], "ghost " + g[2] + " e- is not 10 standard errors (" + g[1] + ")");
        assertTrue(Math.abs(g[0] - g[2]) < 4 * g[1] + 0.1 * g[2], "residual at the ghosts " + g[0] + " +- " + g[1]
                + " e-, the simulator added " + g[2] + " e-");
        assertEquals(List.of(), without.crosstalkSourcesApplied());
        assertEquals(List.of(SOURCE), without.crosstalkSourcesMissing());
        assertEquals(String.valueOf(SOURCE), without.isr().metadata().getStringValue("XTALKMIS"));
        assertEquals("", without.isr().metadata().getStringValue("XTALKSRC").trim());
    }
}
