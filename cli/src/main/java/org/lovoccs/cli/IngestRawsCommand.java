package org.lovoccs.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.lovoccs.events.EventCodec;
import org.lovoccs.objectstore.ObjectInfo;
import org.lovoccs.objectstore.ObjectStore;

/**
 * {@code butler ingest-raws CLUSTER LOCATIONS...}: the seed's ingest_data for raws that are already somewhere (a
 * folder, a bucket) rather than landed. The command line only finds the files and shows progress; each raw is
 * checked and ingested by the ingestion service ({@code POST /ingest/raws}), on the code path landed raws take, so
 * the registry, the events and the processing that follows are the same.
 */
final class IngestRawsCommand {
    static final String USAGE = """
            usage: butler ingest-raws CLUSTER LOCATION... [-t|--transfer copy|direct] [--output-run RUN] [-j N]
                                      [--progress S]
              CLUSTER          the cluster the raws are processed for (e.g. A85)
              LOCATION         a raw file, a folder (every *.fits and *.fits.fz below it; for a simulated
                               campaign folder its raw/, calib/ and damaged/ folders) or s3://bucket/prefix
              -t, --transfer   copy (default): into the repository bucket, as landing does;
                               direct: registered where it is (s3:// object, or file:/// path that the
                               ingestion service and the workers must see at the same path)
              --output-run     the RUN (default DECam/raw/all)
              -j N             raws ingested at once (default 2)
              --progress S     seconds between progress lines on stderr (default 10)
            Every raw is checked as a landed one is (check_raws); a bad raw is reported with its reason and
            not ingested, and nothing in your folder is moved or deleted. Raws the registry holds already
            are not transferred again. Exit 0 all ingested or present, 1 some bad or failed, 2 bad usage.
            """;

    record Options(String cluster, List<String> locations, String transfer, String run, int parallel,
                   Duration progress) {
    }

    /** A raw to ingest: its URI and size. */
    record Raw(String uri, String shown, long size) {
    }

    /** One raw's result: status ingested, already-present, bad or failed. */
    record Result(Raw raw, String status, String problem, String reason, int detectors, String observationType) {
    }

    private final Options o;
    private final PrintStream out;
    private final PrintStream err;
    private final String ingestion = System.getenv().getOrDefault("LOVOCCS_INGESTION_URL", "http://127.0.0.1:8081");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    IngestRawsCommand(Options o, PrintStream out, PrintStream err) {
        this.o = o;
        this.out = out;
        this.err = err;
    }

    static int run(String[] a, PrintStream out, PrintStream err) {
        if (a.length == 0 || Arrays.asList(a).contains("--help") || Arrays.asList(a).contains("-h")) {
            out.print(USAGE);
            return a.length == 0 ? 2 : 0;
        }
        List<Result> results = new IngestRawsCommand(parse(a), out, err).ingest();
        return results.stream().allMatch(r -> r.status().equals("ingested") || r.status().equals("already-present"))
                ? 0 : 1;
    }

    static Options parse(String[] a) {
        List<String> pos = new ArrayList<>();
        String transfer = "copy";
        String run = "DECam/raw/all";
        int parallel = 2;
        double progress = 10;
        for (int i = 0; i < a.length; i++) {
            String opt = a[i];
            switch (opt) {
                case "-t", "--transfer" -> transfer = DownloadCommand.value(a, ++i, opt).toLowerCase(Locale.ROOT);
                case "--output-run" -> run = DownloadCommand.value(a, ++i, opt);
                case "-j", "--processes" -> parallel = (int) DownloadCommand.number(a, ++i, opt, 1, 64);
                case "--progress" -> progress = DownloadCommand.number(a, ++i, opt, 0.1, 86400);
                default -> {
                    if (opt.startsWith("-")) {
                        throw new Main.UsageException("ingest-raws: unknown option '" + opt + "'\n" + USAGE);
                    }
                    pos.add(opt);
                }
            }
        }
        if (pos.size() < 2) {
            throw new Main.UsageException("ingest-raws needs CLUSTER and at least one LOCATION\n" + USAGE);
        }
        if (!pos.get(0).matches("[A-Za-z0-9_.+-]+")) {
            throw new Main.UsageException("ingest-raws: CLUSTER '" + pos.get(0) + "' may hold only letters, digits"
                    + " and _ . + - (did you put a LOCATION first? the cluster comes first)");
        }
        if (!transfer.equals("copy") && !transfer.equals("direct")) {
            throw new Main.UsageException("ingest-raws: --transfer is copy or direct, got '" + transfer + "'");
        }
        return new Options(pos.get(0), pos.subList(1, pos.size()), transfer, run, parallel,
                Duration.ofMillis(Math.round(progress * 1000)));
    }

