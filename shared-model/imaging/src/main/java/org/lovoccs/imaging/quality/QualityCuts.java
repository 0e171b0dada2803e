package org.lovoccs.imaging.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The LoVoCCS lensing-quality cuts of check_visit (LoVoCCS I, Fu et al. 2022): FWHM &lt; 6.4 px (1.68") and
 * ellipticity &lt; 0.33, tighter in r (the lensing band): FWHM &lt; 4.4 px (1.15") and ellipticity &lt; 0.13. Values per
 * band override the defaults.
 */
public record QualityCuts(double maxFwhmPixels, double maxEllipticity, Map<String, Double> maxFwhmByBand,
                          Map<String, Double> maxEllipticityByBand, int minStarsFitted) {

    public static QualityCuts lovoccs() {
        return new QualityCuts(6.4, 0.33, Map.of("r", 4.4), Map.of("r", 0.13), 3);
    }

    public double maxFwhm(String band) {
        return maxFwhmByBand.getOrDefault(band, maxFwhmPixels);
    }

    public double maxEllipticity(String band) {
        return maxEllipticityByBand.getOrDefault(band, maxEllipticity);
    }

    /** Why the CCD fails the cuts; empty when it passes. */
    public List<String> failures(CcdQuality q) {
        List<String> out = new ArrayList<>();
        if (q.starsFitted() < minStarsFitted) {
            out.add(String.format(Locale.ROOT, "%d reference stars fitted (fewer than %d)", q.starsFitted(),
                    minStarsFitted));
            return out;
        }
        if (!(q.fwhmPixels() < maxFwhm(q.band()))) {
            out.add(String.format(Locale.ROOT, "FWHM %.2f px >= %.1f px (%s)", q.fwhmPixels(), maxFwhm(q.band()),
                    q.band()));
        }
        if (!(q.ellipticity() < maxEllipticity(q.band()))) {
            out.add(String.format(Locale.ROOT, "ellipticity %.3f >= %.2f (%s)", q.ellipticity(),
                    maxEllipticity(q.band()), q.band()));
        }
        return out;
    }
}
