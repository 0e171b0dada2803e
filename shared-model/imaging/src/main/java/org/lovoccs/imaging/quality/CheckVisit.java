package org.lovoccs.imaging.quality;

import org.lovoccs.imaging.MaskedImage;
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
     * @param stars      0-based pixel positions of the reference stars matched on it
     * @param fwhmGuess  starting FWHM for the fits (e.g. the PSF model's), pixels
     */
    public static CcdQuality measure(long visit, int detector, String band, MaskedImage calexp, SkyWcs wcs,
                                     List<double[]> stars, int referenceStars, double fwhmGuess) {
        int half = (int) Math.max(8, Math.ceil(3 * fwhmGuess));
        List<Double> fwhm = new ArrayList<>();
        List<Double> e1 = new ArrayList<>();
        List<Double> e2 = new ArrayList<>();
        for (double[] s : stars) {
            MoffatFit f = MoffatFitter.fit(calexp, s[0], s[1], half, fwhmGuess);
            if (f == null || !f.converged() || Math.hypot(f.x() - s[0], f.y() - s[1]) > 2) {
                continue;
            }
            fwhm.add(f.fwhm());
            e1.add(f.e1());
            e2.add(f.e2());
        }
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
        return new CcdQuality(visit, detector, band, median(fwhm), Math.hypot(median(e1), median(e2)), fwhm.size(),
                referenceStars, c[0], c[1], corners);
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
