package org.lovoccs.imaging.astrometry;

import org.lovoccs.imaging.characterize.Source;
import org.lovoccs.imaging.characterize.SourceFlag;
import org.lovoccs.imaging.wcs.Gnomonic;
import org.lovoccs.imaging.wcs.SkyWcs;
import org.lovoccs.imaging.wcs.TanSipWcs;
import org.lovoccs.imaging.wcs.TanWcs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Astrometric calibration of one CCD: the sources measured on it are matched to an astrometric reference catalogue and
 * a TAN-SIP WCS is fitted to the matches (LSST's {@code AstrometryTask}: matcher, then {@code FitSipDistortionTask}).
 *
 * <p><b>Matching.</b> The raw header's WCS is what the telescope believed (commanded pointing, no distortion): wrong by
 * arcseconds of pointing error, a small rotation, and the optics' distortion, which is nearly a constant shift over one
 * CCD. The brightest sources and the brightest reference stars predicted on the CCD vote, pair by pair, for the pixel
 * offset between them in a histogram of {@code voteBinPixels} bins out to {@code maxOffsetArcsec}, and in a second
 * histogram also for their magnitude difference (the zero point plus the star's colour); true pairs pile up in one
 * block of 2 x 2 bins (the bins are wide enough for the few pixels by which the distortion changes the offset across a
 * CCD) while false pairs spread over the whole square. The block that chance explains worst wins, and it is accepted
 * when at least {@code minVotes} pairs agree and chance alone would fill a block so full with a probability under
 * 1e-3. This tolerates any shift up to {@code maxOffsetArcsec} and rotations up to about voteBinPixels / (CCD
 * half-size) radians (~5 arcmin for DECam), which is what a telescope's pointing model leaves; it does not solve a
 * field blind (a lost-in-space pattern matcher such as Optimistic Pattern Matcher B does that, not needed here).
 *
 * <p><b>Fitting.</b> The first pass fits a linear (TAN) WCS, the later ones the full SIP order. Each pass matches every
 * reference star to the nearest unused source within the match radius (first {@code matchRadiusArcsec}, then a multiple
 * of the previous fit's rms), projects the reference stars on the tangent plane about the CCD centre's sky position,
 * and fits xi(u, v) and eta(u, v), with (u, v) the offset from the CCD centre, as full polynomials of order
 * {@code sipOrder} by weighted linear least squares (each match weighted by 1 / its position error squared: its
 * centroid error in quadrature with {@code floorArcsec}), clipping matches whose residual in units of their own error
 * exceeds {@code clipSigma} times those residuals' rms. The tangent point is moved until the constant terms vanish; the
 * linear terms are then the CD matrix and the higher ones, multiplied by CD^-1, SIP's A and B. So the fit is linear and
 * exact for SIP's model.
 */
public final class AstrometryFitter {

    /**
     * The flags of sources the fit leaves out: cut by the CCD's edge, or with pixels not as exposed (saturated, bad,
     * cosmic ray, interpolated) or no measured shape, whose centroids cannot be trusted.
     */
    public static final int UNUSABLE = SourceFlag.EDGE.bitmask() | SourceFlag.SATURATED.bitmask()
            | SourceFlag.BAD.bitmask() | SourceFlag.CR.bitmask() | SourceFlag.MOMENTS_FAILED.bitmask()
            | SourceFlag.INTERPOLATED.bitmask();
    /** Normalisation of the pixel offsets in the fit, so that the normal equations are well conditioned. */
    private static final double NORM_PX = 1000.0;

    private AstrometryFitter() {
    }

    /**
     * Fits the WCS of a {@code width} x {@code height} CCD.
     *
     * @param sources sources measured on the CCD (0-based pixel centroids); flagged ones (edge, saturated, bad,
     *                cosmic ray, interpolated, failed moments) are not used
     * @param refs    the reference catalogue around the CCD (stars off the CCD are ignored)
     * @param initial the raw header's WCS
     * @throws AstrometryException when too few usable sources or reference stars are on the CCD, no offset gathers
     *                             enough votes, or too few matches remain to fit; the message gives the numbers
     */
    public static AstrometrySolution fit(List<Source> sources, List<ReferenceStar> refs, SkyWcs initial, int width,
                                         int height, AstrometryConfig config) {
        double scale = initial.linear().pixelScaleArcsec();
        List<Integer> usable = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            Source s = sources.get(i);
            if ((s.flags() & UNUSABLE) == 0 && Double.isFinite(s.x()) && Double.isFinite(s.y()) && s.flux() > 0) {
                usable.add(i);
            }
        }
        if (usable.size() < config.minMatches()) {
            throw new AstrometryException(String.format(Locale.ROOT, "only %d usable sources (of %d measured) on the"
                    + " CCD; astrometry needs at least %d: check the detection threshold, or whether the exposure"
                    + " is a science frame with stars", usable.size(), sources.size(), config.minMatches()));
        }
        double margin = config.maxOffsetArcsec() / scale;
        List<double[]> refPix = new ArrayList<>();
        List<ReferenceStar> onCcd = new ArrayList<>();
        for (ReferenceStar r : refs) {
            double[] p = initial.skyToPixel(r.raDeg(), r.decDeg());
            if (p[0] >= -margin && p[0] <= width - 1 + margin && p[1] >= -margin && p[1] <= height - 1 + margin) {
                refPix.add(p);
                onCcd.add(r);
            }
        }
        if (onCcd.size() < config.minMatches()) {
            double[] c = initial.pixelToSky((width - 1) / 2.0, (height - 1) / 2.0);
            throw new AstrometryException(String.format(Locale.ROOT, "only %d of the %d reference stars fall on the"
                    + " CCD (within %.0f\") by its raw WCS, centred at RA %.5f, Dec %.5f; astrometry needs at least"
                    + " %d: is the reference catalogue the one of this field?", onCcd.size(), refs.size(),
                    config.maxOffsetArcsec(), c[0], c[1], config.minMatches()));
        }
        double[] offset = new double[2];
        int votes = vote(sources, usable, onCcd, refPix, margin, config, offset);

        // pass 1 predicts the reference stars by the raw WCS plus the offset; later passes by the fitted WCS
        SkyWcs model = null;
        double radiusPx = config.matchRadiusArcsec() / scale;
        Fit fit = null;
        for (int pass = 0; pass < config.iterations(); pass++) {
            List<double[]> predicted = new ArrayList<>(onCcd.size());
            for (int k = 0; k < onCcd.size(); k++) {
                ReferenceStar r = onCcd.get(k);
                double[] p = model == null ? new double[] {refPix.get(k)[0] + offset[0], refPix.get(k)[1] + offset[1]}
                        : model.skyToPixel(r.raDeg(), r.decDeg());
                predicted.add(p);
            }
            int[] matchOf = match(sources, usable, predicted, radiusPx);
            List<int[]> pairs = new ArrayList<>();
            for (int k = 0; k < matchOf.length; k++) {
                if (matchOf[k] >= 0) {
                    pairs.add(new int[] {matchOf[k], k});
                }
            }
            if (pairs.size() < config.minMatches()) {
                throw new AstrometryException(String.format(Locale.ROOT, "pass %d matched only %d reference stars"
                        + " within %.2f\" (fewest for a fit: %d); the offset found was (%.1f, %.1f) px from %d votes",
                        pass + 1, pairs.size(), radiusPx * scale, config.minMatches(), offset[0], offset[1], votes));
            }
            SkyWcs start = model != null ? model : shifted(initial, offset);
            // the first pass fits a linear WCS: its wide radius admits some false matches, which a SIP polynomial
            // could bend toward; the distortion is fitted once the matches are clean
            fit = fitPolynomial(sources, onCcd, pairs, start, width, height, config,
                    pass == 0 ? Math.min(1, config.sipOrder()) : orderFor(pairs.size(), config.sipOrder()));
            model = fit.wcs;
            radiusPx = Math.max(config.matchSigma() * fit.rmsArcsec, config.minMatchRadiusArcsec()) / scale;
        }
        List<AstrometrySolution.Match> matches = new ArrayList<>();
        for (int m = 0; m < fit.pairs.size(); m++) {
            int[] p = fit.pairs.get(m);
            Source s = sources.get(p[0]);
            matches.add(new AstrometrySolution.Match(p[0], onCcd.get(p[1]), s.x(), s.y(), fit.residualArcsec[m],
                    fit.used[m]));
        }
        return new AstrometrySolution(fit.wcs, List.copyOf(matches), fit.rmsArcsec, offset, votes, fit.nUsed);
    }

    /** Width of the magnitude-offset bins, mag: Gaia's G against a broad band differs by colour, a few tenths. */
    private static final double MAG_BIN = 0.5;

    /**
     * The offset histogram. Every pair of a bright source and a bright reference star votes for its pixel offset
     * (dx, dy) and, when the references have magnitudes, for its magnitude offset dm = -2.5 log10(flux) - m_ref. True
     * pairs share one offset; their dm is the zero point up to each star's colour between the band and the
     * reference's, so dm separates them from false pairs in a band close to the reference's (r, i against Gaia's G)
     * but spreads them over several magnitudes in u (u - G spans ~4 mag over the stellar locus). Both histograms are
     * built, (dx, dy) and (dx, dy, dm), and the peak that chance explains worst wins: its false-alarm probability,
     * the expected number of blocks that chance alone fills with as many votes, is the smaller.
     * Writes the offset into {@code out}, returns the votes for it.
     */
    private static int vote(List<Source> sources, List<Integer> usable, List<ReferenceStar> refs, List<double[]> refPix,
                            double maxOffPx, AstrometryConfig config, double[] out) {
        List<Integer> brightSources = new ArrayList<>(usable);
        brightSources.sort(Comparator.comparingDouble((Integer i) -> -sources.get(i).flux()));
        List<Integer> brightRefs = new ArrayList<>();
        for (int k = 0; k < refs.size(); k++) {
            brightRefs.add(k);
        }
        brightRefs.sort(Comparator.comparingDouble((Integer k) -> Double.isNaN(refs.get(k).mag())
                ? Double.POSITIVE_INFINITY : refs.get(k).mag()));
        int nr = Math.min(config.maxStars(), brightRefs.size());
        int ns = Math.min(config.maxStars(), brightSources.size());
        boolean haveMags = true;
        for (int b = 0; b < nr; b++) {
            haveMags &= Double.isFinite(refs.get(brightRefs.get(b)).mag());
        }
        List<double[]> pairs = new ArrayList<>();   // {dx, dy, dm}
        for (int a = 0; a < ns; a++) {
            Source s = sources.get(brightSources.get(a));
            double inst = -2.5 * Math.log10(s.flux());
            for (int b = 0; b < nr; b++) {
                double[] r = refPix.get(brightRefs.get(b));
                double dx = s.x() - r[0];
                double dy = s.y() - r[1];
                if (Math.abs(dx) <= maxOffPx && Math.abs(dy) <= maxOffPx) {
                    pairs.add(new double[] {dx, dy, haveMags ? inst - refs.get(brightRefs.get(b)).mag() : 0});
                }
            }
        }
        Peak best = peak(pairs, maxOffPx, config.voteBinPixels(), false);
        if (haveMags) {
            Peak withMag = peak(pairs, maxOffPx, config.voteBinPixels(), true);
            if (withMag.log10FalseAlarm < best.log10FalseAlarm) {
                best = withMag;
            }
        }
        int votes = best.dxs.size();
        if (votes < config.minVotes() || best.log10FalseAlarm > LOG10_MAX_FALSE_ALARM) {
            throw new AstrometryException(String.format(Locale.ROOT, "no pointing offset found within %.0f\": the"
                            + " best offset (%.1f, %.1f) px gathered %d of %d x %d source/reference pairs (needed %d"
                            + " votes, and a false-alarm probability under 1e%d: chance alone puts %.2f in a block,"
                            + " and %s in the best of %d blocks); the field may be too sparse, the pointing error"
                            + " larger than maxOffsetArcsec, or the catalogue not of this field",
                    config.maxOffsetArcsec(), best.cx, best.cy, votes, ns, nr, config.minVotes(),
                    (int) LOG10_MAX_FALSE_ALARM, best.chance, probability(best.log10FalseAlarm), best.blocks));
        }
        out[0] = median(best.dxs);
        out[1] = median(best.dys);
        return votes;
    }

    /** Largest false-alarm probability of an accepted offset, log10: one field in a thousand. */
    private static final double LOG10_MAX_FALSE_ALARM = -3.0;

    /** The best block of one histogram: its centre, its pairs' offsets, and how well chance explains it. */
    private record Peak(double cx, double cy, List<Double> dxs, List<Double> dys, double chance, long blocks,
                        double log10FalseAlarm) {
    }

    /**
     * The block of 2 x 2 bins (x 2 in dm when {@code withMag}) that gathers most pairs, so that a peak on a bin edge is
     * not split; the false pairs spread evenly over the (2 maxOff)^2 square (and the range of dm), so each block
     * gathers Poisson(chance) of them, and the false-alarm probability is the number of blocks times
     * P(Poisson(chance) &gt;= votes).
     */
    private static Peak peak(List<double[]> pairs, double maxOffPx, double bin, boolean withMag) {
        double mMin = Double.POSITIVE_INFINITY;
        double mMax = Double.NEGATIVE_INFINITY;
        for (double[] p : pairs) {
            mMin = Math.min(mMin, p[2]);
            mMax = Math.max(mMax, p[2]);
        }
        Map<Long, Integer> hist = new HashMap<>();
        for (double[] p : pairs) {
            long ix = (long) Math.floor((p[0] + maxOffPx) / bin);
            long iy = (long) Math.floor((p[1] + maxOffPx) / bin);
            long im = withMag ? (long) Math.floor((p[2] - mMin) / MAG_BIN) : 0;
            for (long dz = 0; dz <= (withMag ? 1 : 0); dz++) {
                for (long dy = 0; dy <= 1; dy++) {
                    for (long dx = 0; dx <= 1; dx++) {
                        // the block whose lower corner is (ix - dx, iy - dy, im - dz) contains this pair
                        hist.merge(((ix - dx) & 0xfffff) << 40 | ((iy - dy) & 0xfffff) << 20 | ((im - dz) & 0xfffff),
                                1, Integer::sum);
                    }
                }
            }
        }
        long bestKey = 0;
        int most = -1;
        for (var e : hist.entrySet()) {
            // ties go to the smaller key, so that the result does not depend on the map's iteration order
            if (e.getValue() > most || e.getValue() == most && e.getKey() < bestKey) {
                most = e.getValue();
                bestKey = e.getKey();
            }
        }
        double cx = (((bestKey >> 40) & 0xfffff) + 1) * bin - maxOffPx;
        double cy = (((bestKey >> 20) & 0xfffff) + 1) * bin - maxOffPx;
        double cm = ((bestKey & 0xfffff) + 1) * MAG_BIN + mMin;
        List<Double> dxs = new ArrayList<>();
        List<Double> dys = new ArrayList<>();
        for (double[] p : pairs) {
            if (Math.abs(p[0] - cx) <= bin && Math.abs(p[1] - cy) <= bin
                    && (!withMag || Math.abs(p[2] - cm) <= MAG_BIN)) {
                dxs.add(p[0]);
                dys.add(p[1]);
            }
        }
        double magShare = withMag ? Math.min(1.0, 2 * MAG_BIN / Math.max(2 * MAG_BIN, mMax - mMin)) : 1.0;
        double chance = pairs.size() * (4 * bin * bin) / (4 * maxOffPx * maxOffPx) * magShare;
        long side = Math.max(1, Math.round(2 * maxOffPx / bin));
        long blocks = side * side * (withMag ? Math.max(1, Math.round((mMax - mMin) / MAG_BIN)) : 1);
        double log10FalseAlarm = Math.log10(blocks) + log10PoissonTail(dxs.size(), chance);
        return new Peak(cx, cy, dxs, dys, chance, blocks, log10FalseAlarm);
    }

    /** log10 P(X &gt;= k) for X ~ Poisson(lambda); -infinity when it is 0. */
    static double log10PoissonTail(int k, double lambda) {
        if (k <= 0) {
            return 0.0;
        }
        if (!(lambda > 0)) {
            return Double.NEGATIVE_INFINITY;
        }
        if (k <= lambda) {
            // the tail holds at least about half of the mass: sum the head instead
            double head = 0;
            double term = Math.exp(-lambda);
            for (int j = 0; j < k; j++) {
                head += term;
                term *= lambda / (j + 1);
            }
            return Math.log10(Math.max(1.0 - head, Double.MIN_NORMAL));
        }
        // the terms fall from j = k on, by at least lambda / (k + 1) each: sum them relative to the first
        double logFirst = -lambda + k * Math.log(lambda) - logFactorial(k);
        double sum = 0;
        double ratio = 1;
        for (int j = k; j < k + 1000 && ratio > 1e-17 * sum; j++) {
            sum += ratio;
            ratio *= lambda / (j + 1);
        }
        return (logFirst + Math.log(sum)) / Math.log(10);
    }

    private static double logFactorial(int n) {
        double s = 0;
        for (int i = 2; i <= n; i++) {
            s += Math.log(i);
        }
        return s;
    }

    /** A probability from its log10, for messages. */
    private static String probability(double log10) {
        return log10 == Double.NEGATIVE_INFINITY ? "0" : String.format(Locale.ROOT, "%.1e", Math.pow(10, log10));
    }

    private static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = a.length;
        return n % 2 == 1 ? a[n / 2] : 0.5 * (a[n / 2 - 1] + a[n / 2]);
    }

    /** For each predicted reference position, the index of the nearest usable source within r (one-to-one), or -1. */
    private static int[] match(List<Source> sources, List<Integer> usable, List<double[]> predicted, double r) {
        Map<Long, List<Integer>> grid = new HashMap<>();
        for (int i : usable) {
            Source s = sources.get(i);
            grid.computeIfAbsent(cell(s.x(), s.y(), r), k -> new ArrayList<>()).add(i);
        }
        int[] matchOf = new int[predicted.size()];
        double[] dist = new double[predicted.size()];
        Arrays.fill(matchOf, -1);
        Map<Integer, Integer> claimedBy = new HashMap<>();
        for (int k = 0; k < predicted.size(); k++) {
            double[] p = predicted.get(k);
            if (!Double.isFinite(p[0]) || !Double.isFinite(p[1])) {
                continue;
            }
            long cx = (long) Math.floor(p[0] / r);
            long cy = (long) Math.floor(p[1] / r);
            double bestD = r;
            int bestI = -1;
            for (long y = cy - 1; y <= cy + 1; y++) {
                for (long x = cx - 1; x <= cx + 1; x++) {
                    for (int i : grid.getOrDefault(key(x, y), List.of())) {
                        Source s = sources.get(i);
                        double d = Math.hypot(s.x() - p[0], s.y() - p[1]);
                        if (d < bestD) {
                            bestD = d;
                            bestI = i;
                        }
                    }
                }
            }
            if (bestI < 0) {
                continue;
            }
            Integer other = claimedBy.get(bestI);
            if (other != null) {
                if (dist[other] <= bestD) {
                    continue;
                }
                matchOf[other] = -1;
            }
            claimedBy.put(bestI, k);
            matchOf[k] = bestI;
            dist[k] = bestD;
        }
        return matchOf;
    }

    private static long cell(double x, double y, double r) {
        return key((long) Math.floor(x / r), (long) Math.floor(y / r));
    }

    private static long key(long x, long y) {
        return (x << 32) ^ (y & 0xffffffffL);
    }

    /** The raw WCS with its reference pixel moved by the offset: the first pass's model for the tangent point. */
    private static SkyWcs shifted(SkyWcs initial, double[] offset) {
        return initial.linear().shiftedOrigin(-offset[0], -offset[1]);
    }

    private record Fit(SkyWcs wcs, List<int[]> pairs, double[] residualArcsec, boolean[] used, int nUsed,
                       double rmsArcsec) {
    }

    /** Least-squares TAN-SIP fit with clipping; see the class comment. */
    private static Fit fitPolynomial(List<Source> sources, List<ReferenceStar> refs, List<int[]> pairs, SkyWcs start,
                                     int width, int height, AstrometryConfig config, int order) {
        int n = pairs.size();
        double crpix1 = (width + 1) / 2.0;
        double crpix2 = (height + 1) / 2.0;
        double[] u = new double[n];
        double[] v = new double[n];
        for (int m = 0; m < n; m++) {
            Source s = sources.get(pairs.get(m)[0]);
            u[m] = s.x() + 1 - crpix1;
            v[m] = s.y() + 1 - crpix2;
        }
        double[] crval = start.pixelToSky(crpix1 - 1, crpix2 - 1);
        double[] sigma = positionErrors(sources, pairs, start.linear().pixelScaleArcsec(), config.floorArcsec());
        double[] weight = new double[n];
        for (int m = 0; m < n; m++) {
            weight[m] = 1.0 / (sigma[m] * sigma[m]);
        }
        boolean[] used = new boolean[n];
        Arrays.fill(used, true);
        double[][] coeff = null;
        double rms = Double.NaN;
        double[] xi = new double[n];
        double[] eta = new double[n];
        double[] res = new double[n];
        for (int clip = 0; clip < 10; clip++) {
            // move the tangent point until the fit's constant terms vanish (they do after 2-3 rounds)
            for (int round = 0; round < 6; round++) {
                project(refs, pairs, crval, xi, eta);
                coeff = solve(u, v, xi, eta, used, weight, order);
                double c0 = coeff[0][0];
                double d0 = coeff[1][0];
                if (Math.hypot(c0, d0) < 1e-12) {
                    break;
                }
                crval = Gnomonic.toSky(crval[0], crval[1], c0 * 3600.0, d0 * 3600.0);
            }
            // residuals, arcsec, on the tangent plane; and in units of each match's own position error
            double sum = 0;
            double chi2 = 0;
            int nUsed = 0;
            for (int m = 0; m < n; m++) {
                double px = evaluate(coeff[0], u[m], v[m], order);
                double py = evaluate(coeff[1], u[m], v[m], order);
                res[m] = Math.hypot(px - xi[m], py - eta[m]) * 3600.0;
                if (used[m]) {
                    sum += res[m] * res[m];
                    chi2 += res[m] * res[m] * weight[m];
                    nUsed++;
                }
            }
            rms = Math.sqrt(sum / nUsed);
            // the normalised residuals' rms is of the 2-D distance, sqrt(2) x the per-axis one (1 when the errors are
            // right); a good match's exceeds 3 x that rms (4.2 sigma, Rayleigh-distributed) with probability
            // exp(-9) ~ 1e-4. A faint star is judged against its own error, not the bright stars' scatter.
            double limit = config.clipSigma() * Math.sqrt(chi2 / nUsed);
            boolean changed = false;
            int stillUsed = 0;
            for (int m = 0; m < n; m++) {
                boolean keep = res[m] / sigma[m] <= limit;
                if (keep != used[m]) {
                    changed = true;
                }
                used[m] = keep;
                if (keep) {
                    stillUsed++;
                }
            }
            if (stillUsed < config.minMatches()) {
                throw new AstrometryException(String.format(Locale.ROOT, "clipping at %.1f rms left %d of %d matches"
                        + " (fewest for a fit: %d); residual rms %.3f\"", config.clipSigma(), stillUsed, n,
                        config.minMatches(), rms));
            }
            if (!changed) {
                break;
            }
        }
        SkyWcs wcs = toWcs(coeff, crval, crpix1, crpix2, order);
        int nUsed = 0;
        for (boolean b : used) {
            nUsed += b ? 1 : 0;
        }
        return new Fit(wcs, pairs, res.clone(), used.clone(), nUsed, rms);
    }

    private static void project(List<ReferenceStar> refs, List<int[]> pairs, double[] crval, double[] xi,
                                double[] eta) {
        double[] t = new double[2];
        for (int m = 0; m < pairs.size(); m++) {
            ReferenceStar r = refs.get(pairs.get(m)[1]);
            Gnomonic.toTangentRadians(crval[0], crval[1], r.raDeg(), r.decDeg(), t);
            xi[m] = Math.toDegrees(t[0]);
            eta[m] = Math.toDegrees(t[1]);
        }
    }

    /**
     * The highest polynomial order up to {@code max} that {@code matches} constrain with at least two matches per
     * coefficient: a sparse field (a few dozen reference stars on a CCD at high latitude) gets a lower-order WCS
     * rather than none.
     */
    static int orderFor(int matches, int max) {
        int order = max;
        while (order > 1 && matches < 2 * terms(order)) {
            order--;
        }
        return order;
    }

    /** Number of monomials u^p v^q with p + q <= order. */
    private static int terms(int order) {
        return (order + 1) * (order + 2) / 2;
    }

    /** The monomials in a fixed order: by total degree, then decreasing power of u (index 0 is the constant). */
    private static void monomials(double u, double v, int order, double[] out) {
        int k = 0;
        for (int d = 0; d <= order; d++) {
            for (int q = 0; q <= d; q++) {
                out[k++] = Math.pow(u, d - q) * Math.pow(v, q);
            }
        }
    }

    private static double evaluate(double[] c, double u, double v, int order) {
        double[] mono = new double[terms(order)];
        monomials(u, v, order, mono);
        double s = 0;
        for (int k = 0; k < mono.length; k++) {
            s += c[k] * mono[k];
        }
        return s;
    }

    /** Coefficients (in unnormalised pixel units) of xi and eta by least squares over the used matches. */
    /**
     * Each match's per-axis position error, arcsec: the source's centroid error, sqrt(2) x its rms size / (S/N) as for
     * a background-limited Gaussian, in quadrature with {@code floor}. A source without a usable size or flux error
     * gets the median centroid error of the others.
     */
    private static double[] positionErrors(List<Source> sources, List<int[]> pairs, double scaleArcsec, double floor) {
        int n = pairs.size();
        double[] centroid = new double[n];
        List<Double> known = new ArrayList<>();
        for (int m = 0; m < n; m++) {
            Source s = sources.get(pairs.get(m)[0]);
            double size = Math.sqrt(0.5 * (s.ixx() + s.iyy()));
            double e = scaleArcsec * Math.sqrt(2.0) * size * s.fluxErr() / s.flux();
            centroid[m] = Double.isFinite(e) && e > 0 ? e : Double.NaN;
            if (!Double.isNaN(centroid[m])) {
                known.add(centroid[m]);
            }
        }
        double fill = known.isEmpty() ? 0.0 : median(known);
        double[] sigma = new double[n];
        for (int m = 0; m < n; m++) {
            double c = Double.isNaN(centroid[m]) ? fill : centroid[m];
            sigma[m] = Math.sqrt(c * c + floor * floor);
        }
        return sigma;
    }

    private static double[][] solve(double[] u, double[] v, double[] xi, double[] eta, boolean[] used,
                                    double[] weight, int order) {
        int t = terms(order);
        double[][] ata = new double[t][t];
        double[] atx = new double[t];
        double[] ate = new double[t];
        double[] mono = new double[t];
        for (int m = 0; m < u.length; m++) {
            if (!used[m]) {
                continue;
            }
            monomials(u[m] / NORM_PX, v[m] / NORM_PX, order, mono);
            double wm = weight[m];
            for (int a = 0; a < t; a++) {
                atx[a] += wm * mono[a] * xi[m];
                ate[a] += wm * mono[a] * eta[m];
                for (int b = 0; b < t; b++) {
                    ata[a][b] += wm * mono[a] * mono[b];
                }
            }
        }
        double[] cx = Cholesky.solve(ata, atx);
        double[] ce = Cholesky.solve(ata, ate);
        // undo the normalisation: a term of total degree d was fitted in (u / NORM)^d
        int k = 0;
        for (int d = 0; d <= order; d++) {
            double f = Math.pow(NORM_PX, -d);
            for (int q = 0; q <= d; q++) {
                cx[k] *= f;
                ce[k] *= f;
                k++;
            }
        }
        return new double[][] {cx, ce};
    }

    /** CD from the linear terms, SIP A/B = CD^-1 x the higher terms. */
    private static SkyWcs toWcs(double[][] c, double[] crval, double crpix1, double crpix2, int order) {
        // linear terms: index 1 is u, index 2 is v
        double cd11 = c[0][1];
        double cd12 = c[0][2];
        double cd21 = c[1][1];
        double cd22 = c[1][2];
        TanWcs tan = new TanWcs(crval[0], crval[1], crpix1, crpix2, cd11, cd12, cd21, cd22);
        if (order < 2) {
            return tan;
        }
        double det = cd11 * cd22 - cd12 * cd21;
        double[][] a = new double[order + 1][order + 1];
        double[][] b = new double[order + 1][order + 1];
        int k = 0;
        for (int d = 0; d <= order; d++) {
            for (int q = 0; q <= d; q++) {
                int p = d - q;
                if (d >= 2) {
                    a[p][q] = (cd22 * c[0][k] - cd12 * c[1][k]) / det;
                    b[p][q] = (-cd21 * c[0][k] + cd11 * c[1][k]) / det;
                }
                k++;
            }
        }
        return new TanSipWcs(tan, a, b);
    }
}
