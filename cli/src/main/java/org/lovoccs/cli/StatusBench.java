package org.lovoccs.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * {@code ./lovoccs bench-status CLUSTER [--rate 100] [--seconds 20]}: GET /clusters/CLUSTER/status at a fixed rate
 * (open loop: requests are sent on schedule whether or not earlier ones have answered) and reports the latency
 * percentiles and errors.
 */
final class StatusBench {

    private StatusBench() {
    }

    static int run(String[] a) {
        String cluster = Main.arg(a, 0, "CLUSTER");
        int rate = Integer.parseInt(Main.option(a, "--rate", "100"));
        int seconds = Integer.parseInt(Main.option(a, "--seconds", "20"));
        String registry = System.getenv().getOrDefault("LOVOCCS_REGISTRY_URL", "http://127.0.0.1:8080");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(registry + "/clusters/" + Main.enc(cluster) + "/status"))
                .timeout(Duration.ofSeconds(30)).GET().build();
        ConcurrentLinkedQueue<Double> ms = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        long start = System.nanoTime();
        long intervalNanos = 1_000_000_000L / rate;
        int total = rate * seconds;
        for (int i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            long sent = System.nanoTime();
            inFlight.add(http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                if (e != null || r.statusCode() != 200) {
                    errors.add(e != null ? e.toString() : "HTTP " + r.statusCode());
                } else {
                    ms.add((System.nanoTime() - sent) / 1e6);
                }
            }));
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).exceptionally(x -> null).join();
        double[] v = ms.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        if (v.length == 0) {
            throw new Main.CliException("no successful request; errors: " + errors.stream().limit(3).toList());
        }
        System.out.printf("GET /clusters/%s/status at %d/s for %d s: %d ok, %d errors; p50 %.1f ms, p95 %.1f ms,"
                        + " p99 %.1f ms, max %.1f ms%n", cluster, rate, seconds, v.length, errors.size(),
                v[v.length / 2], v[(int) (v.length * 0.95)], v[(int) (v.length * 0.99)], v[v.length - 1]);
        return errors.isEmpty() ? 0 : 1;
    }
}
