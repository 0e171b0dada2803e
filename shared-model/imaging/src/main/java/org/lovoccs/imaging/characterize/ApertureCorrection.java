package org.lovoccs.imaging.characterize;

import org.lovoccs.imaging.MaskedImage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Aperture correction: the factor that takes a source's standard circular-aperture flux (LSST's 12 px calibration
 * aperture) to its total flux, measured on bright PSF stars as the ratio of the flux in a large aperture to the flux in
 * the standard one, and fitted over the CCD as a polynomial of order 0 or 1 in (x, y) (LSST's
 * {@code measureApCorr}, which fits a Chebyshev field of the ratio of the calibration flux to each other flux).
 *
 * <p>Why a large aperture and not the PSF model: the model's stamp ends where the PSF's wings still hold a few tenths
 * of a percent of the flux for a Moffat beta = 3.5 (12 px holds 99.5% at 1" seeing; 5 FWHM holds 99.96%), and the
 * zero point must be good to a few millimagnitudes. The large radius is {@code radiusFwhm} x the PSF model's FWHM at
 * the CCD's centre, at least 1.5 x the standard aperture. Only stars with no other detected source within the large
 * radius plus 2 FWHM are used: a neighbour's light in the large aperture biases the ratio up, never down.
 *
 * @param order       0 (a constant) or 1 (a plane in x, y)
 * @param coeffs      c0, then cx, cy for order 1, with x and y scaled to [-1, 1] over the CCD
 * @param width       CCD width, pixels
 * @param height      CCD height, pixels
 * @param smallRadius the standard aperture, pixels
 * @param largeRadius the large aperture, pixels
 * @param stars       stars used (after clipping)
 * @param rms         rms scatter of the used stars' ratios about the fit
 */
public record ApertureCorrection(int order, double[] coeffs, int width, int height, double smallRadius,
                                 double largeRadius, int stars, double rms) {

    /**
     * @param radiusFwhm  large aperture radius in PSF FWHMs (5 is the default)
     * @param minSnr      smallest standard-aperture S/N of a star used
     */
    public record Config(double radiusFwhm, double minSnr, int minStarsForPlane, double clipSigma) {
        public static Config defaults() {
            return new Config(5.0, 100.0, 30, 3.0);
        }
    }

    /**
     * The correction of a circular Moffat profile (enclosed fraction 1 - (1 + r^2/alpha^2)^(1 - beta)) from
     * {@code smallRadius} to {@code largeRadius}: the fallback for a CCD with too few bright isolated stars to measure
     * the ratio directly, from Moffat fits to the stars it has ({@code stars} of them, the scatter of their
     * corrections {@code rms}). A constant over the CCD.
     */
    public static ApertureCorrection fromMoffat(double alpha, double beta, int width, int height, double smallRadius,
                                                double largeRadius, int stars, double rms) {
        if (!(alpha > 0) || !(beta > 1)) {
            throw new IllegalArgumentException("a Moffat aperture correction needs alpha > 0 and beta > 1, got "
                    + alpha + ", " + beta);
        }
        return new ApertureCorrection(0, new double[] {moffatRatio(alpha, beta, smallRadius, largeRadius)}, width,
                height, smallRadius, largeRadius, stars, rms);
    }

    /** The enclosed-fraction ratio of a circular Moffat profile between two radii (pixels). */
    public static double moffatRatio(double alpha, double beta, double smallRadius, double largeRadius) {
        double small = 1 - Math.pow(1 + smallRadius * smallRadius / (alpha * alpha), 1 - beta);
        double large = 1 - Math.pow(1 + largeRadius * largeRadius / (alpha * alpha), 1 - beta);
        return large / small;
    }

    /**
     * A source's total flux: its standard-aperture flux less {@code backgroundOffset} times the aperture's area,
     * times the correction at its position.
     */
    public double totalFlux(Source s, double backgroundOffset) {
        return (s.flux() - backgroundOffset * Math.PI * smallRadius * smallRadius) * at(s.x(), s.y());
    }

    /** The correction at 0-based pixel (x, y): multiply the standard aperture flux by it. */
    public double at(double x, double y) {
        if (order == 0) {
            return coeffs[0];
        }
        return coeffs[0] + coeffs[1] * sx(x) + coeffs[2] * sy(y);
    }

    private double sx(double x) {
        return 2 * x / (width - 1) - 1;
    }

    private double sy(double y) {
        return 2 * y / (height - 1) - 1;
    }

    /**
     * Measures the correction on {@code exposure} (background subtracted, as {@link CharacterizeResult#exposure()})
     * from the sources flagged {@link SourceFlag#PSF_USED} (isolated, unsaturated stars); both apertures' fluxes have
     * {@code backgroundOffset} ({@link BackgroundOffset}) times their area subtracted first.
     *
     * @throws IllegalArgumentException if fewer than 5 usable stars remain; the message gives the counts
     */
    public static ApertureCorrection measure(MaskedImage exposure, List<Source> sources, PsfModel psf,
                                             double smallRadius, double backgroundOffset, Config config) {
        return measure(exposure, sources, psf, smallRadius, backgroundOffset, config, s -> {
            double[] small = SourceMeasurer.aperture(exposure, s.x(), s.y(), smallRadius);
            return new double[] {small[0], small[2], small[0] - backgroundOffset * Math.PI * smallRadius * smallRadius};
        });
    }

    /**
     * The correction of another flux than the standard aperture's (the PSF flux: {@link PsfFlux#measureAll}), on the
     * same stars: {@code flux} gives a source's {raw flux, flag bits (0: usable), flux with the background offset
     * removed}; a star is used when its raw flux is positive and its flags 0.
     */
    static ApertureCorrection measure(MaskedImage exposure, List<Source> sources, PsfModel psf, double smallRadius,
                                      double backgroundOffset, Config config,
                                      java.util.function.Function<Source, double[]> flux) {
        int w = exposure.width();
        int h = exposure.height();
        double fwhm = psf.fwhmAt(0.5 * (w - 1), 0.5 * (h - 1));
        double large = Math.max(config.radiusFwhm() * fwhm, 1.5 * smallRadius);
        // any other detected source whose centre is within the large aperture plus 2 FWHM puts its light in it
        double isolation = large + 2 * fwhm;
        java.util.Map<Long, List<Source>> grid = new java.util.HashMap<>();
        for (Source s : sources) {
            grid.computeIfAbsent(cell(s.x(), s.y(), isolation), k -> new ArrayList<>()).add(s);
        }
        List<double[]> rows = new ArrayList<>();
        int candidates = 0;
        int crowded = 0;
        for (Source s : sources) {
            if (!s.has(SourceFlag.PSF_USED) || !(s.snr() >= config.minSnr())) {
                continue;
            }
            candidates++;
            if (s.x() < large || s.y() < large || s.x() > w - 1 - large || s.y() > h - 1 - large) {
                continue;
            }
            if (hasNeighbour(grid, s, isolation)) {
                crowded++;
                continue;
            }
            double[] small = flux.apply(s);
            double[] big = SourceMeasurer.aperture(exposure, s.x(), s.y(), large);
            if (small[1] != 0 || big[2] != 0 || !(small[0] > 0) || !(big[0] > 0)) {
                continue;
            }
            double fs = small[2];
            double fb = big[0] - backgroundOffset * Math.PI * large * large;
            rows.add(new double[] {s.x(), s.y(), fb / fs});
        }
        if (rows.size() < 5) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "aperture correction: only %d PSF stars"
                    + " with S/N >= %.0f lie %.1f px inside the CCD with unmasked apertures and no neighbour within"
                    + " %.1f px (of %d PSF stars that bright, %d crowded); lower apCorr minSnr or radiusFwhm",
                    rows.size(), config.minSnr(), large, isolation, candidates, crowded));
        }
        int order = rows.size() >= config.minStarsForPlane() ? 1 : 0;
        boolean[] used = new boolean[rows.size()];
        Arrays.fill(used, true);
        ApertureCorrection fit = null;
        for (int pass = 0; pass < 5; pass++) {
            fit = fitOnce(rows, used, order, w, h, smallRadius, large);
            // clip about the fit at clipSigma x the robust (1.4826 MAD) scatter
            double[] dev = new double[rows.size()];
            int n = 0;
            for (int i = 0; i < rows.size(); i++) {
                if (used[i]) {
                    dev[n++] = Math.abs(rows.get(i)[2] - fit.at(rows.get(i)[0], rows.get(i)[1]));
                }
            }
            double[] d = Arrays.copyOf(dev, n);
            Arrays.sort(d);
            double sigma = 1.4826 * d[n / 2];
            boolean changed = false;
            for (int i = 0; i < rows.size(); i++) {
                boolean keep = Math.abs(rows.get(i)[2] - fit.at(rows.get(i)[0], rows.get(i)[1]))
                        <= config.clipSigma() * sigma;
                changed |= keep != used[i];
                used[i] = keep;
            }
            if (!changed) {
                break;
            }
        }
        return fit;
    }

    private static long cell(double x, double y, double size) {
        return ((long) Math.floor(x / size) << 32) ^ ((long) Math.floor(y / size) & 0xffffffffL);
    }

    private static boolean hasNeighbour(java.util.Map<Long, List<Source>> grid, Source s, double radius) {
        long cx = (long) Math.floor(s.x() / radius);
        long cy = (long) Math.floor(s.y() / radius);
        for (long y = cy - 1; y <= cy + 1; y++) {
            for (long x = cx - 1; x <= cx + 1; x++) {
                for (Source o : grid.getOrDefault((x << 32) ^ (y & 0xffffffffL), List.of())) {
                    if (o.id() != s.id() && Math.hypot(o.x() - s.x(), o.y() - s.y()) < radius) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static ApertureCorrection fitOnce(List<double[]> rows, boolean[] used, int order, int w, int h,
                                              double small, double large) {
        int t = order == 0 ? 1 : 3;
        double[][] ata = new double[t][t];
        double[] atb = new double[t];
        int n = 0;
        ApertureCorrection shape = new ApertureCorrection(order, new double[t], w, h, small, large, 0, 0);
        for (int i = 0; i < rows.size(); i++) {
            if (!used[i]) {
                continue;
            }
            double[] r = rows.get(i);
            double[] f = order == 0 ? new double[] {1} : new double[] {1, shape.sx(r[0]), shape.sy(r[1])};
            for (int a = 0; a < t; a++) {
                atb[a] += f[a] * r[2];
                for (int b = 0; b < t; b++) {
                    ata[a][b] += f[a] * f[b];
                }
            }
            n++;
        }
        double[] c = org.lovoccs.imaging.LinearSystem.solve(ata, atb);
        if (c == null) {
            throw new IllegalArgumentException("aperture correction: the stars do not constrain a plane (all on one"
                    + " line?)");
        }
        ApertureCorrection fit = new ApertureCorrection(order, c, w, h, small, large, n, 0);
        double ss = 0;
        for (int i = 0; i < rows.size(); i++) {
            if (used[i]) {
                double d = rows.get(i)[2] - fit.at(rows.get(i)[0], rows.get(i)[1]);
                ss += d * d;
            }
        }
        return new ApertureCorrection(order, c, w, h, small, large, n, Math.sqrt(ss / Math.max(1, n - t)));
    }
}
