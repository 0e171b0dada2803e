package org.lovoccs.imaging.photometry;

import org.lovoccs.imaging.characterize.ApertureCorrection;
import org.lovoccs.imaging.characterize.Source;
import org.lovoccs.imaging.characterize.SourceFlag;
import org.lovoccs.imaging.wcs.Gnomonic;
import org.lovoccs.imaging.wcs.SkyWcs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The photometric zero point of one CCD from its stars matched to the band's reference catalogue (LSST's
 * {@code PhotoCalTask}): each unflagged source at S/N above {@code minSnr} is matched by its fitted-WCS position to the
 * nearest reference star within {@code matchRadiusArcsec}; each match whose reference magnitude lies in
 * [{@code minRefMag}, {@code maxRefMag}] gives ZP_i = m_ref + 2.5 log10((F_i - offset x area) apcorr(x, y) / exptime),
 * with the background offset of {@link org.lovoccs.imaging.characterize.BackgroundOffset}; the zero point is
 * their weighted mean (weights 1 / (sigma_ref^2 + sigma_inst^2)), clipped at {@code clipSigma} about the median. No
 * colour term: the reference catalogue must be in the instrument's band (the configuration names the catalogue per
 * band, "process_ccd sdss,u").
 */
public final class PhotoCalibrator {

    /**
     * @param matchRadiusArcsec  match radius, arcsec
     * @param minSnr             least S/N of a source used
     * @param minRefMag          brightest reference magnitude used (brighter saturates or is non-linear)
     * @param maxRefMag          faintest reference magnitude used
     * @param clipSigma          clipping, in units of each star's own error
     * @param minStars           fewest stars for a zero point
     */
    public record Config(double matchRadiusArcsec, double minSnr, double minRefMag, double maxRefMag,
                         double clipSigma, int minStars) {
        public static Config defaults() {
            return new Config(0.5, 20.0, 15.0, 21.0, 3.0, 5);
        }
    }

    private static final int UNUSABLE = SourceFlag.EDGE.bitmask() | SourceFlag.SATURATED.bitmask()
            | SourceFlag.BAD.bitmask() | SourceFlag.CR.bitmask() | SourceFlag.DEBLENDED.bitmask()
            | SourceFlag.INTERPOLATED.bitmask();

    private PhotoCalibrator() {
    }

