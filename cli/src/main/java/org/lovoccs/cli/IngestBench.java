package org.lovoccs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.lovoccs.events.EventCodec;
import org.lovoccs.objectstore.ObjectStore;
import org.lovoccs.simulator.CtioSite;
import org.lovoccs.simulator.ExposureSpec;
import org.lovoccs.simulator.RawExposureSimulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./lovoccs bench-ingest}: the ingest rate through the running services. Multi-CCD raws are simulated first
 * (not timed), then landed in one burst; the registry is polled until every CCD of every raw is a registered
 * {@code raw} dataset (they are staged in a bucket nobody watches first and copied server-side into landing, so
 * the client's upload speed is not what is measured). A raw counts as ingested when the last of its CCDs is registered, so the figures cover the
 * watcher's poll, check_raws over every HDU, the server-side copy into the repository, the {@code raw.ingested}
 * event and the registry's insert. The orchestrator starts ISR on the raws as they are registered, so the isr
 * service competes for the same cores: that is the system as it runs, not ingestion alone.
 */
final class IngestBench {
    private static final long POLL_MS = 200;

    static int run(Main main, String[] a) {
        int raws = Integer.parseInt(Main.option(a, "--raws", "20"));
        List<Integer> ccds = Arrays.stream(Main.option(a, "--ccds", "1,2,3,4,5,6,7,8").split(","))
                .map(String::trim).map(Integer::parseInt).toList();
        int timeout = Integer.parseInt(Main.option(a, "--timeout", "1800"));
        String keep = Main.optional(a, "--keep");
        if (raws < 1 || ccds.isEmpty()) {
            throw new Main.UsageException("bench-ingest needs --raws >= 1 and at least one CCD in --ccds");
        }
        String cluster = Main.option(a, "--cluster", "INGEST" + Long.toString(System.currentTimeMillis(), 36)
                .toUpperCase());
        int first = (int) (System.currentTimeMillis() / 1000 % 20_000_000) * 10 + 300_000_000;
        RawExposureSimulator sim = new RawExposureSimulator();
        Instant night = CtioSite.nextTransit(10.4583, Instant.parse("2022-10-01T00:00:00Z"));
        List<byte[]> files = new ArrayList<>();
        long bytes = 0;
        System.out.printf("simulating %d raws of %d CCD(s) each (not timed)%n", raws, ccds.size());
        try {
            for (int i = 0; i < raws; i++) {
                byte[] f = sim.toBytes(new ExposureSpec(cluster, first + i, "r", night.plusSeconds(120L * i), 90,
                        10.4583, -9.3031, 1.0, 2000, 40, i), ccds);
                files.add(f);
                bytes += f.length;
                if (keep != null) {
                    Path dir = Path.of(keep);
                    Files.createDirectories(dir);
                    Files.write(dir.resolve("c4d_" + (first + i) + "_ori.fits"), f);
                }
            }
        } catch (IOException e) {
            throw new Main.CliException("simulation failed: " + e.getMessage());
        }
        double mb = bytes / 1e6;
        ObjectStore store = ObjectStore.fromEnvironment();
        String bucket = System.getenv().getOrDefault("LOVOCCS_LANDING_BUCKET", "lovoccs-landing");
        // staged first in a bucket nobody watches, then copied server-side into landing in one burst: the upload's
        // own speed (the client's network or disk) is not the ingest rate
        String staging = "lovoccs-bench-staging";
        store.ensureBucket(staging);
        long s0 = System.currentTimeMillis();
        for (int i = 0; i < raws; i++) {
            store.put(staging, cluster + "/c4d_" + (first + i) + "_ori.fits", files.get(i), "application/fits", Map.of());
        }
        files.clear();
        System.out.printf("staged %d raws (%.1f MB) in s3://%s/%s/ in %.1f s (not timed)%n", raws, mb, staging,
                cluster, (System.currentTimeMillis() - s0) / 1000.0);
        Map<Long, Long> landedAt = new HashMap<>();
        long t0 = System.currentTimeMillis();
        for (int i = 0; i < raws; i++) {
            String key = cluster + "/c4d_" + (first + i) + "_ori.fits";
            store.copy(staging, key, bucket, key);
            landedAt.put((long) (first + i), System.currentTimeMillis());
        }
        long landed = System.currentTimeMillis();
        System.out.printf("landed %d raws in s3://%s/%s/ (server-side copies) in %.1f s; waiting for the registry%n",
                raws, bucket, cluster, (landed - t0) / 1000.0);
        Map<Long, Long> ingestedAt = new HashMap<>();
        long deadline = t0 + timeout * 1000L;
        int lastShown = -1;
        String lastError = null;
        while (ingestedAt.size() < raws) {
            JsonNode ds = null;
            try {
                ds = main.getJson("/clusters/" + Main.enc(cluster) + "/datasets?datasetType=raw");
            } catch (Main.CliException e) {
                lastError = e.getMessage(); // the cluster is unknown until its first raw is registered
            }
            long now = System.currentTimeMillis();
            Map<Long, Integer> perExposure = new HashMap<>();
            if (ds != null && ds.isArray()) {
                for (JsonNode d : ds) {
                    perExposure.merge(exposureOf(d), 1, Integer::sum);
                }
            }
            perExposure.forEach((exp, n) -> {
                if (n >= ccds.size()) {
                    ingestedAt.putIfAbsent(exp, now);
                }
            });
            if (ingestedAt.size() != lastShown) {
                lastShown = ingestedAt.size();
                System.out.printf("  %5.1f s: %d of %d raws registered%n", (now - t0) / 1000.0, lastShown, raws);
            }
            if (now > deadline) {
                throw new Main.CliException("timed out after " + timeout + " s with " + ingestedAt.size() + " of "
                        + raws + " raws of " + cluster + " registered; see './lovoccs status " + cluster
                        + "' (quarantine) and .lovoccs/logs/ingestion.log"
                        + (lastError == null ? "" : "; the registry last said: " + lastError));
            }
            sleepQuietly(POLL_MS);
        }
        double[] lat = landedAt.entrySet().stream()
                .mapToDouble(e -> (ingestedAt.get(e.getKey()) - e.getValue()) / 1000.0).sorted().toArray();
        long last = ingestedAt.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        double wall = (last - t0) / 1000.0;
        System.out.printf("ingested %d raws x %d CCDs (%.1f MB) in %.1f s from the first landing: %.2f raws/s,"
                        + " %.2f CCD/s, %.1f MB/s; landing -> registered median %.1f s, p95 %.1f s (poll %d ms)%n",
                raws, ccds.size(), mb, wall, raws / wall, raws * ccds.size() / wall, mb / wall,
                LatencyBench.pct(lat, 50), LatencyBench.pct(lat, 95), POLL_MS);
        for (int i = 0; i < raws; i++) {
            store.remove(staging, cluster + "/c4d_" + (first + i) + "_ori.fits");
        }
        if (keep != null) {
            System.out.printf("the same raws are in %s: './lovoccs check-raws %s' times the checker alone%n", keep, keep);
        }
        return 0;
    }

    private static long exposureOf(JsonNode d) {
        JsonNode id = d.path("dataId");
        try {
            JsonNode parsed = id.isTextual() ? EventCodec.JSON.readTree(id.asText()) : id;
            return parsed.path("exposure").asLong();
        } catch (IOException e) {
            throw new Main.CliException("unreadable data ID from the registry: " + id);
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Main.CliException("interrupted");
        }
    }

    private IngestBench() {
    }
}
