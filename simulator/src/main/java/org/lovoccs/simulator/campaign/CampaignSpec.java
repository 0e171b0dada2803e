package org.lovoccs.simulator.campaign;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Collectors;

import org.lovoccs.imaging.Band;
import org.lovoccs.simulator.DecamCamera;
import org.lovoccs.simulator.DecamCcd;

/**
 * What to simulate for one cluster's observing campaign. Build with {@link #builder(String, double, double)} or one
 * of the presets ({@link Scale}); every setter validates its argument and says what is valid.
 *
 * @param cluster               cluster name (OBJECT, the landing folder)
 * @param raDeg                 cluster centre (X-ray peak) RA, degrees
 * @param decDeg                cluster centre Dec, degrees
 * @param redshift              cluster redshift
 * @param m200Msun              NFW M200 (200 x critical), solar masses
 * @param concentration         NFW concentration c200
 * @param bands                 bands observed, in order
 * @param nights                number of nights
 * @param firstNight            date (UTC) of the first night's evening
 * @param visitsPerBandPerNight science exposures per band per night
 * @param ccds                  CCDNUMs simulated (DECam's 1-62)
 * @param fieldRadiusDeg        radius of the simulated sky around the cluster centre
 * @param galaxiesPerArcmin2    background galaxy density brighter than {@code faintLimitR}
 * @param starsPerDeg2          star density
 * @param faintLimitR           faintest galaxy r magnitude simulated
 * @param ditherArcsec          radius of the dither pattern between visits
 * @param pointingErrorArcsec   rms telescope pointing error per axis
 * @param seeingMinArcsec       best seeing
 * @param seeingMaxArcsec       worst seeing
 * @param zerosPerNight         bias (zero) exposures per night
 * @param flatsPerBandPerNight  dome flats per band per night
 * @param instrumentEffects     simulate the instrument signature (flat, fringe, crosstalk, non-linearity,
 *                              brighter-fatter, defects, cosmic rays, bleed); off gives sky + bias + noise only
 * @param satelliteProbability  probability that a science exposure has a satellite trail
 * @param rice                  write raws fpack-compressed (Rice), as the archive serves them
 * @param seed                  master seed
 * @param firstExpnum           EXPNUM of the first exposure
 */