    /** The raws the locations name, in order, each once. */
    static List<Raw> expand(List<String> locations) {
        Map<String, Raw> raws = new LinkedHashMap<>();
        ObjectStore store = null;
        for (String loc : locations) {
            if (loc.startsWith("s3://")) {
                int slash = loc.indexOf('/', 5);
                String bucket = slash < 0 ? loc.substring(5) : loc.substring(5, slash);
                String prefix = slash < 0 ? "" : loc.substring(slash + 1);
                if (store == null) {
                    store = ObjectStore.fromEnvironment();
                }
                List<ObjectInfo> found;
                try {
                    found = store.list(bucket, prefix);
                } catch (RuntimeException e) {
                    throw new Main.CliException("ingest-raws: cannot list " + loc + ": " + e.getMessage());
                }
                int before = raws.size();
                for (ObjectInfo i : found) {
                    if (isRawName(i.key())) {
                        String uri = "s3://" + bucket + "/" + i.key();
                        raws.putIfAbsent(uri, new Raw(uri, uri, i.size()));
                    }
                }
                if (raws.size() == before) {
                    throw new Main.CliException("ingest-raws: no *.fits or *.fits.fz objects under " + loc);
                }
                continue;
            }
            Path p = Path.of(loc.startsWith("file://") ? URI.create(loc).getPath() : loc);
            List<Path> files = new ArrayList<>();
            if (Files.isRegularFile(p)) {
                files.add(p);
            } else if (Files.isDirectory(p) && Files.isRegularFile(p.resolve("campaign.json"))) {
                for (String sub : List.of("raw", "calib", "damaged")) {
                    if (Files.isDirectory(p.resolve(sub))) {
                        files.addAll(walk(p.resolve(sub)));
                    }
                }
            } else if (Files.isDirectory(p)) {
                files.addAll(walk(p));
            } else {
                throw new Main.CliException("ingest-raws: no such file or folder: " + p);
            }
            if (files.isEmpty()) {
                throw new Main.CliException("ingest-raws: no raw files (*.fits, *.fits.fz) under " + p);
            }
            for (Path f : files) {
                Path abs = f.toAbsolutePath().normalize();
                String uri = abs.toUri().toString();
                long size;
                try {
                    size = Files.size(abs);
                } catch (IOException e) {
                    throw new Main.CliException("ingest-raws: cannot read " + abs + ": " + e.getMessage());
                }
                raws.putIfAbsent(uri, new Raw(uri, f.toString(), size));
            }
        }
        return List.copyOf(raws.values());
    }

    private static boolean isRawName(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        return !name.startsWith(".") && name.matches(".*\\.fits(\\.fz)?$");
    }

