package org.lovoccs.simulator.sky;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

import org.lovoccs.imaging.Band;
import org.lovoccs.imaging.ImageF;
import org.lovoccs.simulator.DecamCcd;
import org.lovoccs.simulator.PsfProfile;
import org.lovoccs.simulator.campaign.ObservingConditions;
import org.lovoccs.simulator.campaign.PlannedExposure;
import org.lovoccs.simulator.optics.ExposureAstrometry;
import org.lovoccs.simulator.universe.Galaxy;
import org.lovoccs.simulator.universe.SkyCatalog;
import org.lovoccs.simulator.universe.Star;

/**
 * Draws the sky's stars and galaxies on one CCD of a science exposure, in expected electrons before the flat field:
 * every object whose centre falls within {@link #MARGIN_ARCSEC} of the CCD is placed through the exposure's TRUE
 * astrometry (distortion, pointing error, rotation), with the PSF of the exposure's field at its position, and the
 * flux its magnitude gives at the exposure's zero point. Stars use the exact (elliptical) Moffat integrated over
 * pixels ({@link PointSourceRenderer}); galaxies use Gaussian mixtures ({@link GalaxyRenderer}) with their lensing.
 * Galaxies within the critical curve (det A < {@link #MIN_DET_A}) are not drawn; the result counts them.
 */
public final class SceneRenderer {

    /** Objects centred this far outside the CCD are still drawn (their wings reach in). */
    public static final double MARGIN_ARCSEC = 30.0;
    /** Galaxies with (1 - kappa)^2 - |gamma|^2 below this (near or inside the critical curve) are skipped. */
    public static final double MIN_DET_A = 0.05;

    private SceneRenderer() {
    }

    /**
     * What was drawn.
     *
     * @param stars            stars whose centres are on the CCD
     * @param galaxies         galaxies whose centres are on the CCD
     * @param skippedStrongLensed galaxies not drawn because they are near the critical curve
     */
    public record Result(List<StarTruth> stars, List<GalaxyOnCcd> galaxies, int skippedStrongLensed) {
    }

