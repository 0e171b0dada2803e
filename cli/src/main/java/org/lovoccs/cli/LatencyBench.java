package org.lovoccs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.lovoccs.events.EventCodec;
import org.lovoccs.objectstore.ObjectStore;
import org.lovoccs.simulator.CtioSite;
import org.lovoccs.simulator.ExposureSpec;
import org.lovoccs.simulator.RawExposureSimulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./lovoccs bench-latency}: end-to-end latency from landing to postISRCCD through the running
 * services. Raws are simulated first (not timed), then landed as fast as the store takes them; a raw's
 * latency is the time from the end of its upload to the registry's record of its last isr quantum.
 */
final class LatencyBench {
    static int run(Main main, String[] a) {
        int raws = Integer.parseInt(Main.option(a, "--raws", "1"));
        List<Integer> ccds = Arrays.stream(Main.option(a, "--ccds", "1").split(",")).map(Integer::parseInt).toList();
        String cluster = Main.option(a, "--cluster", "BENCH" + Long.toString(System.currentTimeMillis(), 36).toUpperCase());
        int first = (int) (System.currentTimeMillis() / 1000 % 20_000_000) * 10 + 300_000_000;
        RawExposureSimulator sim = new RawExposureSimulator();
        Instant night = CtioSite.nextTransit(10.4583, Instant.parse("2022-10-01T00:00:00Z"));
        List<byte[]> files = new ArrayList<>();
        try {
            for (int i = 0; i < raws; i++) {
                files.add(sim.toBytes(new ExposureSpec(cluster, first + i, "r", night.plusSeconds(120L * i), 90,
                        10.4583, -9.3031, 1.0, 2000, 40, i), ccds));
            }
        } catch (java.io.IOException e) {
            throw new Main.CliException("simulation failed: " + e.getMessage());
        }
        System.out.printf("simulated %d raws of %d CCD(s) for %s; landing them%n", raws, ccds.size(), cluster);
        ObjectStore store = ObjectStore.fromEnvironment();
        String bucket = System.getenv().getOrDefault("LOVOCCS_LANDING_BUCKET", "lovoccs-landing");
        Map<Long, Long> landedAt = new HashMap<>();
        for (int i = 0; i < raws; i++) {
            store.put(bucket, cluster + "/c4d_" + (first + i) + "_ori.fits", files.get(i), "application/fits", Map.of());
            landedAt.put((long) (first + i), System.currentTimeMillis());
        }
        main.waitFor(cluster, raws * ccds.size(), 1800);
        JsonNode quanta = main.getJson("/clusters/" + cluster + "/quanta");
        Map<Long, Long> lastFinished = new HashMap<>();
        for (JsonNode q : quanta) {
            try {
                long exposure = EventCodec.JSON.readTree(q.path("dataId").asText()).path("exposure").asLong();
                long fin = Instant.parse(q.path("finishedAt").asText()).toEpochMilli();
                lastFinished.merge(exposure, fin, Math::max);
            } catch (Exception e) {
                throw new Main.CliException("unreadable quantum record " + q + ": " + e);
            }
        }
        double[] lat = landedAt.entrySet().stream().mapToDouble(e -> (lastFinished.get(e.getKey()) - e.getValue()) / 1000.0)
                .sorted().toArray();
        long firstLand = landedAt.values().stream().mapToLong(Long::longValue).min().orElseThrow();
        long lastDone = lastFinished.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        System.out.printf("landing -> postISRCCD recorded, %d raws x %d CCD: median %.2f s, p95 %.2f s, max %.2f s;"
                        + " all done %.1f s after the first landing (%.2f CCD/s)%n", raws, ccds.size(),
                pct(lat, 50), pct(lat, 95), lat[lat.length - 1], (lastDone - firstLand) / 1000.0,
                raws * ccds.size() / ((lastDone - firstLand) / 1000.0));
        return 0;
    }

    static double pct(double[] sorted, double p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private LatencyBench() {
    }
}
