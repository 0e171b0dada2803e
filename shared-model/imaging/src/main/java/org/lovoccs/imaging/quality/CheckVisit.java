package org.lovoccs.imaging.quality;

import org.lovoccs.imaging.MaskedImage;
import org.lovoccs.imaging.astrometry.ReferenceStar;
import org.lovoccs.imaging.characterize.Source;
import org.lovoccs.imaging.characterize.SourceCatalog;
import org.lovoccs.imaging.characterize.SourceFlag;
import org.lovoccs.imaging.wcs.SkyWcs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * check_visit on one calibrated CCD: an elliptical Moffat ({@link MoffatFitter}) fitted to each reference star on it
 * (the astrometric matches: stars by the reference catalogue, not by a size cut that would bias the seeing), keeping
 * converged fits; the CCD's FWHM is their median and its ellipticity the modulus of their median (e1, e2).
 */
public final class CheckVisit {

    private CheckVisit() {
    }

    /**
     * @param calexp     the calibrated, background-subtracted exposure
     * @param wcs        its WCS
     * @param stars      the reference stars matched on it: 0-based pixel position and, optionally, S/N (weighs
     *                   its shape; without it, all weigh the same)
     * @param fwhmGuess  starting FWHM for the fits (e.g. the PSF model's), pixels
     */
    public static CcdQuality measure(long visit, int detector, String band, MaskedImage calexp, SkyWcs wcs,
                                     List<double[]> stars, int referenceStars, double fwhmGuess) {
        return measure(visit, detector, band, calexp, wcs, stars, referenceStars, fwhmGuess, 0);
    }

    /** The same with the calexp's residual sky level ({@code BKGOFFS}) taken off before the fits. */
    public static CcdQuality measure(long visit, int detector, String band, MaskedImage calexp, SkyWcs wcs,
                                     List<double[]> stars, int referenceStars, double fwhmGuess,
                                     double backgroundOffset) {
        int half = (int) Math.max(8, Math.ceil(3 * fwhmGuess));
        List<Double> fwhm = new ArrayList<>();
        List<Double> e1 = new ArrayList<>();
        List<Double> e2 = new ArrayList<>();
        List<Double> weight = new ArrayList<>();
        for (double[] s : stars) {
            MoffatFit f = MoffatFitter.fit(calexp, s[0], s[1], half, fwhmGuess, backgroundOffset);
            if (f == null || !f.converged() || Math.hypot(f.x() - s[0], f.y() - s[1]) > 2) {
                continue;
            }
            fwhm.add(f.fwhm());
            e1.add(f.e1());
            e2.add(f.e2());
            double snr = s.length > 2 && s[2] > 0 ? Math.min(s[2], SHAPE_WEIGHT_MAX_SNR) : 1;
            weight.add(snr * snr);
        }
        double[] e = meanShape(e1, e2, weight);
        int w = calexp.width();
        int h = calexp.height();
        double[] c = wcs.pixelToSky(0.5 * (w - 1), 0.5 * (h - 1));
        double[] corners = new double[8];
        double[][] px = {{0, 0}, {w - 1, 0}, {w - 1, h - 1}, {0, h - 1}};
        for (int k = 0; k < 4; k++) {
            double[] s = wcs.pixelToSky(px[k][0], px[k][1]);
            corners[2 * k] = s[0];
            corners[2 * k + 1] = s[1];
        }
        return new CcdQuality(visit, detector, band, median(fwhm), Math.hypot(e[0], e[1]), fwhm.size(),
                referenceStars, c[0], c[1], corners);
    }

    /**
     * Stars brighter than this S/N weigh as much as one at it in the CCD's ellipticity: a shape's noise falls as
     * 1/(S/N), but a few very bright stars, the most broadened by brighter-fatter, would otherwise decide alone.
     */
    static final double SHAPE_WEIGHT_MAX_SNR = 1000;

    /**
     * The CCD's ellipticity (e1, e2): the mean of the stars' shapes weighted by (S/N)^2 (capped), after leaving out
     * the stars more than 4 robust sigmas (1.4826 MAD) from the median in e1 or e2. The median of the shapes, as
     * before, gave every star the same say: the faint stars' noise put single CCDs 0.003 from the truth, and on a
     * synthetic CCD of 28 stars of S/N 30-600 its error was 1.9 times this mean's (CheckSelectVisitTest).
     */
    static double[] meanShape(List<Double> e1, List<Double> e2, List<Double> weight) {
        if (e1.isEmpty()) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double m1 = median(e1);
        double m2 = median(e2);
        double s1 = 1.4826 * median(e1.stream().map(v -> Math.abs(v - m1)).toList());
        double s2 = 1.4826 * median(e2.stream().map(v -> Math.abs(v - m2)).toList());
        double sw = 0;
        double se1 = 0;
        double se2 = 0;
        for (int i = 0; i < e1.size(); i++) {
            if (Math.abs(e1.get(i) - m1) > 4 * s1 && s1 > 0 || Math.abs(e2.get(i) - m2) > 4 * s2 && s2 > 0) {
                continue;
            }
            sw += weight.get(i);
            se1 += weight.get(i) * e1.get(i);
            se2 += weight.get(i) * e2.get(i);
        }
        return sw > 0 ? new double[] {se1 / sw, se2 / sw} : new double[] {m1, m2};
    }

