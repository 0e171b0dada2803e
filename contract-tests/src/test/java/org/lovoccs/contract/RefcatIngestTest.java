package org.lovoccs.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import nom.tam.fits.BasicHDU;
import nom.tam.fits.BinaryTableHDU;
import nom.tam.fits.Fits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovoccs.butler.sky.Htm;
import org.lovoccs.events.EventCodec;
import org.lovoccs.events.S3Uri;

/**
 * {@code ./lovoccs butler ingest-refcat} over the real servers: a simulated campaign's Gaia-like and PS1-like
 * reference catalogues are sharded by htm7 into the {@code refcats} RUN; the shards hold every input row, each row in
 * the shard of its own triangle; the shards {@code refcat-shards} finds for the cluster's centre hold the stars near
 * it; a second run ingests nothing new.
 */
class RefcatIngestTest {

    @TempDir
    Path dir;

    @Test
    void cataloguesAreShardedByHtm7AndFoundByRegion() throws Exception {
        TestServers.requireRunning();
        String stamp = Long.toString(System.currentTimeMillis(), 36);
        Path campaign = dir.resolve("campaign");
        Process p = new ProcessBuilder(Path.of("..", "lovoccs").toAbsolutePath().normalize().toString(), "simulate",
                "--scale", "test", "--cluster", "REFC" + stamp.toUpperCase(), "--bands", "r", "--zeros", "0",
                "--flats", "0", "--seed", "23", "--galaxy-density", "5", "--out", campaign.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), log);
        assertEquals(0, p.exitValue(), log);
        JsonNode manifest = EventCodec.JSON.readTree(campaign.resolve("campaign.json").toFile());
        double ra = manifest.path("ra").asDouble();
        double dec = manifest.path("dec").asDouble();

        for (String[] cat : new String[][] {{"gaia_like", "source_id"}, {"ps1_like_r", "id"}}) {
            String type = cat[0] + "_t" + stamp;
            Path file = campaign.resolve("refcats").resolve(cat[0] + ".fits");
            Map<Long, double[]> input = rows(java.nio.file.Files.readAllBytes(file), cat[1]);
            assertTrue(input.size() > 50, "a useful catalogue: " + input.size() + " rows");

            TestServers.Cli first = TestServers.lovoccs("butler", "ingest-refcat", type, file.toString());
            assertEquals(0, first.code(), first.out());
            Matcher m = Pattern.compile(type + ": (\\d+) rows in (\\d+) shards, (\\d+) new").matcher(first.out());
            assertTrue(m.find(), first.out());
            assertEquals(input.size(), Integer.parseInt(m.group(1)), first.out());
            int shards = Integer.parseInt(m.group(2));
            assertEquals(shards, Integer.parseInt(m.group(3)), "every shard new: " + first.out());

            // every row is in exactly one shard, the one of its own triangle
            var found = TestServers.post("/butler/query-datasets", Map.of("datasetType", type, "collections",
                    List.of("refcats")));
            assertEquals(200, found.status(), String.valueOf(found.body()));
            assertEquals(shards, found.body().size(), found.body().toString());
            Set<Long> seen = new HashSet<>();
            for (JsonNode d : found.body()) {
                JsonNode dataId = d.path("dataId").isTextual() ? EventCodec.JSON.readTree(d.path("dataId").asText())
                        : d.path("dataId");
                long htm7 = dataId.path("htm7").asLong();
                Map<Long, double[]> shard = shard(d.path("uri").asText(), cat[1]);
                for (Map.Entry<Long, double[]> row : shard.entrySet()) {
                    assertTrue(seen.add(row.getKey()), "row " + row.getKey() + " in two shards");
                    assertEquals(htm7, Htm.index(row.getValue()[0], row.getValue()[1], 7), "row " + row.getKey()
                            + " at " + row.getValue()[0] + ", " + row.getValue()[1] + " in shard " + htm7);
                    assertTrue(input.containsKey(row.getKey()), "shard row " + row.getKey() + " is an input row");
                }
            }
            assertEquals(input.keySet(), seen, "the shards hold every input row");

            // the shards found for the cluster's centre hold the stars near it
            double radius = 0.05;
            TestServers.Cli near = TestServers.lovoccs("butler", "refcat-shards", type, "--ra", String.valueOf(ra),
                    "--dec", String.valueOf(dec), "--radius", String.valueOf(radius));
            assertEquals(0, near.code(), near.out());
            Set<Long> inFoundShards = new HashSet<>();
            Matcher uri = Pattern.compile("(s3://\\S+\\.fits)").matcher(near.out());
            int nShards = 0;
            while (uri.find()) {
                inFoundShards.addAll(shard(uri.group(1), cat[1]).keySet());
                nShards++;
            }
            assertTrue(nShards >= 1 && nShards <= shards, near.out());
            List<Long> nearCentre = new ArrayList<>();
            for (Map.Entry<Long, double[]> row : input.entrySet()) {
                if (separationDeg(ra, dec, row.getValue()[0], row.getValue()[1]) <= radius) {
                    nearCentre.add(row.getKey());
                }
            }
            assertTrue(!nearCentre.isEmpty(), "stars within " + radius + " deg of the centre in " + cat[0]);
            assertTrue(inFoundShards.containsAll(nearCentre), "the stars near the centre " + nearCentre
                    + " are in the shards found for it:\n" + near.out());

            TestServers.Cli again = TestServers.lovoccs("butler", "ingest-refcat", type, file.toString());
            assertEquals(0, again.code(), again.out());
            assertTrue(again.out().contains(type + ": " + input.size() + " rows in " + shards + " shards, 0 new (0 B), "
                    + shards + " already present"), again.out());
            assertTrue(again.out().contains("nothing new to ingest"), again.out());
        }
    }

    /** id -> (ra, dec) of a shard in the repository. */
    private static Map<Long, double[]> shard(String uri, String idColumn) throws Exception {
        S3Uri u = S3Uri.parse(uri);
        return rows(TestServers.store().get(u.bucket(), u.key()), idColumn);
    }

    private static Map<Long, double[]> rows(byte[] fitsBytes, String idColumn) throws Exception {
        try (Fits f = new Fits(new ByteArrayInputStream(fitsBytes))) {
            for (BasicHDU<?> h : f.read()) {
                if (h instanceof BinaryTableHDU t) {
                    long[] id = (long[]) t.getColumn(t.findColumn(idColumn));
                    double[] ra = (double[]) t.getColumn(t.findColumn("ra"));
                    double[] dec = (double[]) t.getColumn(t.findColumn("dec"));
                    Map<Long, double[]> out = new HashMap<>();
                    for (int i = 0; i < id.length; i++) {
                        assertTrue(out.put(id[i], new double[] {ra[i], dec[i]}) == null, "id " + id[i] + " twice");
                    }
                    return out;
                }
            }
        }
        throw new AssertionError("no table");
    }

    private static double separationDeg(double ra1, double dec1, double ra2, double dec2) {
        double[] a = Htm.unit(ra1, dec1);
        double[] b = Htm.unit(ra2, dec2);
        double dot = Math.max(-1, Math.min(1, a[0] * b[0] + a[1] * b[1] + a[2] * b[2]));
        return Math.toDegrees(Math.acos(dot));
    }
}
