package org.lovoccs.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;

import org.lovoccs.objectstore.ObjectStore;
import org.lovoccs.simulator.RawDamage;
import org.lovoccs.simulator.campaign.CampaignManifest;
import org.lovoccs.simulator.campaign.CampaignSpec;
import org.lovoccs.simulator.campaign.CampaignWriter;
import org.lovoccs.simulator.campaign.WrittenFile;

/** {@code ./lovoccs simulate}: writes (and optionally lands) a simulated DECam campaign of one cluster. */
final class SimulateCommand {
    static final String USAGE = """
            usage: lovoccs simulate --out DIR [--scale test|demo|full] [--cluster A85] [--ra 10.4583]
                                    [--dec -9.3031] [--z 0.055] [--m200 1e15] [--concentration 4]
                                    [--bands u,g,r,i,z] [--nights N] [--visits N] [--ccds 28,35|1-62]
                                    [--night 2022-10-01] [--field-radius DEG] [--galaxy-density PER_ARCMIN2]
                                    [--star-density PER_DEG2] [--faint-limit RMAG] [--dither ARCSEC]
                                    [--pointing-error ARCSEC] [--seeing 0.8-1.6] [--zeros N] [--flats N]
                                    [--satellite-probability P] [--no-instrument] [--fpack] [--seed N]
                                    [--first-expnum N] [--with-damaged]
                                    [--land [--cadence SECONDS] [--land-calibs]]
              Writes a campaign of one cluster: raws (DIR/raw/<night>/c4d_*_ori.fits[.fz]), calibration
              exposures (DIR/calib/<night>/), reference catalogues (DIR/refcats/), truth tables (DIR/truth/)
              and DIR/campaign.json. The scale presets set CCDs, bands, visits and field size (test: 2 CCDs, g r;
              demo: 8 CCDs, ugriz x 2; full: 62 CCDs, ugriz, 2 nights); explicit options override them.
              The demo's sky reaches as far as its CCDs see (farthest corner + dither + pointing error); a
              --field-radius that leaves a CCD partly outside the simulated sky is warned about.
              --land puts each science raw into s3://$LOVOCCS_LANDING_BUCKET/<cluster>/ as soon as it is
              written, at most one every --cadence seconds (default 0); --land-calibs lands zeros and flats too.
              --with-damaged also writes (and lands) a truncated copy of the first raw and one without GAINA.
            """;

