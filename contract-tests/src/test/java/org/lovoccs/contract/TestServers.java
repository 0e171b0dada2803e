package org.lovoccs.contract;

import com.fasterxml.jackson.databind.JsonNode;
import org.lovoccs.events.EventCodec;
import org.lovoccs.objectstore.ObjectStore;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real servers the end-to-end tests run against: the embedded stack and the services that
 * {@code ./lovoccs test} starts (addresses from the same environment variables the services read).
 * When they are not reachable the test fails and says how to start them; it never substitutes a mock.
 */
final class TestServers {
    static final String KAFKA = env("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092");
    static final String REGISTRY = env("LOVOCCS_REGISTRY_URL", "http://127.0.0.1:8080");
    static final String JDBC = env("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/lovoccs");
    static final String PG_USER = env("QUARKUS_DATASOURCE_USERNAME", "postgres");
    static final String PG_PASSWORD = env("QUARKUS_DATASOURCE_PASSWORD", "postgres");
    static final String LANDING = env("LOVOCCS_LANDING_BUCKET", "lovoccs-landing");
    static final String REPO = env("LOVOCCS_REPO_BUCKET", "lovoccs-repo");

    static ObjectStore store() {
        return ObjectStore.fromEnvironment();
    }

    static Connection db() throws SQLException {
        return DriverManager.getConnection(JDBC, PG_USER, PG_PASSWORD);
    }

    /** Fails the test, saying what to start, unless the registry, ingestion and isr services answer. */
    static void requireRunning() {
        for (String url : new String[]{REGISTRY + "/q/health/ready", env("LOVOCCS_INGESTION_URL",
                "http://127.0.0.1:8081") + "/q/health/ready", env("LOVOCCS_ISR_URL", "http://127.0.0.1:8082")
                + "/q/health/ready"}) {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
                c.setConnectTimeout(2000);
                if (c.getResponseCode() != 200) {
                    fail(url + " answered " + c.getResponseCode() + ": a service is not ready; see .lovoccs/logs/");
                }
            } catch (IOException e) {
                fail("cannot reach " + url + " (" + e.getMessage() + "). The end-to-end tests need the embedded stack"
                        + " and the services: run them with './lovoccs test', or start them with './lovoccs stack up &&"
                        + " ./lovoccs services up'.");
            }
        }
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** GET {@code path} on the registry as JSON; fails on any status other than 200. */
    static JsonNode getJson(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(REGISTRY + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + " -> " + r.statusCode() + " " + r.body());
        }
        return EventCodec.JSON.readTree(r.body());
    }

    /** A registry answer: status and JSON body. */
    record Answer(int status, JsonNode body) {
    }

    /** POSTs {@code body} as JSON to the registry; returns status and body whatever the status. */
    static Answer post(String path, Object body) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(REGISTRY + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(EventCodec.JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body().isBlank() ? null : EventCodec.JSON.readTree(r.body()));
    }

    /** GETs {@code path}; returns status and body whatever the status. */
    static Answer get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(REGISTRY + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body().isBlank() ? null : EventCodec.JSON.readTree(r.body()));
    }

    /** The cluster's status, or null while the registry does not know it yet. */
    static JsonNode status(String cluster) {
        try {
            return getJson("/clusters/" + cluster + "/status");
        } catch (Exception e) {
            return null;
        }
    }

    /** Polls {@code condition} every 0.5 s; fails after {@code timeout} naming what it waited for. */
    static void waitFor(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + "; see .lovoccs/logs/{ingestion,registry,isr}.log");
            }
            Thread.sleep(500);
        }
    }

    /** What a {@code ./lovoccs} command printed (stdout and stderr) and its exit code. */
    record Cli(int code, String out) {
    }

    /** Runs {@code ./lovoccs ARGS} from the checkout, as a user would, and waits for it (at most 2 minutes). */
    static Cli lovoccs(String... args) throws IOException, InterruptedException {
        return lovoccs(java.util.Map.of(), args);
    }

    /** {@link #lovoccs(String...)} with {@code env} added to the environment. */
    static Cli lovoccs(java.util.Map<String, String> env, String... args) throws IOException, InterruptedException {
        java.util.List<String> cmd = new java.util.ArrayList<>();
        cmd.add(java.nio.file.Path.of("..", "lovoccs").toAbsolutePath().normalize().toString());
        cmd.addAll(java.util.List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("./lovoccs " + String.join(" ", args) + " did not finish in 120 s:\n" + out);
        }
        return new Cli(p.exitValue(), out);
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String env(String k, String d) {
        String v = System.getenv(k);
        return v == null || v.isBlank() ? d : v;
    }

    private TestServers() {
    }
}
