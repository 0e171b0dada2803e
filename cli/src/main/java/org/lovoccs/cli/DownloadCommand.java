package org.lovoccs.cli;

import org.lovoccs.objectstore.ObjectStore;
import org.lovoccs.objectstore.ObjectStoreException;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * {@code download CLUSTER --urls FILE --out DIR}: the seed's download_raw (8 downloads in parallel,
 * resubmitted until every file is there) as one command. Each file goes to {@code NAME.part}, continues
 * from where it stopped ({@link Fetch}), and is renamed to NAME only when its size and checksum are
 * verified, so a file named NAME in DIR is always complete. Failed attempts are retried with exponential
 * backoff and jitter; a file that keeps failing is given up while the others continue, and the command
 * exits 1 naming it. Re-running the same command resumes: verified files are skipped, parts continue.
 */
final class DownloadCommand {
    static final String USAGE = """
            usage: download CLUSTER --urls FILE --out DIR [--parallel 8] [--retries 8] [--timeout 60]
                                    [--backoff 2] [--progress 30] [--land]
              --urls FILE      one archive URL a line: URL [SIZE] [md5:HEX|sha256:HEX] [NAME]; # starts a comment.
                               The file is saved as NAME, else as the last segment of the URL's path
              --out DIR        where the files go (NAME.part while incomplete)
              --parallel N     downloads at once (default 8, as the seed's download_raw)
              --retries N      attempts after the first before a file is given up (default 8)
              --timeout S      seconds the server may stay silent before an attempt is abandoned (default 60)
              --backoff S      delay before the first retry, doubled each time up to 5 min, with jitter;
                               a 429/503's Retry-After is honoured (default 2)
              --progress S     seconds between summary lines (default 30)
              --land           put each verified file into s3://lovoccs-landing/CLUSTER/NAME for ingestion
            exit 0 when every listed file is in DIR (and landed, with --land); 1 naming the missing ones.
            Re-running resumes: complete verified files are skipped, NAME.part files continue.
            """;

    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(30);

    /** What the command line asked for. */
    record Options(String cluster, Path urls, Path out, int parallel, int retries, Duration timeout,
                   Duration backoff, Duration progress, boolean land) {
    }

    /** Puts a verified file where ingestion picks it up; returns where it went. Thread-safe. */
    interface Landing {
        String land(String cluster, String name, Path file) throws Exception;
    }

    private final Options o;
    private final Landing landing;
    private final PrintStream out;
    private final PrintStream err;
    private final String rerun;
    private final HttpClient http;
    private final Fetch fetch;
    private final LongAdder bytes = new LongAdder();
    private final AtomicInteger downloaded = new AtomicInteger();
    private final AtomicInteger present = new AtomicInteger();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private final Map<DownloadList.Entry, String> missing = new ConcurrentHashMap<>();
    private final Set<String> landed = ConcurrentHashMap.newKeySet();
    private final DelayQueue<Job> queue = new DelayQueue<>();
    private CountDownLatch remaining;

    DownloadCommand(Options o, Landing landing, PrintStream out, PrintStream err, String rerun) {
        this.o = o;
        this.landing = landing;
        this.out = out;
        this.err = err;
        this.rerun = rerun;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(o.timeout()).build();
        this.fetch = new Fetch(http, o.timeout(), bytes);
    }

