package org.lovoccs.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code ./lovoccs bench-butler [--datasets N] [--queries Q]}: registers N synthetic calexp datasets (visit x
 * detector, 62 detectors per visit, spread over runs of 100,000) through the registry's bulk endpoint in batches of
 * 10,000, reports the insert rate, then times query-datasets with selective where clauses over them.
 */
final class ButlerBench {

    private ButlerBench() {
    }

    static int run(Main main, String[] a) {
        int total = Integer.parseInt(Main.option(a, "--datasets", "1000000"));
        int queries = Integer.parseInt(Main.option(a, "--queries", "50"));
        String prefix = "bench/" + Long.toString(System.currentTimeMillis(), 36);
        int batch = 10_000;
        int perRun = 100_000;
        long firstVisit = 5_000_000L + (System.currentTimeMillis() / 1000 % 1_000_000) * 10;
        List<String> runs = new ArrayList<>();
        long t0 = System.nanoTime();
        int inserted = 0;
        for (int start = 0; start < total; start += batch) {
            String run = prefix + "/run" + (start / perRun);
            if (runs.isEmpty() || !runs.get(runs.size() - 1).equals(run)) {
                runs.add(run);
            }
            List<Map<String, Object>> datasets = new ArrayList<>(batch);
            for (int i = start; i < Math.min(total, start + batch); i++) {
                long visit = firstVisit + i / 62;
                int detector = i % 62 + 1;
                datasets.add(Map.of("dataId", Map.of("instrument", "DECam", "visit", visit, "detector", detector),
                        "uri", "s3://lovoccs-repo/" + run + "/calexp/" + visit + "/" + detector + ".fits",
                        "byteLength", 100_000_000L, "checksum", "sha256:" + Long.toHexString(i)));
            }
            JsonNode r = main.postJson("/butler/register-datasets", Map.of("datasetType", "calexp", "run", run,
                    "datasets", datasets));
            inserted += r.path("inserted").asInt();
            if ((start / batch) % 10 == 9) {
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("  %,d datasets registered in %.1f s (%.0f /s)%n", inserted, s, inserted / s);
            }
        }
        double insertSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("registered %,d datasets in %.1f s: %.0f datasets/s (batches of %,d)%n", inserted,
                insertSeconds, inserted / insertSeconds, batch);

        SplittableRandom rng = new SplittableRandom(1);
        long lastVisit = firstVisit + total / 62 - 1;
        String[] shapes = {"visit = %d AND detector IN (10..20)", "visit IN (%d..%d) AND detector = 35",
                "instrument = 'DECam' AND visit = %d"};
        for (String shape : shapes) {
            double[] ms = new double[queries];
            int rows = 0;
            for (int q = 0; q < queries; q++) {
                long v = firstVisit + rng.nextLong(lastVisit - firstVisit - 10);
                String where = shape.contains("..%d") ? String.format(shape, v, v + 9) : String.format(shape, v);
                Map<String, Object> body = new HashMap<>();
                body.put("datasetType", "calexp");
                body.put("collections", List.of(prefix + "/*"));
                body.put("where", where);
                long t = System.nanoTime();
                JsonNode r = main.postJson("/butler/query-datasets", body);
                ms[q] = (System.nanoTime() - t) / 1e6;
                rows = r.size();
            }
            Arrays.sort(ms);
            System.out.printf("query-datasets calexp --collections '%s/*' --where \"%s\": %d rows; p50 %.1f ms,"
                    + " p95 %.1f ms, max %.1f ms over %d queries%n", prefix, shape, rows, ms[queries / 2],
                    ms[(int) (queries * 0.95)], ms[queries - 1], queries);
        }
        System.out.printf("runs: %s ... (remove them with ./lovoccs butler remove-runs '%s/*' --no-confirm)%n",
                runs.get(0), prefix);
        return 0;
    }
}
