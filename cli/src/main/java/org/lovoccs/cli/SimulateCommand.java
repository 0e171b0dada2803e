package org.lovoccs.cli;

import org.lovoccs.simulator.CtioSite;
import org.lovoccs.simulator.ExposureSpec;
import org.lovoccs.simulator.RawDamage;
import org.lovoccs.simulator.RawExposureSimulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** {@code ./lovoccs simulate}: writes DECam-format raws of a small campaign with the simulator. */
final class SimulateCommand {
    static final String USAGE = """
            usage: lovoccs simulate --out DIR [--cluster A85] [--exposures 3] [--ccds 1,2,3,4] [--bands r,g,i]
                                    [--first-expnum 900001] [--seed 1] [--ra 10.4583] [--dec -9.3031]
                                    [--seeing 1.0] [--sky 2000] [--stars 60] [--night 2022-10-01T00:00:00Z]
                                    [--with-damaged]
              writes one multi-extension raw per exposure (bands cycle over --bands) as
              DIR/c4d_<expnum>_<band>_ori.fits; --with-damaged adds a truncated copy of the last one.
              CCD numbers are DECam's 1-62.
            """;

    static int run(String[] a) {
        if (Arrays.asList(a).contains("--help")) {
            System.out.print(USAGE);
            return 0;
        }
        String cluster = Main.option(a, "--cluster", "A85");
        int exposures = Integer.parseInt(Main.option(a, "--exposures", "3"));
        List<Integer> ccds = Arrays.stream(Main.option(a, "--ccds", "1,2,3,4").split(",")).map(String::trim)
                .map(Integer::parseInt).toList();
        String[] bands = Main.option(a, "--bands", "r,g,i").split(",");
        int first = Integer.parseInt(Main.option(a, "--first-expnum", "900001"));
        long seed = Long.parseLong(Main.option(a, "--seed", "1"));
        double ra = Double.parseDouble(Main.option(a, "--ra", "10.4583"));
        double dec = Double.parseDouble(Main.option(a, "--dec", "-9.3031"));
        double seeing = Double.parseDouble(Main.option(a, "--seeing", "1.0"));
        double sky = Double.parseDouble(Main.option(a, "--sky", "2000"));
        int stars = Integer.parseInt(Main.option(a, "--stars", "60"));
        Path out = Path.of(Main.option(a, "--out", null));
        boolean damaged = Arrays.asList(a).contains("--with-damaged");
        RawExposureSimulator sim = new RawExposureSimulator();
        // start the night at the field's transit over CTIO, so the airmass is realistic
        Instant start = CtioSite.nextTransit(ra, Instant.parse(Main.option(a, "--night", "2022-10-01T00:00:00Z")));
        try {
            Files.createDirectories(out);
            Path last = null;
            for (int i = 0; i < exposures; i++) {
                String band = bands[i % bands.length].trim();
                ExposureSpec spec = new ExposureSpec(cluster, first + i, band, start.plus(Duration.ofMinutes(5L * i)),
                        90.0, ra, dec, seeing, sky, stars, seed * 1000 + i);
                Path f = out.resolve(String.format("c4d_%d_%s_ori.fits", first + i, band));
                long t0 = System.nanoTime();
                sim.write(spec, ccds, f);
                System.out.printf("wrote %s: exposure %d, band %s, CCDs %s (%.1f s, %d MB)%n", f, first + i, band,
                        ccds, (System.nanoTime() - t0) / 1e9, Files.size(f) >> 20);
                last = f;
            }
            if (damaged && last != null) {
                Path bad = out.resolve(last.getFileName().toString().replace("_ori.fits", "_truncated.fits"));
                Files.write(bad, RawDamage.truncate(Files.readAllBytes(last), 0.6));
                System.out.printf("wrote %s: a truncated copy (ingestion must quarantine it)%n", bad);
            }
            return 0;
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage());
        } catch (IOException e) {
            throw new Main.CliException("cannot write the campaign to " + out + ": " + e.getMessage());
        }
    }

    private SimulateCommand() {
    }
}