    static int run(String[] a) {
        if (Arrays.asList(a).contains("--help")) {
            System.out.print(USAGE);
            return 0;
        }
        String outOption = Main.optional(a, "--out");
        if (outOption == null) {
            throw new Main.UsageException("simulate needs --out DIR\n" + USAGE);
        }
        Path out = Path.of(outOption);
        CampaignSpec spec;
        try {
            spec = spec(a);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage());
        }
        warnOfSkyBeyondField(spec);
        boolean land = Arrays.asList(a).contains("--land");
        boolean landCalibs = Arrays.asList(a).contains("--land-calibs");
        double cadence = number(a, "--cadence", "0");
        Lander lander = land ? new Lander(spec.cluster(), cadence, landCalibs) : null;
        System.out.printf("simulating %s: %d science + %d calibration exposures x %d CCDs, bands %s, seed %d -> %s%n",
                spec.cluster(), spec.scienceExposures(), spec.calibrationExposures(), spec.ccds().size(),
                spec.bands().stream().map(b -> b.bandName()).toList(), spec.seed(), out);
        try {
            Files.createDirectories(out);
            CampaignManifest manifest = new CampaignWriter(spec).write(out, f -> {
                System.out.printf("  %-8s %s (%.1f s, %.1f MB)%n", f.kind().label(), out.relativize(f.path()),
                        f.seconds(), f.bytes() / 1e6);
                if (lander != null) {
                    lander.accept(f);
                }
            });
            if (Arrays.asList(a).contains("--with-damaged")) {
                writeDamaged(manifest, out, lander);
            }
            System.out.printf("done: %d files, %.1f GB in %.0f s; manifest %s%n", manifest.files().size(),
                    manifest.totalBytes() / 1e9, manifest.seconds(), out.resolve(CampaignWriter.MANIFEST));
            return 0;
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage());
        } catch (IOException e) {
            throw new Main.CliException("cannot write the campaign to " + out + ": " + e.getMessage());
        }
    }

    /**
     * Warns of CCDs that see, in part, beyond the simulated sky (5% of their area or more): calibrate may fail
     * there for want of reference stars, which is the simulation's doing, not the pipeline's. (At 1% the test
     * preset's own CCDs, whose corners its 60" dither may take 1.1% past 0.22 deg, were warned about on every run.)
     */
    static void warnOfSkyBeyondField(CampaignSpec spec) {
        List<String> beyond = new java.util.ArrayList<>();
        for (int ccd : spec.ccds()) {
            double f = spec.fractionBeyondField(ccd);
            if (f >= 0.05) {
                beyond.add(String.format("%d (%.0f%%)", ccd, 100 * f));
            }
        }
        if (!beyond.isEmpty()) {
            System.err.printf("warning: CCD(s) %s of their area may see beyond the simulated sky (%.2f deg around"
                    + " %s, with a %.0f\" dither): no stars or galaxies there, and calibrate may find too few"
                    + " reference stars. To simulate all they see: --field-radius %.2f%n", String.join(", ", beyond),
                    spec.fieldRadiusDeg(), spec.cluster(), spec.ditherArcsec(), spec.coveringRadiusDeg());
        }
    }

    static CampaignSpec spec(String[] a) {
        String cluster = Main.option(a, "--cluster", "A85");
        double ra = number(a, "--ra", "10.4583");
        double dec = number(a, "--dec", "-9.3031");
        CampaignSpec.Builder b = CampaignSpec.preset(CampaignSpec.Scale.fromName(Main.option(a, "--scale", "test")),
                cluster, ra, dec);
        b.redshift(number(a, "--z", "0.055")).m200(number(a, "--m200", "1e15"))
                .concentration(number(a, "--concentration", "4"));
        String v;
        if ((v = Main.optional(a, "--bands")) != null) {
            b.bands(v);
        }
        if ((v = Main.optional(a, "--nights")) != null) {
            b.nights(integer("--nights", v));
        }
        if ((v = Main.optional(a, "--visits")) != null) {
            b.visitsPerBandPerNight(integer("--visits", v));
        }
        if ((v = Main.optional(a, "--ccds")) != null) {
            b.ccds(v);
        }
        if ((v = Main.optional(a, "--night")) != null) {
            try {
                b.firstNight(LocalDate.parse(v.length() > 10 ? v.substring(0, 10) : v));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--night must be a date like 2022-10-01, got '" + v + "'");
            }
        }
        if ((v = Main.optional(a, "--field-radius")) != null) {
            b.fieldRadiusDeg(number("--field-radius", v));
        }
        if ((v = Main.optional(a, "--galaxy-density")) != null) {
            b.galaxiesPerArcmin2(number("--galaxy-density", v));
        }
        if ((v = Main.optional(a, "--star-density")) != null) {
            b.starsPerDeg2(number("--star-density", v));
        }
        if ((v = Main.optional(a, "--faint-limit")) != null) {
            b.faintLimitR(number("--faint-limit", v));
        }
        if ((v = Main.optional(a, "--dither")) != null) {
            b.ditherArcsec(number("--dither", v));
        }
        if ((v = Main.optional(a, "--pointing-error")) != null) {
            b.pointingErrorArcsec(number("--pointing-error", v));
        }
        if ((v = Main.optional(a, "--seeing")) != null) {
            String[] mm = v.split("-", 2);
            double lo = number("--seeing", mm[0]);
            b.seeingArcsec(lo, mm.length > 1 ? number("--seeing", mm[1]) : lo);
        }
        if ((v = Main.optional(a, "--zeros")) != null) {
            b.zerosPerNight(integer("--zeros", v));
        }
        if ((v = Main.optional(a, "--flats")) != null) {
            b.flatsPerBandPerNight(integer("--flats", v));
        }
        if ((v = Main.optional(a, "--satellite-probability")) != null) {
            b.satelliteProbability(number("--satellite-probability", v));
        }
        if ((v = Main.optional(a, "--seed")) != null) {
            b.seed(Long.parseLong(v));
        }
        if ((v = Main.optional(a, "--first-expnum")) != null) {
            b.firstExpnum(integer("--first-expnum", v));
        }
        b.instrumentEffects(!Arrays.asList(a).contains("--no-instrument"));
        b.rice(Arrays.asList(a).contains("--fpack"));
        return b.build();
    }

    private static void writeDamaged(CampaignManifest manifest, Path out, Lander lander) throws IOException {
        WrittenFile first = manifest.files().stream().filter(f -> f.kind() == WrittenFile.Kind.SCIENCE_RAW)
                .findFirst().orElseThrow(() -> new Main.CliException("no science raw to damage"));
        byte[] bytes = Files.readAllBytes(first.path());
        Path dir = out.resolve("damaged");
        Files.createDirectories(dir);
        String name = first.path().getFileName().toString();
        Path truncated = dir.resolve(name.replace("_ori.fits", "_truncated.fits"));
        Files.write(truncated, RawDamage.truncate(bytes, 0.6));
        Path headerless = dir.resolve(name.replace("_ori.fits", "_nogaina.fits"));
        Files.write(headerless, RawDamage.withoutKeyword(bytes, 2, "GAINA"));
        for (Path p : List.of(truncated, headerless)) {
            System.out.printf("  damaged  %s (ingestion must quarantine it)%n", out.relativize(p));
            if (lander != null) {
                lander.land(p);
            }
        }
    }

    private static double number(String[] a, String name, String def) {
        return number(name, Main.option(a, name, def));
    }

    private static double number(String name, String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got '" + v + "'");
        }
    }

    private static int integer(String name, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + v + "'");
        }
    }

    /** Lands raws in the landing bucket as they are written, no faster than the cadence. */
    static final class Lander {
        private final String cluster;
        private final long cadenceNanos;
        private final boolean calibs;
        private final ObjectStore store;
        private final String bucket;
        private long last = Long.MIN_VALUE;

        Lander(String cluster, double cadenceSeconds, boolean calibs) {
            if (!(cadenceSeconds >= 0)) {
                throw new Main.UsageException("--cadence must be >= 0 seconds");
            }
            this.cluster = cluster;
            this.cadenceNanos = (long) (cadenceSeconds * 1e9);
            this.calibs = calibs;
            this.store = ObjectStore.fromEnvironment();
            this.bucket = System.getenv().getOrDefault("LOVOCCS_LANDING_BUCKET", "lovoccs-landing");
            store.ensureBucket(bucket);
        }

        void accept(WrittenFile f) {
            if (f.kind() == WrittenFile.Kind.SCIENCE_RAW || (calibs && f.kind() == WrittenFile.Kind.CALIBRATION_RAW)) {
                land(f.path());
            }
        }

        void land(Path p) {
            if (last != Long.MIN_VALUE) {
                long wait = last + cadenceNanos - System.nanoTime();
                if (wait > 0) {
                    try {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new Main.CliException("interrupted while landing");
                    }
                }
            }
            String key = cluster + "/" + p.getFileName();
            store.put(bucket, key, p, "application/fits");
            last = System.nanoTime();
            System.out.printf("  landed   s3://%s/%s%n", bucket, key);
        }
    }

    private SimulateCommand() {
    }
}
