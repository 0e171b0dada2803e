package org.lovoccs.imaging.characterize;

import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.MaskPlane;
import org.lovoccs.imaging.MaskedImage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * PSF flux, as LSST's {@code base_PsfFlux}: the amplitude of the PSF model, placed at the source's centroid, fitted to
 * the pixels by least squares with equal weights ({@code flux = sum(P I) / sum(P^2)}, P the model normalised to unit
 * sum over its stamp, shifted to the centroid with Lanczos-3), its error from the variance plane
 * ({@code sqrt(sum(P^2 var)) / sum(P^2)}). For a point source it is the optimal linear flux estimate when the source
 * dominates the noise and close to it on the sky; the stamp holds ~99.5% of a star's light and the rest is the aperture
 * correction's ({@link #measureAll}). Pixels that are off the CCD, NO_DATA, BAD, SAT or non-finite are left out of the
 * fit; a source missing more than 5% of the model's sum of squares is flagged.
 */
public final class PsfFlux {

    /** Fraction of sum(P^2) that may be left out before the flux is flagged. */
    static final double MAX_MISSING = 0.05;

    private PsfFlux() {
    }

    /**
     * One source's PSF flux.
     *
     * @param flux      electrons (the image's unit), the background offset removed
     * @param fluxErr   1-sigma
     * @param flagged   too much of the model off the CCD or masked, or no usable pixel (flux NaN)
     */
    public record Result(double flux, double fluxErr, boolean flagged) {
    }

    /**
     * The PSF fluxes of all sources (in their order) and the aperture correction that takes them to total fluxes.
     *
     * @param results one per source
     * @param apCorr  the ratio of a large aperture's flux to the PSF flux, fitted over the CCD as the standard
     *                aperture's is ({@link ApertureCorrection#measure}); null when it could not be measured
     * @param apCorrNote why apCorr is null, else empty
     */
    public record Catalogue(List<Result> results, ApertureCorrection apCorr, String apCorrNote) {

        /** A source's aperture-corrected total PSF flux; NaN when flagged or without a correction. */
        public double totalFlux(int i, Source s) {
            Result r = results.get(i);
            return r.flagged() || apCorr == null ? Double.NaN : r.flux() * apCorr.at(s.x(), s.y());
        }
    }

