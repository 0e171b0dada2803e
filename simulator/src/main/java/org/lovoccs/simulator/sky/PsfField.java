package org.lovoccs.simulator.sky;

import java.util.SplittableRandom;

import org.lovoccs.simulator.DecamCcd;
import org.lovoccs.simulator.PsfProfile;
import org.lovoccs.simulator.optics.ExposureAstrometry;

/**
 * The PSF of one exposure over the whole focal plane: the atmosphere's seeing and a constant ellipticity (wind shake,
 * tracking), plus the optics' contribution that grows toward the edge of the field: the FWHM grows as
 * {@code 1 + growth (r/R)^2} and an astigmatism-like ellipticity {@code g_opt (r/R)^2} points along the radius
 * (positive) or across it (negative). Ellipticities are in the pixel frame of the CCDs (axis 1 along columns); all
 * DECam CCDs share the focal plane's orientation, so the focal-plane (x, y) directions are the pixel axes.
 *
 * @param profile            the PSF family (Moffat beta or Gaussian)
 * @param seeingFwhmArcsec   FWHM on the optical axis, arcsec
 * @param fwhmGrowth         fractional FWHM growth at R
 * @param g1Atmosphere       constant ellipticity, pixel axis 1
 * @param g2Atmosphere       constant ellipticity, diagonal
 * @param gOptical           radial ellipticity amplitude at R (signed)
 * @param referenceRadiusMm  R, mm
 * @param pixelScaleArcsec   arcsec per pixel used to express the FWHM in pixels
 */
public record PsfField(PsfProfile profile, double seeingFwhmArcsec, double fwhmGrowth, double g1Atmosphere,
                       double g2Atmosphere, double gOptical, double referenceRadiusMm, double pixelScaleArcsec) {

    public PsfField {
        if (!(seeingFwhmArcsec > 0)) {
            throw new IllegalArgumentException("seeing FWHM must be > 0 arcsec, got " + seeingFwhmArcsec);
        }
        if (Math.hypot(g1Atmosphere, g2Atmosphere) + Math.abs(gOptical) * 1.6 >= 0.5) {
            throw new IllegalArgumentException("PSF ellipticity too large: atmosphere (" + g1Atmosphere + ", "
                    + g2Atmosphere + "), optics " + gOptical + "; keep |g| < 0.5 over the field");
        }
    }

    /** A constant circular PSF (no variation): the field of a simple simulation. */
    public static PsfField constant(PsfProfile profile, double seeingFwhmArcsec, double pixelScaleArcsec) {
        return new PsfField(profile, seeingFwhmArcsec, 0, 0, 0, 0, 200.0, pixelScaleArcsec);
    }

    /**
     * A realistic field for one exposure drawn from {@code rng}: FWHM growth 2-6% at the field edge, atmospheric
     * ellipticity |g| up to 0.03 in a random direction, optical ellipticity amplitude +-(0.01-0.03).
     */
    public static PsfField draw(SplittableRandom rng, PsfProfile profile, double seeingFwhmArcsec,
                                double pixelScaleArcsec) {
        double growth = 0.02 + 0.04 * rng.nextDouble();
        double gAtm = 0.03 * Math.sqrt(rng.nextDouble());
        double angle = Math.PI * rng.nextDouble();
        double gOpt = (0.01 + 0.02 * rng.nextDouble()) * (rng.nextBoolean() ? 1 : -1);
        return new PsfField(profile, seeingFwhmArcsec, growth, gAtm * Math.cos(2 * angle), gAtm * Math.sin(2 * angle),
                gOpt, 200.0, pixelScaleArcsec);
    }

    /** FWHM in pixels at focal-plane point (xMm, yMm). */
    public double fwhmPixels(double xMm, double yMm) {
        double u = (xMm * xMm + yMm * yMm) / (referenceRadiusMm * referenceRadiusMm);
        return seeingFwhmArcsec / pixelScaleArcsec * (1.0 + fwhmGrowth * u);
    }

    /** Ellipticity (g1, g2), pixel frame, at focal-plane point (xMm, yMm). */
    public double[] ellipticity(double xMm, double yMm) {
        double r2 = xMm * xMm + yMm * yMm;
        double u = r2 / (referenceRadiusMm * referenceRadiusMm);
        double c2 = r2 > 0 ? (xMm * xMm - yMm * yMm) / r2 : 0.0;
        double s2 = r2 > 0 ? 2 * xMm * yMm / r2 : 0.0;
        return new double[] {g1Atmosphere + gOptical * u * c2, g2Atmosphere + gOptical * u * s2};
    }

    /**
     * The PSF averaged over {@code ccd} on an 8 x 16 grid of its focal-plane area: {FWHM in pixels, e1, e2}, the
     * ellipticity as the distortion e = 2g / (1 + |g|^2) (what check_visit measures per CCD is compared with this).
     */
    public double[] meanOverCcd(DecamCcd ccd) {
        double fwhm = 0;
        double e1 = 0;
        double e2 = 0;
        int n = 0;
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 16; j++) {
                double x = ccd.xMinMm() + (i + 0.5) / 8 * (ccd.xMaxMm() - ccd.xMinMm());
                double y = ccd.yMinMm() + (j + 0.5) / 16 * (ccd.yMaxMm() - ccd.yMinMm());
                fwhm += fwhmPixels(x, y);
                double[] g = ellipticity(x, y);
                double g2 = g[0] * g[0] + g[1] * g[1];
                e1 += 2 * g[0] / (1 + g2);
                e2 += 2 * g[1] / (1 + g2);
                n++;
            }
        }
        return new double[] {fwhm / n, e1 / n, e2 / n};
    }

    /** The PSF at assembled pixel (x, y) of {@code ccd}. */
    public Psf at(DecamCcd ccd, double x, double y) {
        double[] fp = ExposureAstrometry.focalPlaneMm(ccd, x, y);
        Psf circular = profile.create(fwhmPixels(fp[0], fp[1]));
        double[] g = ellipticity(fp[0], fp[1]);
        if (g[0] == 0 && g[1] == 0) {
            return circular;
        }
        return new EllipticalPsf(circular, g[0], g[1]);
    }
}