    public static Result render(ImageF expected, SkyCatalog sky, PlannedExposure e, DecamCcd ccd) {
        ExposureAstrometry astro = e.astrometry();
        int w = expected.width();
        int h = expected.height();
        double[] box = skyBox(astro, ccd, w, h);
        double raMin = box[0] < 0 ? box[0] + 360 : box[0];
        double raMax = box[1] >= 360 ? box[1] - 360 : box[1];
        Band band = e.band();
        PsfField field = e.psf();
        GaussianMixture psfMixture = field.profile().kind() == PsfProfile.Kind.MOFFAT
                ? GaussianMixture.moffat(field.profile().beta()) : GaussianMixture.gaussianFwhm();
        GalaxyRenderer galaxyRenderer = new GalaxyRenderer();

        List<Star> stars = sky.starsInRegion(raMin, raMax, box[2], box[3]);
        List<Galaxy> galaxies = sky.galaxiesInRegion(raMin, raMax, box[2], box[3]);
        int chunks = Math.max(1, Math.min(ForkJoinPool.commonPool().getParallelism(), 8));
        ImageF[] partial = new ImageF[chunks];
        List<List<StarTruth>> starTruth = new ArrayList<>();
        List<List<GalaxyOnCcd>> galaxyTruth = new ArrayList<>();
        int[] skipped = new int[chunks];
        for (int c = 0; c < chunks; c++) {
            starTruth.add(new ArrayList<>());
            galaxyTruth.add(new ArrayList<>());
        }
        IntStream.range(0, chunks).parallel().forEach(c -> {
            ImageF img = new ImageF(w, h);
            partial[c] = img;
            for (int i = c; i < stars.size(); i += chunks) {
                Star s = stars.get(i);
                double[] p = astro.skyToPixel(ccd, s.raDeg(), s.decDeg());
                double flux = ObservingConditions.electrons(s.mag(band), e.zeroPoint(), e.exptime());
                PointSourceRenderer.add(img, field.at(ccd, p[0], p[1]), p[0], p[1], flux);
                if (onCcd(p, w, h)) {
                    starTruth.get(c).add(new StarTruth(s.id(), p[0], p[1], s.raDeg(), s.decDeg(), s.mag(band),
                            flux));
                }
            }
            for (int i = c; i < galaxies.size(); i += chunks) {
                Galaxy g = galaxies.get(i);
                double detA = (1 - g.kappa()) * (1 - g.kappa()) - g.gamma1() * g.gamma1() - g.gamma2() * g.gamma2();
                if (detA < MIN_DET_A) {
                    skipped[c]++;
                    continue;
                }
                double[] p = astro.skyToPixel(ccd, g.raDeg(), g.decDeg());
                double flux = ObservingConditions.electrons(g.mag(band), e.zeroPoint(), e.exptime());
                double[] fp = ExposureAstrometry.focalPlaneMm(ccd, p[0], p[1]);
                double[] ge = field.ellipticity(fp[0], fp[1]);
                GalaxyRenderer.LocalPsf psf = new GalaxyRenderer.LocalPsf(psfMixture,
                        field.fwhmPixels(fp[0], fp[1]), ge[0], ge[1]);
                double drawn = galaxyRenderer.add(img, p[0], p[1], flux,
                        new GalaxyRenderer.Shape(g.bulgeFraction(), g.diskHalfLightArcsec(),
                                g.bulgeHalfLightArcsec(), g.e1Intrinsic(), g.e2Intrinsic()),
                        g.kappa(), g.gamma1(), g.gamma2(), astro.localJacobian(ccd, p[0], p[1]), psf);
                if (onCcd(p, w, h)) {
                    galaxyTruth.get(c).add(new GalaxyOnCcd(g.id(), p[0], p[1], flux / detA, drawn));
                }
            }
        });
        float[] out = expected.array();
        for (ImageF img : partial) {
            float[] a = img.array();
            for (int i = 0; i < out.length; i++) {
                out[i] += a[i];
            }
        }
        List<StarTruth> allStars = new ArrayList<>();
        starTruth.forEach(allStars::addAll);
        allStars.sort((a, b) -> Long.compare(a.id(), b.id()));
        List<GalaxyOnCcd> allGalaxies = new ArrayList<>();
        galaxyTruth.forEach(allGalaxies::addAll);
        allGalaxies.sort((a, b) -> Long.compare(a.id(), b.id()));
        int skip = 0;
        for (int s : skipped) {
            skip += s;
        }
        return new Result(allStars, allGalaxies, skip);
    }

    private static boolean onCcd(double[] p, int w, int h) {
        return p[0] >= -0.5 && p[0] < w - 0.5 && p[1] >= -0.5 && p[1] < h - 0.5;
    }

    /** {raMin, raMax, decMin, decMax} of the CCD plus the margin (RA may run below 0 or above 360 near RA 0). */
    static double[] skyBox(ExposureAstrometry astro, DecamCcd ccd, int w, int h) {
        double raMin = Double.POSITIVE_INFINITY;
        double raMax = Double.NEGATIVE_INFINITY;
        double decMin = Double.POSITIVE_INFINITY;
        double decMax = Double.NEGATIVE_INFINITY;
        double[] ref = astro.pixelToSky(ccd, w / 2.0, h / 2.0);
        for (double fx = 0; fx <= 1.0; fx += 0.25) {
            for (double fy = 0; fy <= 1.0; fy += 0.25) {
                double[] s = astro.pixelToSky(ccd, -0.5 + fx * w, -0.5 + fy * h);
                double ra = s[0];
                // unwrap around the CCD centre
                if (ra - ref[0] > 180) {
                    ra -= 360;
                } else if (ref[0] - ra > 180) {
                    ra += 360;
                }
                raMin = Math.min(raMin, ra);
                raMax = Math.max(raMax, ra);
                decMin = Math.min(decMin, s[1]);
                decMax = Math.max(decMax, s[1]);
            }
        }
        double m = MARGIN_ARCSEC / 3600.0;
        double cos = Math.max(0.01, Math.cos(Math.toRadians(Math.max(Math.abs(decMin), Math.abs(decMax)) + m)));
        return new double[] {raMin - m / cos, raMax + m / cos, decMin - m, decMax + m};
    }
}