    static int run(String[] a, PrintStream out, PrintStream err) {
        if (a.length == 0 || Arrays.asList(a).contains("--help") || Arrays.asList(a).contains("-h")) {
            out.print(USAGE);
            return a.length == 0 ? 2 : 0;
        }
        Options o = parse(a);
        Landing landing = o.land() ? S3Landing.fromEnvironment() : null;
        return new DownloadCommand(o, landing, out, err, "./lovoccs download " + Arrays.stream(a)
                .map(s -> s.matches("[\\w./:=,@+-]+") ? s : "'" + s.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "))).download();
    }

    static Options parse(String[] a) {
        String cluster = Main.arg(a, 0, "CLUSTER");
        String urls = null;
        String dir = null;
        int parallel = 8;
        int retries = 8;
        double timeout = 60;
        double backoff = 2;
        double progress = 30;
        boolean land = false;
        for (int i = 1; i < a.length; i++) {
            String opt = a[i];
            switch (opt) {
                case "--urls" -> urls = value(a, ++i, opt);
                case "--out" -> dir = value(a, ++i, opt);
                case "--parallel" -> parallel = (int) number(a, ++i, opt, 1, 256);
                case "--retries" -> retries = (int) number(a, ++i, opt, 0, 1000);
                case "--timeout" -> timeout = number(a, ++i, opt, 0.1, 86400);
                case "--backoff" -> backoff = number(a, ++i, opt, 0, 3600);
                case "--progress" -> progress = number(a, ++i, opt, 0.1, 86400);
                case "--land" -> land = true;
                default -> throw new Main.UsageException("download: unknown option '" + opt + "' (see 'download --help')");
            }
        }
        if (urls == null || dir == null) {
            throw new Main.UsageException("download needs --urls FILE and --out DIR (see 'download --help')");
        }
        return new Options(cluster, Path.of(urls), Path.of(dir), parallel, retries, seconds(timeout),
                seconds(backoff), seconds(progress), land);
    }

    int download() {
        List<DownloadList.Entry> entries = DownloadList.read(o.urls());
        try {
            Files.createDirectories(o.out());
        } catch (IOException e) {
            throw new Main.CliException("cannot create " + o.out() + ": " + e.getMessage());
        }
        loadLandedLog();
        remaining = new CountDownLatch(entries.size());
        long now = System.nanoTime();
        for (DownloadList.Entry e : entries) {
            queue.add(new Job(e, 1, now, now));
        }
        long known = entries.stream().mapToLong(DownloadList.Entry::size).filter(s -> s >= 0).sum();
        out.printf("download %s: %d files into %s, %d at a time%s%n", o.cluster(), entries.size(), o.out(),
                o.parallel(), known > 0 ? " (" + human(known) + " listed)" : "");
        ExecutorService workers = Executors.newFixedThreadPool(o.parallel(), daemon("download"));
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(daemon("download-progress"));
        long t0 = System.nanoTime();
        long[] last = {t0, 0};
        ticker.scheduleAtFixedRate(() -> summary(entries.size(), last), o.progress().toMillis(),
                o.progress().toMillis(), TimeUnit.MILLISECONDS);
        try {
            for (int i = 0; i < o.parallel(); i++) {
                workers.submit(this::work);
            }
            remaining.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Main.CliException("interrupted; re-run to resume: " + rerun);
        } finally {
            ticker.shutdownNow();
            workers.shutdownNow();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        int complete = downloaded.get() + present.get();
        out.printf("download %s: %d of %d files complete in %s (%d downloaded now, %d already complete and"
                        + " verified); %s transferred in %.1f s%n", o.cluster(), entries.size() - missing.size(),
                entries.size(), o.out(), downloaded.get(), present.get(), human(bytes.sum()), secs);
        if (missing.isEmpty()) {
            return 0;
        }
        List<DownloadList.Entry> failed = new ArrayList<>(missing.keySet());
        failed.sort((x, y) -> Integer.compare(x.line(), y.line()));
        err.printf("download %s: %d file(s) missing%s:%n", o.cluster(), failed.size(),
                complete > entries.size() - failed.size() ? " or not landed" : "");
        for (DownloadList.Entry e : failed) {
            err.printf("  %s (line %d, %s): %s%n", e.name(), e.line(), e.url(), missing.get(e));
        }
        err.println("re-run the same command to resume (verified files are skipped, .part files continue):");
        err.println("  " + rerun);
        return 1;
    }

    private void work() {
        while (remaining.getCount() > 0) {
            Job j;
            try {
                j = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (j == null) {
                continue;
            }
            if (j.attempt > 1) {
                waiting.decrementAndGet();
            }
            try {
                process(j);
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                giveUp(j.entry, "unexpected error: " + e);
            }
        }
    }

    private void process(Job j) throws IOException, InterruptedException {
        DownloadList.Entry e = j.entry;
        Path target = o.out().resolve(e.name());
        Path part = Fetch.part(o.out(), e.name());
        if (j.attempt == 1 && Files.exists(target)) {
            String wrong = wrongWith(e, target);
            if (wrong == null) {
                Files.deleteIfExists(part);
                Files.deleteIfExists(Fetch.validator(o.out(), e.name()));
                present.incrementAndGet();
                finish(e, target);
                return;
            }
            out.printf("again %s: the file present has %s; downloading it again (it stays until a verified copy"
                    + " replaces it)%n", e.name(), wrong);
        }
        active.incrementAndGet();
        Fetch.Result r;
        try {
            r = fetch.attempt(e, o.out());
        } finally {
            active.decrementAndGet();
        }
        if (r instanceof Fetch.Complete c) {
            if (e.checksum() != null && !e.checksum().equals(c.actual())) {
                Files.deleteIfExists(part);
                retryOrGiveUp(j, "checksum mismatch: the list says " + e.checksum() + ", the download has "
                        + c.actual() + (Files.exists(target) ? " (the file already present was kept)" : ""), null);
                return;
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(Fetch.validator(o.out(), e.name()));
            downloaded.incrementAndGet();
            double secs = (System.nanoTime() - j.firstStart) / 1e9;
            out.printf("done %s %s in %.1f s%s%s%n", e.name(), human(c.length()), secs,
                    j.attempt > 1 ? ", attempt " + j.attempt : "", c.note() == null ? "" : " (" + c.note() + ")");
            finish(e, target);
        } else if (r instanceof Fetch.Retry rt) {
            retryOrGiveUp(j, rt.reason(), rt.retryAfter());
        } else {
            giveUp(e, ((Fetch.Fail) r).reason());
        }
    }

    private void retryOrGiveUp(Job j, String reason, Duration retryAfter) {
        int attempts = o.retries() + 1;
        if (j.attempt >= attempts) {
            giveUp(j.entry, reason + " (gave up after " + attempts + " attempt" + (attempts == 1 ? "" : "s") + ")");
            return;
        }
        Duration wait = delay(j.attempt, retryAfter);
        out.printf("retry %s: %s; attempt %d of %d in %s s%s%n", j.entry.name(), reason, j.attempt + 1, attempts,
                Fetch.seconds(wait), retryAfter != null && !retryAfter.isZero() ? " (Retry-After)" : "");
        waiting.incrementAndGet();
        queue.add(new Job(j.entry, j.attempt + 1, System.nanoTime() + wait.toNanos(), j.firstStart));
    }

    /**
     * The wait after failed attempt {@code attempt}: the server's Retry-After if it gave one (up to 30 min),
     * else backoff * 2^(attempt-1) up to 5 min, of which a random half ("equal jitter"), so that files failing
     * together do not come back together.
     */
    Duration delay(int attempt, Duration retryAfter) {
        if (retryAfter != null) {
            return retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
        }
        long ms = o.backoff().toMillis() << Math.min(attempt - 1, 30);
        ms = Math.min(ms, MAX_BACKOFF.toMillis());
        return Duration.ofMillis(ms / 2 + (ms < 2 ? 0 : ThreadLocalRandom.current().nextLong(ms / 2 + 1)));
    }

    private void giveUp(DownloadList.Entry e, String reason) {
        missing.put(e, reason);
        out.printf("FAILED %s: %s%n", e.name(), reason);
        remaining.countDown();
    }

    /** Lands a complete file when asked (once: names landed before are in DIR/.landed), then counts it done. */
    private void finish(DownloadList.Entry e, Path file) {
        try {
            if (landing != null && !landed.contains(e.name())) {
                String where;
                try {
                    where = landing.land(o.cluster(), e.name(), file);
                } catch (Exception x) {
                    missing.put(e, "downloaded and verified, but landing it failed: " + x.getMessage()
                            + " (is the stack up? './lovoccs stack status')");
                    out.printf("FAILED to land %s: %s%n", e.name(), x.getMessage());
                    return;
                }
                recordLanded(e.name());
                out.printf("landed %s -> %s%n", e.name(), where);
            }
        } finally {
            remaining.countDown();
        }
    }

    /** Null if {@code file} is what the list describes, else what is wrong with it. */
    private static String wrongWith(DownloadList.Entry e, Path file) throws IOException {
        long size = Files.size(file);
        if (e.size() >= 0 && size != e.size()) {
            return size + " bytes where the list says " + e.size();
        }
        if (e.checksum() == null) {
            return null;
        }
        MessageDigest md = e.checksum().newDigest();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        Checksum actual = e.checksum().of(md);
        return actual.equals(e.checksum()) ? null : "checksum " + actual + " where the list says " + e.checksum();
    }

    private void summary(int total, long[] last) {
        long now = System.nanoTime();
        long b = bytes.sum();
        double rate = (b - last[1]) / Math.max(1e-9, (now - last[0]) / 1e9);
        last[0] = now;
        last[1] = b;
        out.printf("progress %s: %d/%d files complete (%d downloaded, %d already here), %d given up; %s this run,"
                        + " %s/s; %d downloading, %d waiting to retry%n", o.cluster(),
                downloaded.get() + present.get(), total, downloaded.get(), present.get(), missing.size(), human(b),
                human((long) rate), active.get(), waiting.get());
    }

    private Path landedLog() {
        return o.out().resolve(".landed");
    }

    private void loadLandedLog() {
        if (landing == null || !Files.isRegularFile(landedLog())) {
            return;
        }
        try {
            landed.addAll(Files.readAllLines(landedLog(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new Main.CliException("cannot read " + landedLog() + ": " + e.getMessage());
        }
    }

    private synchronized void recordLanded(String name) {
        landed.add(name);
        try {
            Files.writeString(landedLog(), name + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            out.printf("warning: cannot record %s in %s (%s); a re-run will land it again%n", name, landedLog(),
                    e.getMessage());
        }
    }

    /** The landing bucket ({@code LOVOCCS_LANDING_BUCKET}, default lovoccs-landing) of the object store, as {@code land} uses it. */
    static final class S3Landing implements Landing {
        private final ObjectStore store;
        private final String bucket;

        S3Landing(ObjectStore store, String bucket) {
            this.store = store;
            this.bucket = bucket;
        }

        /** Checks the bucket is reachable before any download starts, so an overnight run does not fail at the end. */
        static S3Landing fromEnvironment() {
            ObjectStore store = ObjectStore.fromEnvironment();
            String bucket = System.getenv().getOrDefault("LOVOCCS_LANDING_BUCKET", "lovoccs-landing");
            try {
                store.ensureBucket(bucket);
            } catch (ObjectStoreException e) {
                throw new Main.CliException("--land: cannot reach the landing bucket s3://" + bucket + " at "
                        + store.endpoint() + " (" + e.getMessage() + "); start the stack ('./lovoccs stack up'), set"
                        + " LOVOCCS_S3_ENDPOINT, or download without --land and run './lovoccs land' later");
            }
            return new S3Landing(store, bucket);
        }

        @Override
        public String land(String cluster, String name, Path file) {
            String key = cluster + "/" + name;
            store.put(bucket, key, file, "application/fits");
            return "s3://" + bucket + "/" + key;
        }
    }

    private record Job(DownloadList.Entry entry, int attempt, long notBefore, long firstStart) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(notBefore - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            Job j = (Job) other;
            int c = Long.compare(notBefore, j.notBefore);
            return c != 0 ? c : Integer.compare(entry.line(), j.entry.line());
        }
    }

    static String human(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String units = "KMGTP";
        int u = Math.min(units.length(), (int) (Math.log(n) / Math.log(1024)));
        return String.format(Locale.ROOT, "%.1f %siB", n / Math.pow(1024, u), units.charAt(u - 1));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static Duration seconds(double s) {
        return Duration.ofMillis(Math.round(s * 1000));
    }

    static String value(String[] a, int i, String opt) {
        if (i >= a.length || a[i].startsWith("--")) {
            throw new Main.UsageException("option " + opt + " needs a value");
        }
        return a[i];
    }

    static double number(String[] a, int i, String opt, double min, double max) {
        String v = value(a, i, opt);
        try {
            double d = Double.parseDouble(v);
            if (d < min || d > max || Double.isNaN(d)) {
                throw new Main.UsageException(opt + " " + v + ": expected a number from " + min + " to " + max);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new Main.UsageException(opt + " " + v + ": not a number");
        }
    }
}
