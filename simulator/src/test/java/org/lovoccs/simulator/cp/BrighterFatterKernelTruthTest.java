package org.lovoccs.simulator.cp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Iterator;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.Band;
import org.lovoccs.imaging.cp.BrighterFatterKernel;
import org.lovoccs.imaging.cp.CalibProduct;
import org.lovoccs.imaging.cp.MasterBias;
import org.lovoccs.imaging.isr.BrighterFatterCorrection;
import org.lovoccs.imaging.isr.FullIsrConfig;
import org.lovoccs.imaging.raw.RawCcd;
import org.lovoccs.simulator.ObsType;
import org.lovoccs.simulator.RawExposureSimulator;
import org.lovoccs.simulator.campaign.CampaignSpec;
import org.lovoccs.simulator.campaign.PlannedExposure;
import org.lovoccs.simulator.instrument.BrighterFatter;

/**
 * The brighter-fatter kernel measured from simulated flat pairs of one full CCD (S15, CCD 14) against the simulator's
 * true kernel {@link BrighterFatter#kernel()}, with the whole instrument signature (flat field, defects, cosmic rays,
 * non-linearity, crosstalk, bias structure, read noise, quantisation) and through ISR + a master bias from 5 zeros.
 *
 * <p>The flats are the planner's r-band dome flats (10 s) with a lamp 4 times brighter (76,000-84,000 e- x flat): the
 * statistical error of X = C_diff / (2 mu^2) is 1/(mu sqrt(N_pix)) per lag and pair, so a high level pays directly,
 * while the dropped second-order terms grow as mu LK(0) / 2 (3% at 80,000 e-; DECam's full well is 150-200 ke-).
 * Short exposures because cosmic rays are not masked: the pixels of their tracks below the 5-sigma clip (a muon puts
 * ~1000 e- per pixel along its track) add positive covariances at every lag, which the zero sum turns into a larger
 * K(0, 0). With the same level in 40 s (4 x the cosmic rays) the null test's amplitude was 0.106 and K(0, 0) came out
 * 8% high with brighter-fatter on (see docs/calibration.md).
 *
 * <p>Criteria, set before measuring, on the 17 x 17 kernel (radius 8; the truth is cut to the same grid):
 * <ul>
 *   <li>10 pairs with brighter-fatter on: Pearson correlation of the measured kernel with the truth > 0.95; the
 *   least-squares amplitude a = sum(K K_true) / sum(K_true^2) within 10% of 1; the central value K(0, 0) within 10% of
 *   the truth. Expected statistical error of K(0, 0), dominated by the zero sum of X(0, 0) over 288 lags: about
 *   3%.</li>
 *   <li>6 pairs simulated with brighter-fatter switched off (everything else the same): |a| < 0.15, a kernel
 *   consistent with zero (expected error of a: about 4%).</li>
 * </ul>
 */
class BrighterFatterKernelTruthTest {

    static final int CCD = 14;
    static final long SEED = 62;
    static final int PAIRS = 10;
    static final int NULL_PAIRS = 6;
    static final int ZEROS = 5;
    static final double BRIGHTER = 4;

    static CalibProduct bias;
    static List<PlannedExposure> flats;

    @BeforeAll
    static void calibrations() {
        CampaignSpec spec = CpFixtures.spec(SEED, 1, ZEROS, 2 * (PAIRS + NULL_PAIRS), List.of(Band.R));
        bias = MasterBias.build(CpFixtures.raws(CpFixtures.planned(spec, ObsType.ZERO, null), SEED, CCD),
                MasterBias.Config.defaults());
        flats = CpFixtures.planned(spec, ObsType.DOME_FLAT, Band.R).stream()
                .map(BrighterFatterKernelTruthTest::brighter).toList();
        assertEquals(2 * (PAIRS + NULL_PAIRS), flats.size());
    }

    /** The planner's dome flat with a lamp {@link #BRIGHTER} times as bright (same exposure time). */
    static PlannedExposure brighter(PlannedExposure e) {
        return new PlannedExposure(e.expnum(), e.obsType(), e.band(), e.dateObs(), e.exptime(), e.night(), e.visit(),
                e.commandedRaDeg(), e.commandedDecDeg(), e.astrometry(), e.psf(), e.airmass(), e.cloudsMag(),
                e.zeroPoint(), BRIGHTER * e.skyElectrons(), e.fringeAmplitude(), e.satellite(), e.seed());
    }

    /** The raws, timing their simulation so that the measurement's own time can be told apart. */
    static final class Timed implements Iterable<RawCcd> {
        final Iterable<RawCcd> raws;
        double simulationSeconds;

        Timed(Iterable<RawCcd> raws) {
            this.raws = raws;
        }