    /**
     * @param exposure         background subtracted (calibrate's exposure)
     * @param backgroundOffset the residual sky per pixel ({@link BackgroundOffset}), removed from the flux as
     *                         {@code offset x sum(P) / sum(P^2)}
     */
    public static Result measure(MaskedImage exposure, PsfModel psf, double x, double y, double backgroundOffset) {
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
            return new Result(Double.NaN, Double.NaN, true);
        }
        int w = exposure.width();
        int h = exposure.height();
        float[] img = exposure.image().array();
        float[] var = exposure.variance().array();
        int[] mask = exposure.mask().array();
        int bad = MaskPlane.NO_DATA.bitmask() | MaskPlane.BAD.bitmask() | MaskPlane.SAT.bitmask();
        ImageF k = psf.kernelAt(x, y);
        int n = psf.size();
        int half = n / 2;
        int x0 = (int) Math.round(x) - half;
        int y0 = (int) Math.round(y) - half;
        // kernel pixel (kx, ky) lands on image pixel (x0 + i, y0 + j) at kx = i + dx: every column shares the
        // fractional shift, so one set of Lanczos weights serves all columns, and one all rows
        double dx = x0 - x + half;
        double dy = y0 - y + half;
        double[] wx = new double[2 * Lanczos.A];
        double[] wy = new double[2 * Lanczos.A];
        Lanczos.weights(dx, wx);
        Lanczos.weights(dy, wy);
        int ix0 = (int) Math.floor(dx);
        int iy0 = (int) Math.floor(dy);
        double[][] wxs = new double[n][];
        int[] ixs = new int[n];
        for (int i = 0; i < n; i++) {
            wxs[i] = wx;
            ixs[i] = ix0 + i;
        }
        double[] xSums = ResidualPeaks.xInterpolated(k, ixs, wxs, n);
        int kh = k.height();
        double pi = 0;
        double pp = 0;
        double ppv = 0;
        double p1 = 0;
        double ppAll = 0;
        for (int j = 0; j < n; j++) {
            int yy = y0 + j;
            int iy = iy0 + j;
            for (int i = 0; i < n; i++) {
                double m = ResidualPeaks.yInterpolated(xSums, n, kh, iy, wy, i);
                ppAll += m * m;
                int xx = x0 + i;
                if (xx < 0 || yy < 0 || xx >= w || yy >= h) {
                    continue;
                }
                int p = yy * w + xx;
                if ((mask[p] & bad) != 0 || !Float.isFinite(img[p]) || !Float.isFinite(var[p])) {
                    continue;
                }
                pi += m * img[p];
                pp += m * m;
                ppv += m * m * var[p];
                p1 += m;
            }
        }
        if (!(pp > 0)) {
            return new Result(Double.NaN, Double.NaN, true);
        }
        double flux = (pi - backgroundOffset * p1) / pp;
        return new Result(flux, Math.sqrt(ppv) / pp, pp < (1 - MAX_MISSING) * ppAll);
    }

    /**
     * Every source's PSF flux and the aperture correction of PSF fluxes, measured on the stars that measure the
     * standard aperture's ({@link ApertureCorrection#measure}: PSF stars of S/N &ge; minSnr, isolated, inside the
     * CCD) as the ratio of the large aperture's flux to the PSF flux. Where too few such stars exist, the correction
     * is the standard aperture's, {@code standard}, times the median ratio of the standard aperture's flux to the PSF
     * flux over the PSF stars used (at least 3, S/N &ge; 30), a constant; with fewer, none, and every total PSF flux
     * is NaN.
     */
    public static Catalogue measureAll(MaskedImage exposure, List<Source> sources, PsfModel psf,
                                       double backgroundOffset, ApertureCorrection standard,
                                       ApertureCorrection.Config config) {
        List<Result> results = new ArrayList<>(sources.size());
        Map<Long, Result> byId = new HashMap<>();
        for (Source s : sources) {
            Result r = measure(exposure, psf, s.x(), s.y(), backgroundOffset);
            results.add(r);
            byId.put(s.id(), r);
        }
        ApertureCorrection apCorr;
        String note = "";
        try {
            apCorr = ApertureCorrection.measure(exposure, sources, psf, standard.smallRadius(), backgroundOffset,
                    config, s -> {
                        Result r = byId.get(s.id());
                        return new double[] {r.flux(), r.flagged() ? 1 : 0, r.flux()};
                    });
        } catch (IllegalArgumentException e) {
            // a sparse field: the standard aperture's correction times its flux's ratio to the PSF flux
            List<Double> ratios = new ArrayList<>();
            double area = Math.PI * standard.smallRadius() * standard.smallRadius();
            for (Source s : sources) {
                Result r = byId.get(s.id());
                if (s.has(SourceFlag.PSF_USED) && s.snr() >= 30 && !r.flagged() && r.flux() > 0) {
                    ratios.add((s.flux() - backgroundOffset * area) / r.flux());
                }
            }
            if (ratios.size() < 3) {
                return new Catalogue(results, null, "PSF flux aperture correction: " + e.getMessage() + "; and only "
                        + ratios.size() + " PSF stars with S/N >= 30 for the ratio to the standard aperture");
            }
            Collections.sort(ratios);
            int m = ratios.size();
            double median = 0.5 * (ratios.get((m - 1) / 2) + ratios.get(m / 2));
            double c = standard.at(0.5 * (exposure.width() - 1), 0.5 * (exposure.height() - 1)) * median;
            apCorr = new ApertureCorrection(0, new double[] {c}, exposure.width(), exposure.height(),
                    standard.smallRadius(), standard.largeRadius(), m, Double.NaN);
            note = "PSF flux aperture correction from the standard aperture's (too few bright isolated stars) and "
                    + m + " PSF stars' ratio of aperture to PSF flux";
        }
        return new Catalogue(results, apCorr, note);
    }
}