public record CampaignSpec(String cluster, double raDeg, double decDeg, double redshift, double m200Msun,
                           double concentration, List<Band> bands, int nights, LocalDate firstNight,
                           int visitsPerBandPerNight, List<Integer> ccds, double fieldRadiusDeg,
                           double galaxiesPerArcmin2, double starsPerDeg2, double faintLimitR, double ditherArcsec,
                           double pointingErrorArcsec, double seeingMinArcsec, double seeingMaxArcsec,
                           int zerosPerNight, int flatsPerBandPerNight, boolean instrumentEffects,
                           double satelliteProbability, boolean rice, long seed, int firstExpnum) {

    /** Campaign sizes: a test campaign runs in seconds, the demo in minutes, the full one is a real night's data. */
    public enum Scale {
        /** 2 central CCDs, g and r, one visit each, 2 zeros and 2 flats per band. */
        TEST,
        /** 8 central CCDs, u g r i z, 2 visits per band. */
        DEMO,
        /** all 62 CCDs, u g r i z, 2 nights x 1 visit per band. */
        FULL;

        /** The scale called {@code name} (case-insensitive), or a message listing the valid ones. */
        public static Scale fromName(String name) {
            for (Scale s : values()) {
                if (s.name().equalsIgnoreCase(name)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown campaign scale '" + name + "'; valid scales are test, demo,"
                    + " full");
        }
    }

    public CampaignSpec {
        bands = List.copyOf(bands);
        ccds = List.copyOf(ccds);
    }

    public static Builder builder(String cluster, double raDeg, double decDeg) {
        return new Builder(cluster, raDeg, decDeg);
    }

    /** A preset campaign for {@code scale}. */
    public static Builder preset(Scale scale, String cluster, double raDeg, double decDeg) {
        Builder b = builder(cluster, raDeg, decDeg);
        return switch (scale) {
            case TEST -> b.ccds(List.of(28, 35)).bands(List.of(Band.G, Band.R)).nights(1).visitsPerBandPerNight(1)
                    .zerosPerNight(2).flatsPerBandPerNight(2).fieldRadiusDeg(0.22);
            // the sky reaches as far as its CCDs see: CCD 23's far corner is 0.70 deg from the boresight
            case DEMO -> b.ccds(List.of(22, 23, 28, 29, 34, 35, 41, 42)).nights(1).visitsPerBandPerNight(2)
                    .fieldRadiusToCoverCcds();
            case FULL -> b.ccds(allCcds()).nights(2).visitsPerBandPerNight(1).fieldRadiusDeg(1.25);
        };
    }

    static List<Integer> allCcds() {
        List<Integer> all = new ArrayList<>();
        for (int i = 1; i <= DecamCamera.LAST_SCIENCE_CCD; i++) {
            all.add(i);
        }
        return all;
    }

    /** Focal-plane scale, arcsec per mm. */
    private static final double ARCSEC_PER_MM = DecamCamera.PIXEL_SCALE_ARCSEC / DecamCamera.PIXEL_SIZE_MM;

    /**
     * How far from the cluster centre the sky must be simulated for {@code ccds} to see nothing but simulated sky,
     * degrees: the farthest CCD corner from the boresight, plus the dither radius, three times the pointing error
     * and one arcminute for the focal plane's distortion and the PSF's wings.
     */
    public static double radiusSeenDeg(List<Integer> ccds, double ditherArcsec, double pointingErrorArcsec) {
        DecamCamera camera = DecamCamera.standard();
        double farthestMm = 0;
        for (int n : ccds) {
            DecamCcd c = camera.ccd(n);
            for (double x : new double[] {c.xMinMm(), c.xMaxMm()}) {
                for (double y : new double[] {c.yMinMm(), c.yMaxMm()}) {
                    farthestMm = Math.max(farthestMm, Math.hypot(x, y));
                }
            }
        }
        return (farthestMm * ARCSEC_PER_MM + ditherArcsec + 3 * pointingErrorArcsec + 60.0) / 3600.0;
    }

    /** {@link #radiusSeenDeg(List, double, double)} rounded up to 0.05 deg: the field radius that covers the CCDs. */
    static double coveringRadiusDeg(List<Integer> ccds, double ditherArcsec, double pointingErrorArcsec) {
        return Math.ceil(radiusSeenDeg(ccds, ditherArcsec, pointingErrorArcsec) / 0.05 - 1e-9) * 0.05;
    }

    /** {@link #radiusSeenDeg(List, double, double)} of this campaign. */
    public double radiusSeenDeg() {
        return radiusSeenDeg(ccds, ditherArcsec, pointingErrorArcsec);
    }

    /** The field radius that would cover this campaign's CCDs ({@link #radiusSeenDeg()} rounded up to 0.05 deg). */
    public double coveringRadiusDeg() {
        return coveringRadiusDeg(ccds, ditherArcsec, pointingErrorArcsec);
    }

    /**
     * The fraction of CCD {@code ccd}'s area that may see beyond the simulated sky: points whose distance from the
     * boresight plus the dither radius and three times the pointing error exceeds {@link #fieldRadiusDeg()}. Such
     * parts hold no stars or galaxies, and calibrate may find too few reference stars on the CCD.
     */
    public double fractionBeyondField(int ccd) {
        DecamCcd c = DecamCamera.standard().ccd(ccd);
        double limitMm = (fieldRadiusDeg * 3600.0 - ditherArcsec - 3 * pointingErrorArcsec) / ARCSEC_PER_MM;
        int nx = 32;
        int ny = 64;
        int beyond = 0;
        for (int i = 0; i < nx; i++) {
            double x = c.xMinMm() + (i + 0.5) * (c.xMaxMm() - c.xMinMm()) / nx;
            for (int j = 0; j < ny; j++) {
                double y = c.yMinMm() + (j + 0.5) * (c.yMaxMm() - c.yMinMm()) / ny;
                if (Math.hypot(x, y) > limitMm) {
                    beyond++;
                }
            }
        }
        return beyond / (double) (nx * ny);
    }

    /** Number of science exposures. */
    public int scienceExposures() {
        return nights * bands.size() * visitsPerBandPerNight;
    }

    /** Number of calibration exposures. */
    public int calibrationExposures() {
        return nights * (zerosPerNight + bands.size() * flatsPerBandPerNight);
    }

    /** Validating builder with LoVoCCS-like defaults (A85-like cluster, 1e15 Msun, z = 0.055). */
    public static final class Builder {
        private final String cluster;
        private final double ra;
        private final double dec;
        private double redshift = 0.055;
        private double m200 = 1e15;
        private double concentration = 4.0;
        private List<Band> bands = List.of(Band.U, Band.G, Band.R, Band.I, Band.Z);
        private int nights = 1;
        private LocalDate firstNight = LocalDate.of(2022, 10, 1);
        private int visits = 1;
        private List<Integer> ccds = List.of(28, 35);
        private double fieldRadius = 0.22;
        private boolean fieldRadiusCoversCcds = false;
        private double galaxyDensity = 25.0;
        private double starDensity = 2000.0;
        private double faintLimit = 25.5;
        private double dither = 60.0;
        private double pointingError = 3.0;
        private double seeingMin = 0.8;
        private double seeingMax = 1.6;
        private int zeros = 3;
        private int flats = 3;
        private boolean effects = true;
        private double satellite = 0.0;
        private boolean rice = false;
        private long seed = 1;
        private int firstExpnum = 1_000_001;

        Builder(String cluster, double ra, double dec) {
            if (cluster == null || !cluster.matches("[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}")) {
                throw new IllegalArgumentException("cluster name must be 1-64 letters, digits, '_', '.', '+' or '-'"
                        + " starting with a letter or digit, got '" + cluster + "'");
            }
            if (!(ra >= 0 && ra < 360)) {
                throw new IllegalArgumentException("RA must be in [0, 360) degrees, got " + ra);
            }
            if (!(dec >= -90 && dec <= 30)) {
                throw new IllegalArgumentException("Dec must be in [-90, 30] degrees (observable from CTIO), got "
                        + dec);
            }
            this.cluster = cluster;
            this.ra = ra;
            this.dec = dec;
        }

        public Builder redshift(double z) {
            if (!(z > 0.01 && z < 1.5)) {
                throw new IllegalArgumentException("cluster redshift must be in (0.01, 1.5), got " + z);
            }
            this.redshift = z;
            return this;
        }

        public Builder m200(double msun) {
            if (!(msun >= 1e13 && msun <= 1e16)) {
                throw new IllegalArgumentException("M200 must be in [1e13, 1e16] solar masses, got " + msun);
            }
            this.m200 = msun;
            return this;
        }

        public Builder concentration(double c) {
            if (!(c >= 1 && c <= 20)) {
                throw new IllegalArgumentException("NFW concentration must be in [1, 20], got " + c);
            }
            this.concentration = c;
            return this;
        }

        public Builder bands(List<Band> b) {
            if (b.isEmpty() || new LinkedHashSet<>(b).size() != b.size()) {
                throw new IllegalArgumentException("bands must be non-empty and without repeats; valid bands are "
                        + Band.validNames());
            }
            this.bands = List.copyOf(b);
            return this;
        }

        /** Bands by name, comma separated ("u,g,r,i,z"). */
        public Builder bands(String csv) {
            return bands(parseList(csv).stream().map(Band::fromName).toList());
        }

        public Builder nights(int n) {
            if (n < 1 || n > 30) {
                throw new IllegalArgumentException("nights must be in [1, 30], got " + n);
            }
            this.nights = n;
            return this;
        }

        public Builder firstNight(LocalDate d) {
            this.firstNight = d;
            return this;
        }

        public Builder visitsPerBandPerNight(int v) {
            if (v < 1 || v > 50) {
                throw new IllegalArgumentException("visits per band per night must be in [1, 50], got " + v);
            }
            this.visits = v;
            return this;
        }

        public Builder ccds(List<Integer> c) {
            if (c.isEmpty()) {
                throw new IllegalArgumentException("at least one CCD is needed; DECam's science CCDs are 1-62");
            }
            for (int n : c) {
                if (n < 1 || n > DecamCamera.LAST_SCIENCE_CCD) {
                    throw new IllegalArgumentException("CCD " + n + " is not a DECam science CCD; valid CCDNUMs are"
                            + " 1-62");
                }
            }
            if (new LinkedHashSet<>(c).size() != c.size()) {
                throw new IllegalArgumentException("CCD numbers repeated in " + c);
            }
            this.ccds = List.copyOf(c);
            return this;
        }

        /** CCDs as "1-62", "28,35" or "22-23,28". */
        public Builder ccds(String spec) {
            List<Integer> out = new ArrayList<>();
            for (String part : parseList(spec)) {
                try {
                    if (part.contains("-")) {
                        String[] ab = part.split("-", 2);
                        int lo = Integer.parseInt(ab[0].trim());
                        int hi = Integer.parseInt(ab[1].trim());
                        if (hi < lo) {
                            throw new IllegalArgumentException("CCD range " + part + " is reversed; write low-high");
                        }
                        for (int i = lo; i <= hi; i++) {
                            out.add(i);
                        }
                    } else {
                        out.add(Integer.parseInt(part.trim()));
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("cannot read CCD list '" + spec + "': write numbers 1-62 and"
                            + " ranges like 1-62 or 28,35");
                }
            }
            return ccds(out);
        }

        public Builder fieldRadiusDeg(double r) {
            if (!(r > 0.02 && r <= 2.0)) {
                throw new IllegalArgumentException("field radius must be in (0.02, 2] degrees, got " + r);
            }
            this.fieldRadius = r;
            this.fieldRadiusCoversCcds = false;
            return this;
        }

        /**
         * The field radius is set when the spec is built, to the sky the CCDs see ({@link #radiusSeenDeg(List,
         * double, double)}, rounded up to 0.05 deg), whatever CCDs, dither and pointing error are chosen by then.
         * A later {@link #fieldRadiusDeg(double)} sets it again.
         */
        public Builder fieldRadiusToCoverCcds() {
            this.fieldRadiusCoversCcds = true;
            return this;
        }

        public Builder galaxiesPerArcmin2(double d) {
            if (!(d >= 0 && d <= 200)) {
                throw new IllegalArgumentException("galaxy density must be in [0, 200] per arcmin^2, got " + d);
            }
            this.galaxyDensity = d;
            return this;
        }

        public Builder starsPerDeg2(double d) {
            if (!(d >= 0 && d <= 100_000)) {
                throw new IllegalArgumentException("star density must be in [0, 100000] per deg^2, got " + d);
            }
            this.starDensity = d;
            return this;
        }

        public Builder faintLimitR(double m) {
            if (!(m >= 20 && m <= 28)) {
                throw new IllegalArgumentException("faint limit must be in [20, 28] r mag, got " + m);
            }
            this.faintLimit = m;
            return this;
        }

        public Builder ditherArcsec(double d) {
            if (!(d >= 0 && d <= 3600)) {
                throw new IllegalArgumentException("dither radius must be in [0, 3600] arcsec, got " + d);
            }
            this.dither = d;
            return this;
        }

        public Builder pointingErrorArcsec(double e) {
            if (!(e >= 0 && e <= 60)) {
                throw new IllegalArgumentException("pointing error must be in [0, 60] arcsec rms, got " + e);
            }
            this.pointingError = e;
            return this;
        }

        public Builder seeingArcsec(double min, double max) {
            if (!(min >= 0.4 && max <= 4.0 && min <= max)) {
                throw new IllegalArgumentException("seeing range must lie in [0.4, 4.0] arcsec with min <= max, got "
                        + min + "-" + max);
            }
            this.seeingMin = min;
            this.seeingMax = max;
            return this;
        }

        public Builder zerosPerNight(int n) {
            if (n < 0 || n > 50) {
                throw new IllegalArgumentException("zeros per night must be in [0, 50], got " + n);
            }
            this.zeros = n;
            return this;
        }

        public Builder flatsPerBandPerNight(int n) {
            if (n < 0 || n > 50) {
                throw new IllegalArgumentException("dome flats per band per night must be in [0, 50], got " + n);
            }
            this.flats = n;
            return this;
        }

        public Builder instrumentEffects(boolean on) {
            this.effects = on;
            return this;
        }

        public Builder satelliteProbability(double p) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("satellite probability must be in [0, 1], got " + p);
            }
            this.satellite = p;
            return this;
        }

        public Builder rice(boolean on) {
            this.rice = on;
            return this;
        }

        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        public Builder firstExpnum(int e) {
            if (e < 1) {
                throw new IllegalArgumentException("first EXPNUM must be positive, got " + e);
            }
            this.firstExpnum = e;
            return this;
        }

        public CampaignSpec build() {
            double radius = fieldRadiusCoversCcds ? Math.min(2.0, coveringRadiusDeg(ccds, dither, pointingError))
                    : fieldRadius;
            return new CampaignSpec(cluster, ra, dec, redshift, m200, concentration, bands, nights, firstNight,
                    visits, ccds, radius, galaxyDensity, starDensity, faintLimit, dither, pointingError,
                    seeingMin, seeingMax, zeros, flats, effects, satellite, rice, seed, firstExpnum);
        }

        private static List<String> parseList(String csv) {
            if (csv == null || csv.isBlank()) {
                throw new IllegalArgumentException("empty list");
            }
            return java.util.Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .collect(Collectors.toList());
        }
    }
}
