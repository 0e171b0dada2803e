package org.lovoccs.imaging.quality;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * select_visit over one band's check_visit results: the lensing-quality detectors, in this order of cuts:
 * <ol>
 *   <li>detectors whose centre is farther than {@code maxRadiusDeg} from the cluster's X-ray peak (default 1.5 deg);</li>
 *   <li>detectors failing the {@link QualityCuts} (FWHM, ellipticity);</li>
 *   <li>detectors with fewer reference stars than mean - {@code detectorSigma} sigma over the band's detectors
 *       (default 3), and whole visits with fewer than mean - {@code visitSigma} sigma over its visits (default 2;
 *       SCIENCE.md's reading of the seed's "mu - 2 sigma / mu - 3 sigma"):
 *       too few stars means clouds, a wrong pointing or a failed calibration;</li>
 *   <li>visits left with fewer than {@code minGoodDetectors} good detectors (default 10): all their detectors go.</li>
 * </ol>
 * The kept detectors are what the TAGGED collection {@code DECam/processing/quality_detectors_<band>} holds.
 */
public final class SelectVisit {

    public record Config(double maxRadiusDeg, double detectorSigma, double visitSigma, int minGoodDetectors,
                         QualityCuts cuts) {
        public static Config defaults() {
            return new Config(1.5, 3.0, 2.0, 10, QualityCuts.lovoccs());
        }
    }

    /** One detector's verdict; {@code reason} is empty when kept. */
    public record Decision(CcdQuality ccd, boolean kept, String reason) {
    }

    private SelectVisit() {
    }

    public static List<Decision> select(List<CcdQuality> ccds, double peakRaDeg, double peakDecDeg, Config config) {
        return select(ccds, config.cuts()::failures, peakRaDeg, peakDecDeg, config);
    }

    /**
     * The same, with check_visit's verdict per CCD as check_visit gave it ({@code checkFailures}: why the CCD fails
     * its cuts, empty when it passes) instead of {@link Config#cuts()}; a NaN peak skips the radius cut.
     */
    public static List<Decision> select(List<CcdQuality> ccds, Function<CcdQuality, List<String>> checkFailures,
                                        double peakRaDeg, double peakDecDeg, Config config) {
        Map<CcdQuality, String> dropped = new java.util.IdentityHashMap<>();
        for (CcdQuality q : ccds) {
            double d = Double.isNaN(peakRaDeg) ? 0 : separationDeg(peakRaDeg, peakDecDeg, q.raDeg(), q.decDeg());
            if (d > config.maxRadiusDeg()) {
                dropped.put(q, String.format(Locale.ROOT, "%.2f deg from the X-ray peak (> %.2f)", d,
                        config.maxRadiusDeg()));
                continue;
            }
            List<String> fail = checkFailures.apply(q);
            if (!fail.isEmpty()) {
                dropped.put(q, String.join("; ", fail));
            }
        }
        // reference-star counts: per detector over the band, per visit over its visits
        double[] ms = meanSigma(ccds.stream().mapToDouble(CcdQuality::referenceStars).toArray());
        double detectorFloor = ms[0] - config.detectorSigma() * ms[1];
        Map<Long, Integer> perVisit = new TreeMap<>();
        for (CcdQuality q : ccds) {
            perVisit.merge(q.visit(), q.referenceStars(), Integer::sum);
        }
        double[] mv = meanSigma(perVisit.values().stream().mapToDouble(Integer::doubleValue).toArray());
        double visitFloor = mv[0] - config.visitSigma() * mv[1];
        for (CcdQuality q : ccds) {
            if (dropped.containsKey(q)) {
                continue;
            }
            if (perVisit.size() > 2 && perVisit.get(q.visit()) < visitFloor) {
                dropped.put(q, String.format(Locale.ROOT, "visit has %d reference stars, below mean - %.0f sigma"
                        + " = %.1f", perVisit.get(q.visit()), config.visitSigma(), visitFloor));
            } else if (ccds.size() > 2 && q.referenceStars() < detectorFloor) {
                dropped.put(q, String.format(Locale.ROOT, "%d reference stars, below mean - %.0f sigma = %.1f",
                        q.referenceStars(), config.detectorSigma(), detectorFloor));
            }
        }
        Map<Long, Integer> good = new HashMap<>();
        for (CcdQuality q : ccds) {
            if (!dropped.containsKey(q)) {
                good.merge(q.visit(), 1, Integer::sum);
            }
        }
        List<Decision> out = new ArrayList<>();
        for (CcdQuality q : ccds) {
            String reason = dropped.get(q);
            int g = good.getOrDefault(q.visit(), 0);
            if (reason == null && g < config.minGoodDetectors()) {
                reason = String.format(Locale.ROOT, "visit %d has %d good detectors (fewer than %d)", q.visit(), g,
                        config.minGoodDetectors());
            }
            out.add(new Decision(q, reason == null, reason == null ? "" : reason));
        }
        return out;
    }

    /** Great-circle separation, degrees. */
    static double separationDeg(double ra1, double dec1, double ra2, double dec2) {
        double r = Math.PI / 180;
        double s = Math.sin((dec2 - dec1) * r / 2);
        double t = Math.sin((ra2 - ra1) * r / 2);
        double a = s * s + Math.cos(dec1 * r) * Math.cos(dec2 * r) * t * t;
        return 2 * Math.asin(Math.min(1, Math.sqrt(a))) / r;
    }

    private static double[] meanSigma(double[] v) {
        if (v.length == 0) {
            return new double[] {0, 0};
        }
        double s = 0;
        for (double x : v) {
            s += x;
        }
        double mean = s / v.length;
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        return new double[] {mean, v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0};
    }
}
