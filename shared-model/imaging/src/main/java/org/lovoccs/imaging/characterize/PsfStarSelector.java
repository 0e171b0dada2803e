package org.lovoccs.imaging.characterize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses PSF stars from a measured catalogue, like LSST's objectSize selector and PSFEx's: unflagged (no EDGE,
 * SATURATED, INTERPOLATED, BAD, CR, MOMENTS_FAILED or DEBLENDED), aperture S/N above {@link PsfConfig#minSnr()}, a
 * kernel and a half away from the CCD's edges, no other source within {@link PsfConfig#isolationRadius()}, and on the
 * stellar locus of size: the densest value of ln(Ixx + Iyy) (the count within &plusmn;{@code sizeClip} of each star's
 * own, largest count wins) then &plusmn;{@code sizeClip} about the median of those, so galaxies (larger) and
 * cosmic rays (smaller) fall out. The brightest {@link PsfConfig#maxStars()} are kept.
 */
public final class PsfStarSelector {

    private static final int REJECT = SourceFlag.EDGE.bitmask() | SourceFlag.SATURATED.bitmask()
            | SourceFlag.INTERPOLATED.bitmask() | SourceFlag.BAD.bitmask() | SourceFlag.CR.bitmask()
            | SourceFlag.MOMENTS_FAILED.bitmask() | SourceFlag.DEBLENDED.bitmask();

    private PsfStarSelector() {
    }

    public static List<Source> select(SourceCatalog catalog, int width, int height, PsfConfig config) {
        double margin = 1.5 * config.kernelSize();
        List<Source> all = catalog.sources();
        Source[] byX = all.toArray(new Source[0]);
        Arrays.sort(byX, Comparator.comparingDouble(Source::x));
        double[] xs = new double[byX.length];
        for (int i = 0; i < byX.length; i++) {
            xs[i] = byX[i].x();
        }
        List<Source> cands = new ArrayList<>();
        for (Source s : all) {
            if ((s.flags() & REJECT) != 0 || !(s.snr() > config.minSnr()) || !(s.ixx() + s.iyy() > 0)) {
                continue;
            }
            if (s.x() < margin || s.y() < margin || s.x() > width - 1 - margin || s.y() > height - 1 - margin) {
                continue;
            }
            if (!isolated(s, byX, xs, config.isolationRadius())) {
                continue;
            }
            cands.add(s);
        }
        if (cands.isEmpty()) {
            return List.of();
        }
        double[] lnT = new double[cands.size()];
        for (int i = 0; i < lnT.length; i++) {
            lnT[i] = Math.log(cands.get(i).ixx() + cands.get(i).iyy());
        }
        double[] sorted = lnT.clone();
        Arrays.sort(sorted);
        double clip = config.sizeClip();
        int bestCount = -1;
        double centre = sorted[0];
        for (int i = 0, lo = 0, hi = 0; i < sorted.length; i++) {
            while (sorted[lo] < sorted[i] - clip) {
                lo++;
            }
            while (hi < sorted.length && sorted[hi] <= sorted[i] + clip) {
                hi++;
            }
            if (hi - lo > bestCount) {
                bestCount = hi - lo;
                centre = sorted[i];
            }
        }
        // refine the centre as the median of the cluster
        List<Double> in = new ArrayList<>();
        for (double v : lnT) {
            if (Math.abs(v - centre) <= clip) {
                in.add(v);
            }
        }
        in.sort(null);
        centre = in.get(in.size() / 2);
        List<Source> stars = new ArrayList<>();
        for (int i = 0; i < lnT.length; i++) {
            if (Math.abs(lnT[i] - centre) <= clip) {
                stars.add(cands.get(i));
            }
        }
        stars.sort(Comparator.comparingDouble(Source::snr).reversed());
        return stars.size() > config.maxStars() ? List.copyOf(stars.subList(0, config.maxStars())) : List.copyOf(stars);
    }

    private static boolean isolated(Source s, Source[] byX, double[] xs, double radius) {
        int i = Arrays.binarySearch(xs, s.x() - radius);
        if (i < 0) {
            i = -i - 1;
        }
        for (; i < xs.length && xs[i] <= s.x() + radius; i++) {
            Source o = byX[i];
            if (o.id() != s.id() && Math.hypot(o.x() - s.x(), o.y() - s.y()) < radius) {
                return false;
            }
        }
        return true;
    }
}
