package org.lovoccs.simulator.astrometry;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lovoccs.imaging.Band;
import org.lovoccs.imaging.astrometry.AstrometryConfig;
import org.lovoccs.imaging.astrometry.AstrometryException;
import org.lovoccs.imaging.astrometry.AstrometryFitter;
import org.lovoccs.imaging.astrometry.AstrometrySolution;
import org.lovoccs.imaging.astrometry.ReferenceStar;
import org.lovoccs.imaging.characterize.Source;
import org.lovoccs.imaging.wcs.Gnomonic;
import org.lovoccs.imaging.wcs.TanWcs;
import org.lovoccs.simulator.DecamCamera;
import org.lovoccs.simulator.campaign.ObservingConditions;
import org.lovoccs.simulator.universe.ReferenceCatalogs;
import org.lovoccs.simulator.universe.SkySpec;
import org.lovoccs.simulator.universe.Star;
import org.lovoccs.simulator.universe.StarPopulation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The astrometric matcher against Gaia-like G magnitudes in every band, with the colours of the simulator's stellar
 * locus. The matcher's offset histogram also bins the magnitude offset (instrumental - G), which is one number for
 * every true pair only up to the stars' colours: G - r spans 0.7 mag over the locus, but u - G spans about 4 mag (1.2
 * for turn-off stars to 5 for M dwarfs). The demo's CCD 34 in u failed with "6 votes, needed 8, chance 0.0": its true
 * pairs were spread over several magnitude bins.
 *
 * <p>Each case is one CCD at the demo's star density (2,000 per deg^2, r 14-24, 90 on a CCD) or half of it (a field
 * near a Galactic pole), and the demo's galaxy density (25 per arcmin^2, 4,000 on a CCD), observed with the campaign's
 * exposure time, zero point and sky in the band, measured down to S/N 5 with centroid and flux noise; the reference
 * catalogue is Gaia-like (G &lt; 20.7, Gaia's position errors). The raw WCS misses the pointing by (3", -2") and the
 * focal plane's 20" rotation.
 *
 * <p>Criteria: in every band, at both densities and for each of 5 seeds, the fit succeeds, uses at least 60% of the
 * reference stars, every match it uses pairs a reference star with that star's own source, and its WCS puts the true
 * pixel positions of the matched stars within 15 mas rms of their true sky positions. History of that last bound: the
 * first version of this test asked 20 mas at the demo's density; the unweighted fit gave 10-19 mas in u there and
 * 29-38 mas at half the stars (16 faint stars, S/N 10-20, ~50 mas centroids each, counted as much as the bright
 * ones). The fit now weights each match by its centroid error and gives at most 12.4 mas (u, half density; 3-8 mas
 * at the demo's); 15 mas was set after seeing that, and fails on an unweighted fit. The fit's precision on bright
 * stars of a dense field is {@link CalibrateTruthTest}'s criterion.
 */
class AstrometryColourSpreadTest {

    static final double STARS_PER_DEG2 = 2000.0;
    /** A field near a Galactic pole: half the demo's density, about 16 Gaia stars on a CCD. */
    static final double SPARSE_STARS_PER_DEG2 = 1000.0;
    static final double GALAXIES_PER_ARCMIN2 = 25.0;
    static final double RA = 10.4583;
    static final double DEC = -9.3031;
    /** The CCD's pixel (0, 0) relative to the optical axis, pixels: an off-axis CCD, as DECam's are. */
    static final double CRPIX1 = -2500.0;
    static final double CRPIX2 = 1500.0;
    static final int W = DecamCamera.CCD_WIDTH;
    static final int H = DecamCamera.CCD_HEIGHT;
    static final double SEEING_SIGMA_PX = 1.0 / 2.355 / DecamCamera.PIXEL_SCALE_ARCSEC;

    record Truth(long starId, double x, double y, double ra, double dec) {
    }

    @ParameterizedTest
    @EnumSource(value = Band.class, names = {"U", "G", "R", "I", "Z"})
    void matchesAgainstGaiaDespiteTheColourSpread(Band band) {
        StringBuilder report = new StringBuilder();
        for (double density : new double[] {STARS_PER_DEG2, SPARSE_STARS_PER_DEG2}) {
            for (long seed = 1; seed <= 5; seed++) {
                report.append(runOne(band, density, 20261204L * 10 + seed)).append('\n');
            }
        }
        System.out.printf("astrometry against Gaia G in %s:%n%s", band, report);
    }

    private static String runOne(Band band, double starsPerDeg2, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double scaleDeg = DecamCamera.PIXEL_SCALE_ARCSEC / 3600.0;
        double rot = Math.toRadians(20.0 / 3600.0);
        double[] bore = Gnomonic.toSky(RA, DEC, 3.0, -2.0);
        TanWcs truthWcs = new TanWcs(bore[0], bore[1], CRPIX1, CRPIX2, -scaleDeg * Math.cos(rot),
                scaleDeg * Math.sin(rot), scaleDeg * Math.sin(rot), scaleDeg * Math.cos(rot));
        TanWcs raw = new TanWcs(RA, DEC, CRPIX1, CRPIX2, -scaleDeg, 0, 0, scaleDeg);

        double exptime = ObservingConditions.defaultExptime(band);
        double zp = ObservingConditions.zeroPointAirmassOne(band);
        double sky = ObservingConditions.skyElectrons(band, zp, exptime, DecamCamera.PIXEL_SCALE_ARCSEC);
        double noiseArea = 4 * Math.PI * SEEING_SIGMA_PX * SEEING_SIGMA_PX;
        double areaDeg2 = W * H * scaleDeg * scaleDeg;
        // a 60 px margin: stars just off the CCD are in the catalogue
        double margin = 60;
        double marginArea = (W + 2 * margin) * (H + 2 * margin) * scaleDeg * scaleDeg;
        SkySpec spec = new SkySpec(RA, DEC, 0.5, starsPerDeg2, GALAXIES_PER_ARCMIN2, 25.5, null, seed);

        List<Source> sources = new ArrayList<>();
        List<Truth> sourceTruth = new ArrayList<>();
        List<ReferenceStar> refs = new ArrayList<>();
        int nStars = (int) Math.round(starsPerDeg2 * marginArea);
        for (int i = 0; i < nStars; i++) {
            Star star = StarPopulation.star(spec, i);
            double x = rng.nextDouble() * (W + 2 * margin) - margin;
            double y = rng.nextDouble() * (H + 2 * margin) - margin;
            double[] radec = truthWcs.pixelToSky(x, y);
            double g = ReferenceCatalogs.gaiaG(star);
            if (g < ReferenceCatalogs.GAIA_G_LIMIT && g > ReferenceCatalogs.SATURATION) {
                double sig = ReferenceCatalogs.gaiaPositionErrorMas(g) / 3.6e6;
                double[] p = Gnomonic.toSky(radec[0], radec[1], rng.nextGaussian() * sig * 3600,
                        rng.nextGaussian() * sig * 3600);
                refs.add(new ReferenceStar(i + 1, p[0], p[1], g));
            }
            if (x >= 0 && x < W && y >= 0 && y < H) {
                double flux = exptime * Math.pow(10, -0.4 * (star.mag(band) - zp));
                measure(sources, sourceTruth, rng, i + 1, x, y, flux, sky, noiseArea, radec);
            }
        }
        // galaxies: r counts rising as 10^(0.35 r) to r = 25.5, colours of a mixed population
        int nGal = (int) Math.round(GALAXIES_PER_ARCMIN2 * 3600 * areaDeg2);
        double lo = Math.pow(10, 0.35 * 18.0);
        double hi = Math.pow(10, 0.35 * 25.5);
        for (int i = 0; i < nGal; i++) {
            double r = Math.log10(lo + rng.nextDouble() * (hi - lo)) / 0.35;
            double colour = switch (band) {
                case U -> 1.3 + 0.6 * Math.abs(rng.nextGaussian());
                case G -> 0.5 + 0.3 * Math.abs(rng.nextGaussian());
                case R -> 0.0;
                case I -> -0.3 - 0.2 * Math.abs(rng.nextGaussian());
                default -> -0.5 - 0.3 * Math.abs(rng.nextGaussian());
            };
            double x = rng.nextDouble() * W;
            double y = rng.nextDouble() * H;
            // galaxies are wider than the PSF: their centroids are noisier
            measure(sources, sourceTruth, rng, 0, x, y, exptime * Math.pow(10, -0.4 * (r + colour - zp)), sky,
                    3 * noiseArea, truthWcs.pixelToSky(x, y));
        }

        AstrometrySolution sol;
        try {
            sol = AstrometryFitter.fit(sources, refs, raw, W, H, AstrometryConfig.defaults());
        } catch (AstrometryException e) {
            fail(String.format(Locale.ROOT, "%s, seed %d (%d sources, %d reference stars): %s", band, seed,
                    sources.size(), refs.size(), e.getMessage()));
            return "";
        }
        double sum2 = 0;
        int n = 0;
        int falseMatches = 0;
        for (AstrometrySolution.Match m : sol.matches()) {
            if (!m.used()) {
                continue;
            }
            Truth t = sourceTruth.get(m.sourceIndex());
            if (t.starId() != m.ref().id()) {
                falseMatches++;
            }
            double[] fitted = sol.wcs().pixelToSky(t.x(), t.y());
            double dxi = (fitted[0] - t.ra()) * Math.cos(Math.toRadians(t.dec())) * 3.6e6;
            double deta = (fitted[1] - t.dec()) * 3.6e6;
            sum2 += dxi * dxi + deta * deta;
            n++;
        }
        double rmsMas = Math.sqrt(sum2 / Math.max(1, n) / 2);
        String line = String.format(Locale.ROOT, "  %.0f stars/deg2, seed %d: %d sources, %d reference stars; %d"
                + " votes, %d used (%d false), fit rms %.1f mas; WCS at the true positions vs truth: %.2f mas rms",
                starsPerDeg2, seed, sources.size(), refs.size(), sol.votes(), sol.used(), falseMatches,
                1000 * sol.rmsArcsec(), rmsMas);
        assertTrue(sol.used() >= 0.6 * refs.size(), "too few of the reference stars used: " + line);
        assertTrue(falseMatches == 0, "a fitted match pairs a reference star with another source: " + line);
        assertTrue(rmsMas < 15.0, "the fitted WCS is off the truth: " + line);
        return line;
    }

    /** Adds the source at (x, y) with {@code flux} e- if detected at S/N 5, with flux and centroid noise. */
    private static void measure(List<Source> sources, List<Truth> truth, SplittableRandom rng, long starId, double x,
                                double y, double flux, double sky, double noiseArea, double[] radec) {
        double err = Math.sqrt(flux + sky * noiseArea);
        double measured = flux + err * rng.nextGaussian();
        if (!(measured > 5 * err)) {
            return;
        }
        double posErr = Math.sqrt(noiseArea / (2 * Math.PI)) * err / flux;
        double mx = x + posErr * rng.nextGaussian();
        double my = y + posErr * rng.nextGaussian();
        sources.add(new Source(sources.size() + 1, 0, mx, my, measured, err, 4, 4, 0, measured / noiseArea,
                10, 0));
        truth.add(new Truth(starId, x, y, radec[0], radec[1]));
    }
}
