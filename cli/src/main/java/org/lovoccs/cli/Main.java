package org.lovoccs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.lovoccs.events.EventCodec;
import org.lovoccs.objectstore.ObjectStore;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Java side of {@code ./lovoccs}: talks to the registry's REST API and to the object store.
 * Exit codes: 0 success, 1 the request failed (message on stderr), 2 bad usage.
 */
public final class Main {
    static final String USAGE = """
            usage: lovoccs-cli <command> [options]
              status CLUSTER                 per-task quanta and datasets of a cluster, as tables
              clusters                       the clusters the registry knows
              datasets CLUSTER [TYPE]        datasets of a cluster with their URIs
              land CLUSTER FILE|DIR...       put raw FITS files into the landing bucket under CLUSTER/
              download CLUSTER --urls FILE --out DIR [--parallel 8] [--retries 8] [--land]
                                             fetch archive URLs in parallel, resuming and retrying until
                                             every file is present and verified (see 'download --help')
              check-raws DIR [--parallel N] [--quarantine QDIR]
                                             check every HDU of every raw under DIR as ingestion does,
                                             in parallel; move bad ones aside with their reasons
              wait CLUSTER --quanta N [--timeout SECONDS]
                                             wait until N quanta are done, failed or dep_fail and none is
                                             unready, pending or running
              simulate ...                   see 'simulate --help'
              quicklook raw|shear ...        PNG of a raw CCD or of a campaign's true shear field
              butler VERB ...                the butler's verbs on the registry (see 'butler --help')
              cluster create|show|complete   clusters: position, redshift, bands and refcats, raws complete
              bench-latency [--raws N] [--ccds 1,2]  landing-to-postISRCCD latency through the running services
              bench-ingest [--raws 20] [--ccds 1,...,8] [--keep DIR]  ingest rate (raws/s, MB/s) of landed raws through the running services
              bench-butler [--datasets N] [--queries Q]  bulk registration rate and query-datasets latency
              bench-status CLUSTER [--rate 100] [--seconds 20]  status API latency at a fixed request rate
              bench-qgraph [--raws N] [--subset isr,characterizeImage]  quantum graph build time
              bench-qgraph --shape skycorr [--visits 133] [--calexps 6121]  the seed's step3d graph on a skymap
              pipetask build -p FILE[#SUBSET] [-c L:K=V] [-C L:FILE] [--show dump-config|pipeline|tasks]
                             [--pipeline-dot FILE] [-s FILE]   load, override, show and save a pipeline
              pipetask qgraph -p FILE[#SUBSET] -i IN[,IN...] -o OUT [-d WHERE] [-c ...] [-C ...]
                             plan the quanta from the registry; fails early on missing prerequisites
              pipetask retry CLUSTER [--task LABEL]   re-run the failed and dep_fail quanta of a cluster
              pipetask rerun CLUSTER [--step step1]   re-run a step into a new RUN chained first in its output
            environment: LOVOCCS_REGISTRY_URL (default http://127.0.0.1:8080), LOVOCCS_INGESTION_URL (default
              http://127.0.0.1:8081, for butler ingest-raws), LOVOCCS_S3_ENDPOINT,
              LOVOCCS_S3_ACCESS_KEY, LOVOCCS_S3_SECRET_KEY, LOVOCCS_LANDING_BUCKET (default lovoccs-landing)
            """;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String registry;

    Main() {
        this(System.getenv().getOrDefault("LOVOCCS_REGISTRY_URL", "http://127.0.0.1:8080"));
    }

    /** A CLI talking to the registry at {@code registry} (tests). */
    Main(String registry) {
        this.registry = registry;
    }

    public static void main(String[] args) {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            System.out.print(USAGE);
            System.exit(args.length == 0 ? 2 : 0);
        }
        try {
            System.exit(new Main().run(args[0], Arrays.copyOfRange(args, 1, args.length)));
        } catch (UsageException e) {
            System.err.println("lovoccs: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        } catch (CliException e) {
            System.err.println("lovoccs: " + e.getMessage());
            System.exit(1);
        }
    }

    int run(String command, String[] a) {
        return switch (command) {
            case "status" -> status(arg(a, 0, "CLUSTER"));
            case "clusters" -> clusters();
            case "datasets" -> datasets(arg(a, 0, "CLUSTER"), a.length > 1 ? a[1] : null);
            case "land" -> land(arg(a, 0, "CLUSTER"), Arrays.copyOfRange(a, 1, a.length));
            case "download" -> DownloadCommand.run(a, System.out, System.err);
            case "check-raws" -> CheckRawsCommand.run(a, System.out, System.err);
            case "wait" -> waitFor(arg(a, 0, "CLUSTER"), Integer.parseInt(option(a, "--quanta", null)),
                    Integer.parseInt(option(a, "--timeout", "600")));
            case "simulate" -> SimulateCommand.run(a);
            case "quicklook" -> QuickLook.run(a);
            case "butler" -> new ButlerCommand(this).run(a);
            case "cluster" -> new ClusterCommand(this).cluster(a);
            case "pipetask" -> a.length > 0 && a[0].equals("retry")
                    ? new ClusterCommand(this).retry(Arrays.copyOfRange(a, 1, a.length))
                    : a.length > 0 && a[0].equals("rerun")
                    ? new ClusterCommand(this).rerun(Arrays.copyOfRange(a, 1, a.length))
                    : a.length > 0 && a[0].equals("qgraph")
                    ? new QuantumGraphCommand(this).run(Arrays.copyOfRange(a, 1, a.length))
                    : PipetaskCommand.run(a, System.out, System.err);
            case "bench-latency" -> LatencyBench.run(this, a);
            case "bench-ingest" -> IngestBench.run(this, a);
            case "bench-butler" -> ButlerBench.run(this, a);
            case "bench-status" -> StatusBench.run(a);
            case "bench-qgraph" -> QgraphBench.run(this, a);
            default -> throw new UsageException("unknown command '" + command + "'");
        };
    }

