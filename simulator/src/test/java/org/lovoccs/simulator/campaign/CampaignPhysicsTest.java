package org.lovoccs.simulator.campaign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.Band;
import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.PixelBox;
import org.lovoccs.simulator.AmpTruth;
import org.lovoccs.simulator.DecamCamera;
import org.lovoccs.simulator.DecamCcd;
import org.lovoccs.simulator.ExposureScene;
import org.lovoccs.simulator.ObsType;
import org.lovoccs.simulator.PsfProfile;
import org.lovoccs.simulator.RawExposureSimulator;
import org.lovoccs.simulator.SimulatedCcd;
import org.lovoccs.simulator.optics.ExposureAstrometry;
import org.lovoccs.imaging.wcs.Gnomonic;
import org.lovoccs.simulator.sky.PsfField;
import org.lovoccs.simulator.sky.StarTruth;
import org.lovoccs.simulator.universe.Cosmology;
import org.lovoccs.simulator.universe.Galaxy;
import org.lovoccs.simulator.universe.Lensing;
import org.lovoccs.simulator.universe.NfwHalo;
import org.lovoccs.simulator.universe.SkyCatalog;
import org.lovoccs.simulator.universe.SkySpec;
import org.lovoccs.simulator.universe.Star;

/** The campaign simulator against physics: noise, star fluxes, lensing shapes, determinism. */
class CampaignPhysicsTest {

    private static final double RA = 10.4583;
    private static final double DEC = -9.3031;
    private static final int CCD = 35;

    private final RawExposureSimulator simulator = new RawExposureSimulator();

    private static CampaignSpec spec(long seed) {
        return CampaignSpec.preset(CampaignSpec.Scale.TEST, "PHYS", RA, DEC).seed(seed).seeingArcsec(1.2, 1.2)
                .build();
    }

    private static PlannedExposure firstScience(CampaignSpec spec) {
        return CampaignPlanner.plan(spec).stream().filter(e -> e.obsType() == ObsType.SCIENCE).findFirst()
                .orElseThrow();
    }

    private static SkyCatalog sky(List<Star> stars, List<Galaxy> galaxies) {
        return SkyCatalog.of(new SkySpec(RA, DEC, 0.3, 0, 0, 25, null, 1), stars, galaxies);
    }

    @Test
    void blankSkyNoiseMatchesPoissonGainAndReadNoise() {
        CampaignSpec spec = spec(11);
        PlannedExposure e = firstScience(spec);
        SimulatedCcd ccd = simulator.simulateCcd(new ExposureScene("PHYS", e, sky(List.of(), List.of()), 1, false),
                CCD);
        for (AmpTruth amp : ccd.truth().amplifiers()) {
            double[] mv = dataMeanVariance(ccd, amp);
            double g = amp.gain();
            double expectedMean = e.skyElectrons() / g;
            double expectedVar = e.skyElectrons() / (g * g) + amp.readNoiseAdu() * amp.readNoiseAdu() + 1.0 / 12.0;
            assertEquals(expectedMean, mv[0], 0.02, "amp " + amp.name() + " mean ADU above bias");
            assertEquals(expectedVar, mv[1], 0.01 * expectedVar, "amp " + amp.name() + " variance");
        }
        // a zero: read noise alone
        PlannedExposure zero = CampaignPlanner.plan(spec).stream().filter(x -> x.obsType() == ObsType.ZERO)
                .findFirst().orElseThrow();
        SimulatedCcd z = simulator.simulateCcd(new ExposureScene("PHYS", zero, null, 1, false), CCD);
        for (AmpTruth amp : z.truth().amplifiers()) {
            double[] mv = dataMeanVariance(z, amp);
            double expectedVar = amp.readNoiseAdu() * amp.readNoiseAdu() + 1.0 / 12.0;
            assertEquals(0.0, mv[0], 0.01, "zero: mean above bias");
            assertEquals(expectedVar, mv[1], 0.015 * expectedVar, "zero: variance = read noise");
        }
    }