    /**
     * @throws IllegalArgumentException when fewer than {@code minStars} usable matches remain; the message gives the
     *                                  counts at each cut so the user sees which one to relax
     */
    public static PhotoCalibration fit(List<Source> sources, ApertureCorrection apCorr, double backgroundOffset,
                                       SkyWcs wcs, List<PhotometricReference> refs, double exptime, Config config) {
        if (!(exptime > 0)) {
            throw new IllegalArgumentException("exposure time must be > 0 s for a zero point, got " + exptime);
        }
        double r = config.matchRadiusArcsec();
        Map<Long, List<PhotometricReference>> grid = new HashMap<>();
        double[] centre = wcs.pixelToSky(0, 0);
        for (PhotometricReference ref : refs) {
            double[] t = Gnomonic.toTangent(centre[0], centre[1], ref.raDeg(), ref.decDeg());
            grid.computeIfAbsent(key(t[0], t[1], r), k -> new ArrayList<>()).add(ref);
        }
        int bright = 0;
        List<double[]> zp = new ArrayList<>();   // {zp, sigma}
        int matched = 0;
        for (Source s : sources) {
            if ((s.flags() & UNUSABLE) != 0 || !(s.snr() >= config.minSnr()) || !(s.flux() > 0)) {
                continue;
            }
            bright++;
            double[] sky = wcs.pixelToSky(s.x(), s.y());
            double[] t = Gnomonic.toTangent(centre[0], centre[1], sky[0], sky[1]);
            PhotometricReference best = null;
            double bestD = r;
            long cx = (long) Math.floor(t[0] / r);
            long cy = (long) Math.floor(t[1] / r);
            for (long y = cy - 1; y <= cy + 1; y++) {
                for (long x = cx - 1; x <= cx + 1; x++) {
                    for (PhotometricReference ref : grid.getOrDefault(pack(x, y), List.of())) {
                        double[] u = Gnomonic.toTangent(centre[0], centre[1], ref.raDeg(), ref.decDeg());
                        double d = Math.hypot(u[0] - t[0], u[1] - t[1]);
                        if (d < bestD) {
                            bestD = d;
                            best = ref;
                        }
                    }
                }
            }
            if (best == null) {
                continue;
            }
            matched++;
            if (best.mag() < config.minRefMag() || best.mag() > config.maxRefMag() || !(best.magErr() > 0)) {
                continue;
            }
            double total = apCorr.totalFlux(s, backgroundOffset);
            if (!(total > 0)) {
                continue;
            }
            double instErr = 2.5 / Math.log(10) * s.fluxErr() * apCorr.at(s.x(), s.y()) / total;
            zp.add(new double[] {best.mag() + 2.5 * Math.log10(total / exptime),
                    Math.hypot(best.magErr(), instErr)});
        }
        if (zp.size() < config.minStars()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "photometric calibration: %d sources at"
                    + " S/N >= %.0f, %d matched within %.2f\" to the %d reference stars, %d with reference magnitude"
                    + " in [%.1f, %.1f]; at least %d needed: check the band's reference catalogue and the WCS",
                    bright, config.minSnr(), matched, r, refs.size(), zp.size(), config.minRefMag(),
                    config.maxRefMag(), config.minStars()));
        }
        boolean[] used = new boolean[zp.size()];
        Arrays.fill(used, true);
        double mean = Double.NaN;
        double err = Double.NaN;
        int n = 0;
        double rms = Double.NaN;
        for (int pass = 0; pass < 10; pass++) {
            double[] kept = new double[zp.size()];
            int k = 0;
            for (int i = 0; i < zp.size(); i++) {
                if (used[i]) {
                    kept[k++] = zp.get(i)[0];
                }
            }
            double[] sorted = Arrays.copyOf(kept, k);
            Arrays.sort(sorted);
            double median = k % 2 == 1 ? sorted[k / 2] : 0.5 * (sorted[k / 2 - 1] + sorted[k / 2]);
            double sw = 0;
            double swz = 0;
            for (int i = 0; i < zp.size(); i++) {
                if (used[i]) {
                    double wgt = 1 / (zp.get(i)[1] * zp.get(i)[1]);
                    sw += wgt;
                    swz += wgt * zp.get(i)[0];
                }
            }
            mean = swz / sw;
            double chi2 = 0;
            double ss = 0;
            n = 0;
            for (int i = 0; i < zp.size(); i++) {
                if (used[i]) {
                    double d = zp.get(i)[0] - mean;
                    chi2 += d * d / (zp.get(i)[1] * zp.get(i)[1]);
                    ss += d * d;
                    n++;
                }
            }
            rms = Math.sqrt(ss / n);
            double scale = n > 1 ? Math.max(1.0, Math.sqrt(chi2 / (n - 1))) : 1.0;
            err = scale / Math.sqrt(sw);
            boolean changed = false;
            for (int i = 0; i < zp.size(); i++) {
                boolean keep = Math.abs(zp.get(i)[0] - median) <= config.clipSigma() * scale * zp.get(i)[1];
                changed |= keep != used[i];
                used[i] = keep;
            }
            if (!changed) {
                break;
            }
        }
        return new PhotoCalibration(mean, err, exptime, matched, n, rms);
    }

    private static long key(double xArcsec, double yArcsec, double r) {
        return pack((long) Math.floor(xArcsec / r), (long) Math.floor(yArcsec / r));
    }

    private static long pack(long x, long y) {
        return (x << 32) ^ (y & 0xffffffffL);
    }
}