    int status(String cluster) {
        StatusTable.print(getJson("/clusters/" + enc(cluster) + "/status"), System.out);
        return 0;
    }

    int clusters() {
        JsonNode list = getJson("/clusters");
        System.out.printf("%-20s %10s %10s %12s %10s %10s %6s %6s  %s%n", "cluster", "datasets", "quanta",
                "quarantined", "RA", "Dec", "z", "raws", "first seen");
        for (JsonNode c : list) {
            System.out.printf("%-20s %10d %10d %12d %10s %10s %6s %6s  %s%n", c.path("name").asText(),
                    c.path("datasets").asLong(), c.path("quanta").asLong(), c.path("quarantined").asLong(),
                    c.path("ra").isNumber() ? String.format("%.4f", c.path("ra").asDouble()) : "-",
                    c.path("dec").isNumber() ? String.format("%.4f", c.path("dec").asDouble()) : "-",
                    c.path("redshift").isNumber() ? String.format("%.3f", c.path("redshift").asDouble()) : "-",
                    c.path("rawsCompleteAt").isTextual() ? "all" : "open", c.path("firstSeen").asText());
        }
        return 0;
    }

    int datasets(String cluster, String type) {
        JsonNode list = getJson("/clusters/" + enc(cluster) + "/datasets" + (type == null ? "" : "?datasetType="
                + enc(type)));
        for (JsonNode d : list) {
            // a dataset its job held in memory has a URI but no object there
            System.out.printf("%-12s %-40s %s%s%n", d.path("datasetType").asText(), d.path("dataId").asText(),
                    d.path("uri").asText(), d.path("stored").asBoolean(true) ? ""
                            : "  (not stored: held in its job's memory, orchestrator:heldInJob)");
        }
        return 0;
    }

    int land(String cluster, String[] paths) {
        if (paths.length == 0) {
            throw new UsageException("land needs at least one FITS file or folder");
        }
        List<Path> files = new ArrayList<>();
        for (String p : paths) {
            Path path = Path.of(p);
            if (Files.isRegularFile(path.resolve("campaign.json"))) {
                // a simulated campaign: its science raws, in time order, and any damaged copies
                for (String sub : List.of("raw", "damaged")) {
                    Path d = path.resolve(sub);
                    if (!Files.isDirectory(d)) {
                        continue;
                    }
                    try (Stream<Path> s = Files.walk(d)) {
                        s.filter(f -> f.getFileName().toString().matches("[^.].*\\.fits(\\.fz)?$")).sorted()
                                .forEach(files::add);
                    } catch (IOException e) {
                        throw new CliException("cannot list " + d + ": " + e.getMessage());
                    }
                }
            } else if (Files.isDirectory(path)) {
                try (Stream<Path> s = Files.list(path)) {
                    s.filter(f -> f.getFileName().toString().matches(".*\\.fits(\\.fz)?$")).sorted().forEach(files::add);
                } catch (IOException e) {
                    throw new CliException("cannot list " + path + ": " + e.getMessage());
                }
            } else if (Files.isRegularFile(path)) {
                files.add(path);
            } else {
                throw new CliException("no such file or folder: " + path);
            }
        }
        ObjectStore store = ObjectStore.fromEnvironment();
        String bucket = System.getenv().getOrDefault("LOVOCCS_LANDING_BUCKET", "lovoccs-landing");
        store.ensureBucket(bucket);
        for (Path f : files) {
            String key = cluster + "/" + f.getFileName();
            store.put(bucket, key, f, "application/fits");
            System.out.printf("landed %s -> s3://%s/%s%n", f, bucket, key);
        }
        return 0;
    }

    /** How long a cluster with nothing open and nothing changing ends a wait short of its expected count. */
    static final long QUIET_NANOS = Long.getLong("lovoccs.wait.quiet-seconds", 60) * 1_000_000_000L;

    int waitFor(String cluster, int quanta, int timeoutSeconds) {
        return waitFor(cluster, quanta, timeoutSeconds, QUIET_NANOS);
    }