    private static List<Path> walk(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(f -> isRawName(f.getFileName().toString())).sorted().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new Main.CliException("ingest-raws: cannot list " + dir + ": " + e.getMessage());
        }
    }

    List<Result> ingest() {
        List<Raw> raws = expand(o.locations());
        long total = raws.stream().mapToLong(Raw::size).sum();
        int threads = Math.min(o.parallel(), raws.size());
        out.printf("ingest-raws: %d raw file(s) (%s) for %s into %s, --transfer %s, %d at a time, via %s%n",
                raws.size(), DownloadCommand.human(total), o.cluster(), o.run(), o.transfer(), threads, ingestion);
        if (o.transfer().equals("direct") && raws.stream().anyMatch(r -> r.uri().startsWith("file:"))) {
            out.println("ingest-raws: --transfer direct of local files: they are registered where they are, so the"
                    + " ingestion service and every worker must see them at the same path; keep them there");
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "ingest-raws-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        CompletionService<Result> done = new ExecutorCompletionService<>(pool);
        long t0 = System.nanoTime();
        for (Raw r : raws) {
            done.submit(() -> ingestOne(r));
        }
        List<Result> results = new ArrayList<>();
        long nextProgress = t0 + o.progress().toNanos();
        long bytes = 0;
        try {
            while (results.size() < raws.size()) {
                Future<Result> next = done.poll(Math.max(1, nextProgress - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (next != null) {
                    Result r = next.get();
                    results.add(r);
                    bytes += r.raw().size();
                    if (r.status().equals("bad")) {
                        out.printf("BAD    %-15s %s: %s (not ingested; the file is left where it is)%n", r.problem(),
                                r.raw().shown(), r.reason());
                    } else if (r.status().equals("failed")) {
                        out.printf("FAILED %s: %s%n", r.raw().shown(), r.reason());
                    }
                }
                long now = System.nanoTime();
                if (now >= nextProgress && results.size() < raws.size()) {
                    double secs = (now - t0) / 1e9;
                    double rate = results.size() / secs;
                    err.printf(Locale.ROOT, "ingest-raws: %d of %d raws (%s of %s) after %.0f s, %.2f raws/s,"
                                    + " %.1f MB/s%s%s%n", results.size(), raws.size(), DownloadCommand.human(bytes),
                            DownloadCommand.human(total), secs, rate, bytes / 1e6 / secs,
                            results.isEmpty() ? "" : "; " + counts(results),
                            rate > 0 ? String.format(Locale.ROOT, "; about %.0f s to go",
                                    (raws.size() - results.size()) / rate) : "");
                    nextProgress = now + o.progress().toNanos();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Main.CliException("ingest-raws: interrupted after " + results.size() + " of " + raws.size()
                    + " raws; run the same command again: raws already ingested are skipped");
        } catch (ExecutionException e) {
            throw new Main.CliException("ingest-raws: " + e.getCause());
        } finally {
            pool.shutdownNow();
        }
        summary(results, total, (System.nanoTime() - t0) / 1e9);
        return results;
    }

    private Result ingestOne(Raw raw) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("cluster", o.cluster());
        body.put("location", raw.uri());
        body.put("transfer", o.transfer());
        body.put("run", o.run());
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(ingestion + "/ingest/raws"))
                    .timeout(Duration.ofMinutes(10)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(EventCodec.JSON.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode j = r.body().isBlank() ? null : EventCodec.JSON.readTree(r.body());
            if (r.statusCode() != 200) {
                String msg = j != null && j.has("error") ? j.get("error").asText() : "HTTP " + r.statusCode() + " "
                        + r.body();
                return new Result(raw, "failed", "FAILED", msg, 0, null);
            }
            return new Result(raw, j.path("status").asText(), j.path("problem").isNull() ? null
                    : j.path("problem").asText(null), j.path("reason").asText(null), j.path("detectors").asInt(),
                    j.path("observationType").asText(null));
        } catch (ConnectException e) {
            throw new Main.CliException("cannot reach the ingestion service at " + ingestion + " (is it running? try"
                    + " './lovoccs services status'; set LOVOCCS_INGESTION_URL if it runs elsewhere)");
        } catch (IOException e) {
            return new Result(raw, "failed", "FAILED", "request to " + ingestion + " failed: " + e, 0, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(raw, "failed", "FAILED", "interrupted", 0, null);
        }
    }

    private static String counts(List<Result> results) {
        Map<String, Long> by = results.stream().collect(Collectors.groupingBy(Result::status, TreeMap::new,
                Collectors.counting()));
        return by.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
    }

    private void summary(List<Result> results, long total, double secs) {
        long ingested = results.stream().filter(r -> r.status().equals("ingested")).count();
        long present = results.stream().filter(r -> r.status().equals("already-present")).count();
        int detectors = results.stream().filter(r -> r.status().equals("ingested")).mapToInt(Result::detectors).sum();
        Map<String, Long> bad = results.stream().filter(r -> r.status().equals("bad"))
                .collect(Collectors.groupingBy(Result::problem, TreeMap::new, Collectors.counting()));
        long nBad = bad.values().stream().mapToLong(Long::longValue).sum();
        long failed = results.stream().filter(r -> r.status().equals("failed")).count();
        Map<String, Long> byType = results.stream().filter(r -> r.status().equals("ingested"))
                .collect(Collectors.groupingBy(r -> r.observationType() == null ? "unknown" : r.observationType(),
                        TreeMap::new, Collectors.counting()));
        out.printf(Locale.ROOT, "ingest-raws: %d raws (%s) in %.1f s, %.2f raws/s, %.1f MB/s: %d ingested (%d detector"
                        + " datasets%s), %d already present, %d bad%s, %d failed%n", results.size(),
                DownloadCommand.human(total), secs, results.size() / secs, total / 1e6 / secs, ingested, detectors,
                byType.isEmpty() ? "" : "; " + byType.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                        .collect(Collectors.joining(", ")), present, nBad,
                bad.isEmpty() ? "" : " (" + bad.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                        .collect(Collectors.joining(", ")) + ")", failed);
        if (ingested == 0 && present > 0 && nBad == 0 && failed == 0) {
            out.printf("ingest-raws: nothing new to ingest: the registry holds every raw of these locations in %s%n",
                    o.run());
        } else if (ingested > 0) {
            out.printf("ingest-raws: the registry records them and plans their processing; follow it with"
                    + " './lovoccs status %s'%n", o.cluster());
        }
        if (nBad > 0) {
            out.println("ingest-raws: the bad raws were not ingested and are where they were; replace them (./lovoccs"
                    + " download re-fetches a file) and run the same command again");
        }
        if (failed > 0) {
            out.println("ingest-raws: the failed raws were not recorded (see the messages above and the ingestion"
                    + " service's log); running the same command again retries them");
        }
    }
}