    @Test
    void isolatedStarsIntegrateToTheirTrueFlux() {
        CampaignSpec spec = spec(12);
        PlannedExposure e = firstScience(spec);
        DecamCcd ccd = DecamCamera.standard().ccd(CCD);
        List<Star> stars = new ArrayList<>();
        double[][] at = {{300, 500}, {1000, 1500}, {1700, 2600}, {600, 3500}, {1500, 900}};
        for (int i = 0; i < at.length; i++) {
            double[] s = e.astrometry().pixelToSky(ccd, at[i][0], at[i][1]);
            double[] mag = new double[Band.values().length];
            // about 3e6 e- in 90 s at the exposure's zero point
            Arrays.fill(mag, e.zeroPoint() - 2.5 * Math.log10(3e6 / e.exptime()));
            stars.add(new Star(i + 1, s[0], s[1], mag));
        }
        SimulatedCcd sim = simulator.simulateCcd(new ExposureScene("PHYS", e, sky(stars, List.of()), 1, false),
                CCD);
        assertEquals(at.length, sim.truth().stars().size());
        for (StarTruth s : sim.truth().stars()) {
            assertEquals(at[(int) s.id() - 1][0], s.x(), 1e-6, "star placed through the true astrometry");
            double fwhm = e.psf().at(ccd, s.x(), s.y()).fwhmPixels();
            double r = 10 * fwhm;
            double sum = 0;
            int n = 0;
            for (int y = (int) (s.y() - r); y <= s.y() + r; y++) {
                for (int x = (int) (s.x() - r); x <= s.x() + r; x++) {
                    if ((x - s.x()) * (x - s.x()) + (y - s.y()) * (y - s.y()) <= r * r) {
                        sum += electronsAboveBias(sim, x, y);
                        n++;
                    }
                }
            }
            double flux = sum - n * e.skyElectrons();
            assertEquals(s.fluxElectrons(), flux, 0.005 * s.fluxElectrons(),
                    "aperture flux of star " + s.id() + " at (" + s.x() + ", " + s.y() + ")");
        }
    }

    @Test
    void lensedGalaxiesShowTheHalosTangentialReducedShear() {
        CampaignSpec spec = spec(13);
        PlannedExposure planned = firstScience(spec);
        // a small round Gaussian PSF, so the measured shapes are the galaxies'
        PsfField psf = PsfField.constant(PsfProfile.gaussian(), 0.5, DecamCamera.PIXEL_SCALE_ARCSEC);
        PlannedExposure e = new PlannedExposure(planned.expnum(), ObsType.SCIENCE, planned.band(), planned.dateObs(),
                planned.exptime(), 0, 0, planned.commandedRaDeg(), planned.commandedDecDeg(), planned.astrometry(),
                psf, planned.airmass(), 0, planned.zeroPoint(), 100.0, 0, false, planned.seed());
        NfwHalo halo = new NfwHalo(1e15, 4, 0.2, RA, DEC, Cosmology.DEFAULT);
        DecamCcd ccd = DecamCamera.standard().ccd(CCD);
        List<Galaxy> galaxies = new ArrayList<>();
        List<Lensing> lensing = new ArrayList<>();
        int id = 0;
        for (int y = 200; y < 4096; y += 450) {
            for (int x = 200; x < 2048; x += 550) {
                double[] s = e.astrometry().pixelToSky(ccd, x, y);
                Lensing l = halo.lensing(s[0], s[1], 1.0);
                double[] mag = new double[Band.values().length];
                Arrays.fill(mag, 18.0);
                galaxies.add(new Galaxy(++id, s[0], s[1], 1.0, "Sbc", mag, 0.0, 1.0, 0.3, 0, 0, l.kappa(),
                        l.gamma1(), l.gamma2(), l.g1(), l.g2(), l.magnification(), l.g1(), l.g2(), false));
                lensing.add(l);
            }
        }
        SimulatedCcd sim = simulator.simulateCcd(new ExposureScene("PHYS", e, sky(List.of(), galaxies), 1, false),
                CCD);
        ImageF img = sim.truth().expectedElectrons();
        double psfVar = Math.pow(psf.fwhmPixels(0, 0) / (2 * Math.sqrt(2 * Math.log(2))), 2) + 1.0 / 12.0;
        int checked = 0;
        for (int k = 0; k < galaxies.size(); k++) {
            Galaxy g = galaxies.get(k);
            double[] p = e.astrometry().skyToPixel(ccd, g.raDeg(), g.decDeg());
            double[] q = moments(img, p[0], p[1], 60, e.skyElectrons());
            // pixel-frame covariance of the galaxy alone, to the sky frame at the galaxy: Q_sky = J Q J^T
            double qxx = q[0] - psfVar;
            double qxy = q[1];
            double qyy = q[2] - psfVar;
            double[] j = e.astrometry().localJacobian(ccd, p[0], p[1]);
            double s11 = j[0] * (j[0] * qxx + j[1] * qxy) + j[1] * (j[0] * qxy + j[1] * qyy);
            double s12 = j[0] * (j[2] * qxx + j[3] * qxy) + j[1] * (j[2] * qxy + j[3] * qyy);
            double s22 = j[2] * (j[2] * qxx + j[3] * qxy) + j[3] * (j[2] * qxy + j[3] * qyy);
            double chi1 = (s11 - s22) / (s11 + s22);
            double chi2 = 2 * s12 / (s11 + s22);
            double f = 1.0 / (1.0 + Math.sqrt(1 - chi1 * chi1 - chi2 * chi2));
            double[] t = Gnomonic.toTangent(RA, DEC, g.raDeg(), g.decDeg());
            double phi = Math.atan2(t[1], t[0]);
            double measuredT = -(chi1 * f * Math.cos(2 * phi) + chi2 * f * Math.sin(2 * phi));
            double theta = Math.hypot(t[0], t[1]);
            double trueT = halo.tangentialShear(theta, 1.0) / (1 - halo.convergence(theta, 1.0));
            assertEquals(trueT, measuredT, 1e-3 + 0.01 * Math.abs(trueT), "tangential reduced shear at " + theta
                    + " arcsec");
            double measuredX = -(chi2 * f * Math.cos(2 * phi) - chi1 * f * Math.sin(2 * phi));
            assertEquals(0.0, measuredX, 1e-3, "cross shear at " + theta + " arcsec");
            assertTrue(trueT > 0.005, "the test needs a measurable shear: " + trueT);
            checked++;
        }
        assertTrue(checked >= 20);
    }