    /**
     * Follows {@code cluster} until at least {@code quanta} quanta have finished and none is open; or until every
     * planned quantum has finished and nothing changed for {@code quietNanos} (the expected count was off).
     *
     * @return 0 when none failed, 1 otherwise
     */
    int waitFor(String cluster, int quanta, int timeoutSeconds, long quietNanos) {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        String last = "";
        // the plan as last seen, and since when nothing of it has changed while nothing was open
        String quietState = null;
        long quietSince = 0;
        while (true) {
            JsonNode s = tryGetJson("/clusters/" + enc(cluster) + "/status");
            long done = 0, failed = 0, total = 0, open = 0;
            if (s != null) {
                for (JsonNode t : s.path("tasks")) {
                    done += t.path("done").asLong();
                    failed += t.path("failed").asLong();
                    failed += t.path("depFail").asLong();
                    open += t.path("unready").asLong() + t.path("pending").asLong() + t.path("running").asLong();
                    total += t.path("unready").asLong() + t.path("pending").asLong() + t.path("running").asLong()
                            + t.path("done").asLong() + t.path("failed").asLong() + t.path("depFail").asLong();
                }
            }
            String line = String.format("%s: %d of %d quanta finished (%d done, %d failed or dep_fail; %d planned)",
                    cluster,
                    done + failed, quanta, done, failed, total);
            if (!line.equals(last)) {
                System.out.println(line);
                last = line;
            }
            // at least N finished, and nothing of the cluster still pending or running (quanta of earlier
            // landings count too, so a cluster seen before is followed until it is quiet)
            if (done + failed >= quanta && open == 0) {
                return failed == 0 ? 0 : 1;
            }
            // fewer finished than expected, and the cluster quiet (nothing open, nothing planned or finished) for a
            // minute: the expectation is off (a task added to or taken out of the pipeline), not the processing
            String state = done + "/" + failed + "/" + total;
            if (open == 0 && total > 0) {
                if (!state.equals(quietState)) {
                    quietState = state;
                    quietSince = System.nanoTime();
                } else if (System.nanoTime() - quietSince > quietNanos) {
                    System.out.printf("%s: every planned quantum has finished (%d of them) and nothing changed for %d"
                            + " s, but %d were expected: the expected count is off, or planning stopped (see"
                            + " './lovoccs status %s')%n", cluster, done + failed, quietNanos / 1_000_000_000L,
                            quanta, cluster);
                    return failed == 0 ? 0 : 1;
                }
            } else {
                quietState = null;
            }
            if (System.nanoTime() > deadline) {
                throw new CliException("timed out after " + timeoutSeconds + " s waiting for " + quanta
                        + " quanta of " + cluster + "; see './lovoccs status " + cluster + "' and the service logs");
            }
            sleep(1000);
        }
    }

    private JsonNode tryGetJson(String path) {
        try {
            return getJson(path);
        } catch (CliException e) {
            return null;
        }
    }

    JsonNode getJson(String path) {
        return send(HttpRequest.newBuilder(URI.create(registry + path)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json").GET().build(), path);
    }

    /** POSTs {@code body} as JSON to the registry and returns the JSON answer; errors carry the registry's message. */
    JsonNode postJson(String path, Object body) {
        String json;
        try {
            json = EventCodec.JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new CliException("cannot encode the request: " + e.getMessage());
        }
        return send(HttpRequest.newBuilder(URI.create(registry + path)).timeout(Duration.ofSeconds(300))
                .header("Accept", "application/json").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), path);
    }

    private JsonNode send(HttpRequest req, String path) {
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            JsonNode body = r.body().isBlank() ? null : EventCodec.JSON.readTree(r.body());
            if (r.statusCode() != 200) {
                String msg = body != null && body.has("error") ? body.get("error").asText() : r.body();
                throw new CliException(r.statusCode() >= 500 ? "registry answered " + r.statusCode() + " for "
                        + path + ": " + msg : msg);
            }
            return body;
        } catch (ConnectException e) {
            throw new CliException("cannot reach the registry at " + registry + " (is it running? try"
                    + " './lovoccs services status'; set LOVOCCS_REGISTRY_URL if it runs elsewhere)");
        } catch (IOException e) {
            throw new CliException("request to " + registry + path + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    static String arg(String[] a, int i, String name) {
        if (a.length <= i || a[i].startsWith("--")) {
            throw new UsageException("missing " + name);
        }
        return a[i];
    }

    /** The value of option {@code name}, or null if it is absent; a flag given without a value is an error. */
    static String optional(String[] a, String name) {
        for (int i = 0; i < a.length; i++) {
            if (a[i].equals(name)) {
                if (i + 1 >= a.length || a[i + 1].startsWith("--")) {
                    throw new UsageException("option " + name + " needs a value");
                }
                return a[i + 1];
            }
        }
        return null;
    }

    static String option(String[] a, String name, String def) {
        for (int i = 0; i < a.length - 1; i++) {
            if (a[i].equals(name)) {
                return a[i + 1];
            }
        }
        if (def == null) {
            throw new UsageException("missing option " + name);
        }
        return def;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static class CliException extends RuntimeException {
        CliException(String m) {
            super(m);
        }
    }

    static class UsageException extends RuntimeException {
        UsageException(String m) {
            super(m);
        }
    }
}