        @Override
        public Iterator<RawCcd> iterator() {
            Iterator<RawCcd> it = raws.iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public RawCcd next() {
                    long t0 = System.nanoTime();
                    RawCcd r = it.next();
                    simulationSeconds += (System.nanoTime() - t0) / 1e9;
                    return r;
                }
            };
        }
    }

    /** The true kernel on the measured grid of radius r (the truth's radius 9 cut to r). */
    static double[] truthOnGrid(int r) {
        BrighterFatter bf = BrighterFatter.decam();
        int kr = bf.radius();
        double[] k = bf.kernel();
        int side = 2 * r + 1;
        double[] out = new double[side * side];
        for (int y = -r; y <= r; y++) {
            for (int x = -r; x <= r; x++) {
                out[(y + r) * side + x + r] = k[(y + kr) * (2 * kr + 1) + x + kr];
            }
        }
        return out;
    }

    static double amplitude(double[] k, double[] truth) {
        double sxy = 0;
        double syy = 0;
        for (int i = 0; i < k.length; i++) {
            sxy += k[i] * truth[i];
            syy += truth[i] * truth[i];
        }
        return sxy / syy;
    }

    static double correlation(double[] a, double[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i] / a.length;
            mb += b[i] / b.length;
        }
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    @Test
    void kernelFromFlatPairsRecoversTheSimulatorsKernel() {
        Timed raws = new Timed(CpFixtures.raws(flats.subList(0, 2 * PAIRS), SEED, CCD));
        long t0 = System.nanoTime();
        BrighterFatterKernel k = BrighterFatterKernel.fromRawPairs(raws, bias, BrighterFatterKernel.Config.defaults());
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(PAIRS, k.pairs());
        int r = k.radius();
        double[] truth = truthOnGrid(r);
        double corr = correlation(k.kernel(), truth);
        double a = amplitude(k.kernel(), truth);
        double centre = k.kernel(0, 0) / truth[r * (2 * r + 1) + r];
        double[] lk = BrighterFatterKernelFactorTest.trueLaplacian(BrighterFatter.decam());
        System.out.printf("BFK truth: %d pairs at %.0f e-: correlation %.4f, amplitude %.4f, K(0,0) %.4g vs %.4g"
                + " (ratio %.4f); X(1,0) %.4g +- %.2g vs LK %.4g, X(0,1) %.4g vs LK %.4g, X(0,0) %.4g vs LK %.4g"
                + " (measured variance term %.4g); %.1f s, of which simulation %.1f s: measurement %.2f s per pair%n",
                PAIRS, k.meanSignal(), corr, a, k.kernel(0, 0), truth[r * (2 * r + 1) + r], centre, k.xcorr(1, 0),
                k.xcorrError()[r * (2 * r + 1) + r + 1], BrighterFatterKernelFactorTest.lk(lk, BrighterFatter.decam(),
                        1, 0), k.xcorr(0, 1), BrighterFatterKernelFactorTest.lk(lk, BrighterFatter.decam(), 0, 1),
                k.xcorr(0, 0), BrighterFatterKernelFactorTest.lk(lk, BrighterFatter.decam(), 0, 0),
                k.metadata().getDoubleValue("BFKX0MEA"), seconds, raws.simulationSeconds,
                (seconds - raws.simulationSeconds) / PAIRS);
        // the kernel as the ISR applies it: its separable terms kept to the default tolerance
        double[] applied = BrighterFatterCorrection.asApplied(k.kernel(), FullIsrConfig.BF_KERNEL_TOLERANCE);
        double corrApplied = correlation(applied, truth);
        double aApplied = amplitude(applied, truth);
        System.out.printf("BFK truth, as applied (%d of %d separable terms, tolerance %.0e): correlation %.4f,"
                + " amplitude %.4f%n", BrighterFatterCorrection.terms(k.kernel(), FullIsrConfig.BF_KERNEL_TOLERANCE),
                BrighterFatterCorrection.terms(k.kernel(), 0), FullIsrConfig.BF_KERNEL_TOLERANCE, corrApplied,
                aApplied);
        assertTrue(corr > 0.95, "correlation with the true kernel " + corr + " (goal > 0.95)");
        assertTrue(corrApplied > 0.95, "correlation of the applied kernel with the truth " + corrApplied);
        assertTrue(Math.abs(aApplied - 1) < 0.10, "amplitude of the applied kernel " + aApplied + " (goal 1 +- 0.10)");
        assertTrue(Math.abs(a - 1) < 0.10, "amplitude on the true kernel " + a + " (goal 1 +- 0.10)");
        assertTrue(Math.abs(centre - 1) < 0.10, "K(0,0) / true " + centre + " (goal 1 +- 0.10)");
    }

    @Test
    void withoutBrighterFatterTheKernelIsConsistentWithZero() {
        RawExposureSimulator off = CpFixtures.SIMULATOR.withBrighterFatter(new BrighterFatter(0, 1, 3, 0.3, 9));
        Iterable<RawCcd> raws = CpFixtures.raws(off, flats.subList(2 * PAIRS, 2 * (PAIRS + NULL_PAIRS)), SEED, CCD);
        BrighterFatterKernel k = BrighterFatterKernel.fromRawPairs(raws, bias, BrighterFatterKernel.Config.defaults());
        assertEquals(NULL_PAIRS, k.pairs());
        int r = k.radius();
        double[] truth = truthOnGrid(r);
        double a = amplitude(k.kernel(), truth);
        System.out.printf("BFK null: %d pairs at %.0f e- without brighter-fatter: amplitude %.4f, K(0,0) %.3g"
                + " (true kernel's %.3g), X(1,0) %.3g +- %.2g%n", NULL_PAIRS, k.meanSignal(), a, k.kernel(0, 0),
                truth[r * (2 * r + 1) + r], k.xcorr(1, 0), k.xcorrError()[r * (2 * r + 1) + r + 1]);
        assertTrue(Math.abs(a) < 0.15, "amplitude on the true kernel without brighter-fatter " + a + " (goal < 0.15)");
    }
}