    /** The reference stars found on a CCD: how many matched a detection, and the isolated bright ones to fit. */
    public record ReferenceStars(int matched, List<double[]> toFit) {
    }

    /**
     * The reference stars on a calibrated CCD: each catalogue star is put on the CCD through the fitted WCS and
     * matched to the nearest detection within {@code matchRadiusPx}. A matched star is fitted when its detection is
     * clean (not saturated, interpolated, at an edge, a cosmic ray or a deblended child), has S/N at least
     * {@code minSnr}, lies {@code marginPx} inside the CCD, and has no other detection within {@code isolationPx}.
     * The stars returned are the detections' centroids, 0-based pixels, and their S/N: {x, y, snr}.
     */
    public static ReferenceStars referenceStars(List<ReferenceStar> catalogue, SourceCatalog detections, SkyWcs wcs,
                                                int width, int height, double matchRadiusPx, double minSnr,
                                                double isolationPx, double marginPx) {
        List<Source> src = detections.sources();
        int n = src.size();
        // detections in cells of isolationPx (at least the match radius), for the neighbour searches
        double cell = Math.max(isolationPx, matchRadiusPx);
        int nx = Math.max(1, (int) Math.ceil(width / cell));
        int ny = Math.max(1, (int) Math.ceil(height / cell));
        List<List<Integer>> grid = new ArrayList<>(nx * ny);
        for (int i = 0; i < nx * ny; i++) {
            grid.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            Source s = src.get(i);
            int cx = Math.min(nx - 1, Math.max(0, (int) (s.x() / cell)));
            int cy = Math.min(ny - 1, Math.max(0, (int) (s.y() / cell)));
            grid.get(cy * nx + cx).add(i);
        }
        int bad = SourceFlag.SATURATED.bitmask() | SourceFlag.INTERPOLATED.bitmask() | SourceFlag.EDGE.bitmask()
                | SourceFlag.BAD.bitmask() | SourceFlag.CR.bitmask() | SourceFlag.DEBLENDED.bitmask()
                | SourceFlag.MOMENTS_FAILED.bitmask();
        int matched = 0;
        java.util.Set<Integer> used = new java.util.HashSet<>();
        List<double[]> toFit = new ArrayList<>();
        for (ReferenceStar r : catalogue) {
            double[] p = wcs.skyToPixel(r.raDeg(), r.decDeg());
            if (!(p[0] >= -0.5 && p[0] <= width - 0.5 && p[1] >= -0.5 && p[1] <= height - 0.5)) {
                continue;
            }
            int nearest = -1;
            double best = matchRadiusPx;
            int isolated = 0;
            int cx = (int) (p[0] / cell);
            int cy = (int) (p[1] / cell);
            for (int gy = Math.max(0, cy - 1); gy <= Math.min(ny - 1, cy + 1); gy++) {
                for (int gx = Math.max(0, cx - 1); gx <= Math.min(nx - 1, cx + 1); gx++) {
                    for (int i : grid.get(gy * nx + gx)) {
                        double d = Math.hypot(src.get(i).x() - p[0], src.get(i).y() - p[1]);
                        if (d <= best) {
                            best = d;
                            nearest = i;
                        }
                        if (d <= isolationPx + matchRadiusPx) {
                            isolated++;
                        }
                    }
                }
            }
            if (nearest < 0 || !used.add(nearest)) {
                continue;
            }
            matched++;
            Source s = src.get(nearest);
            boolean alone = true;
            if (isolated > 1) {
                for (int gy = Math.max(0, cy - 1); gy <= Math.min(ny - 1, cy + 1) && alone; gy++) {
                    for (int gx = Math.max(0, cx - 1); gx <= Math.min(nx - 1, cx + 1) && alone; gx++) {
                        for (int i : grid.get(gy * nx + gx)) {
                            if (i != nearest && Math.hypot(src.get(i).x() - s.x(), src.get(i).y() - s.y())
                                    < isolationPx) {
                                alone = false;
                                break;
                            }
                        }
                    }
                }
            }
            if (alone && (s.flags() & bad) == 0 && s.snr() >= minSnr && s.x() >= marginPx
                    && s.x() <= width - 1 - marginPx && s.y() >= marginPx && s.y() <= height - 1 - marginPx) {
                toFit.add(new double[] {s.x(), s.y(), s.snr()});
            }
        }
        return new ReferenceStars(matched, toFit);
    }

    static double median(List<Double> v) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        int n = a.length;
        return n % 2 == 1 ? a[n / 2] : 0.5 * (a[n / 2 - 1] + a[n / 2]);
    }
}