    @Test
    void sameSeedSamePixelsAndAnotherSeedOthers() {
        CampaignSpec spec = CampaignSpec.preset(CampaignSpec.Scale.TEST, "PHYS", RA, DEC).seed(5).build();
        PlannedExposure e = firstScience(spec);
        CampaignWriter writer = new CampaignWriter(spec);
        SkyCatalog sky = writer.sky();
        short[] a = simulator.simulateCcd(new ExposureScene("PHYS", e, sky, 5, true), CCD).rawAdu();
        short[] b = new RawExposureSimulator(DecamCamera.standard(), simulator.layout(), false)
                .simulateCcd(new ExposureScene("PHYS", e, sky, 5, true), CCD).rawAdu();
        assertArrayEquals(a, b, "threads do not change the result");
        PlannedExposure other = firstScience(CampaignSpec.preset(CampaignSpec.Scale.TEST, "PHYS", RA, DEC).seed(6)
                .build());
        short[] c = simulator.simulateCcd(new ExposureScene("PHYS", other, sky, 6, true), CCD).rawAdu();
        assertFalse(Arrays.equals(a, c));
    }

    private static double electronsAboveBias(SimulatedCcd sim, int x, int y) {
        for (AmpTruth amp : sim.truth().amplifiers()) {
            PixelBox b = amp.assembledBox();
            if (b.contains(x, y)) {
                int rawX = x + 56;
                int rawY = y + 50;
                return (sim.adu(rawX, rawY) - amp.biasAdu()[rawY]) * amp.gain();
            }
        }
        throw new IllegalArgumentException("pixel outside the CCD");
    }

    /** Mean and variance of ADU above the true bias over an amplifier's data section. */
    private static double[] dataMeanVariance(SimulatedCcd ccd, AmpTruth amp) {
        PixelBox b = amp.assembledBox();
        double s = 0;
        double ss = 0;
        long n = 0;
        for (int y = b.y0(); y <= b.maxY(); y++) {
            int rawY = y + 50;
            for (int x = b.x0(); x <= b.maxX(); x++) {
                double v = ccd.adu(x + 56, rawY) - amp.biasAdu()[rawY];
                s += v;
                ss += v * v;
                n++;
            }
        }
        double mean = s / n;
        return new double[] {mean, ss / n - mean * mean};
    }

    /** Second moments {Qxx, Qxy, Qyy} of (image - sky) in a square stamp. */
    private static double[] moments(ImageF img, double cx, double cy, int half, double sky) {
        double s = 0;
        double sx = 0;
        double sy = 0;
        int x0 = (int) Math.round(cx);
        int y0 = (int) Math.round(cy);
        for (int y = y0 - half; y <= y0 + half; y++) {
            for (int x = x0 - half; x <= x0 + half; x++) {
                double v = img.get(x, y) - sky;
                s += v;
                sx += v * x;
                sy += v * y;
            }
        }
        double mx = sx / s;
        double my = sy / s;
        assertEquals(cx, mx, 0.01, "centroid x");
        assertEquals(cy, my, 0.01, "centroid y");
        double qxx = 0;
        double qxy = 0;
        double qyy = 0;
        for (int y = y0 - half; y <= y0 + half; y++) {
            for (int x = x0 - half; x <= x0 + half; x++) {
                double v = img.get(x, y) - sky;
                qxx += v * (x - mx) * (x - mx);
                qxy += v * (x - mx) * (y - my);
                qyy += v * (y - my) * (y - my);
            }
        }
        return new double[] {qxx / s, qxy / s, qyy / s};
    }
}
