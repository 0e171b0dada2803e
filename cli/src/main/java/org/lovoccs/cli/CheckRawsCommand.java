package org.lovoccs.cli;

import org.lovoccs.rawcheck.RawChecker;
import org.lovoccs.rawcheck.RawRejected;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code check-raws DIR}: the seed's check_raws/move_corrupt_raws (open every HDU of every raw, flag the
 * ones that crash, move them aside) as one command, with the very checker ingestion runs on a landed raw
 * ({@link RawChecker}, module lovoccs-rawcheck): every HDU's header parsed and every data byte read and
 * checksummed, then the keywords ingestion and ISR need required. Files are checked by a bounded pool of
 * threads; the main thread alone prints and moves, so quarantine names never race.
 */
final class CheckRawsCommand {
    static final String USAGE = """
            usage: check-raws DIR [--parallel N] [--quarantine QDIR] [--progress S]
              DIR              checks every *.fits and *.fits.fz file under DIR (sub-folders included)
              --parallel N     files checked at once (default: the number of cores)
              --quarantine Q   move each bad file into Q, with NAME.reason.txt beside it (a name already
                               in Q gets a suffix: NAME.1.fits.fz); files under Q are not checked.
                               Nothing is ever deleted
              --progress S     seconds between progress lines on stderr (default 30)
            prints one line per bad file (problem code and reason) and a summary.
            exit 0 when every raw is good, 1 when some are bad or unreadable, 2 for bad usage.
            """;

    /** What the command line asked for. */
    record Options(Path dir, int parallel, Path quarantine, Duration progress) {
    }

    /**
     * One file's verdict. {@code problem} is null for a good file, a RawChecker code (NOT_FITS, TRUNCATED,
     * MISSING_KEYWORD, BAD_KEYWORD) for a bad one, UNREADABLE when it could not be read (not moved: the
     * file may be fine), CHECK_ERROR when the checker itself failed on it (moved, as the seed does with a
     * file that crashes its reader). {@code thread} is the worker that checked it.
     */
    record Result(Path file, long size, String problem, String reason, String thread) {
        boolean good() {
            return problem == null;
        }

        boolean movable() {
            return problem != null && !problem.equals("UNREADABLE");
        }
    }

    /** The whole run, for callers and tests. */
    record Summary(List<Result> results, Map<Path, Path> moved, int peakConcurrent, double seconds) {
        List<Result> bad() {
            return results.stream().filter(r -> !r.good()).toList();
        }
    }

    private final Options o;
    private final PrintStream out;
    private final PrintStream err;
    private final RawChecker checker = new RawChecker();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final LongAdder bytesDone = new LongAdder();
    /** Test hook: called on the worker thread as a check begins, with the file it is about to read. */
    Consumer<Path> beforeCheck = p -> { };

    CheckRawsCommand(Options o, PrintStream out, PrintStream err) {
        this.o = o;
        this.out = out;
        this.err = err;
    }

    static int run(String[] a, PrintStream out, PrintStream err) {
        if (a.length == 0 || Arrays.asList(a).contains("--help") || Arrays.asList(a).contains("-h")) {
            out.print(USAGE);
            return a.length == 0 ? 2 : 0;
        }
        Summary s = new CheckRawsCommand(parse(a), out, err).check();
        return s.bad().isEmpty() ? 0 : 1;
    }

    static Options parse(String[] a) {
        String dir = null;
        int parallel = Runtime.getRuntime().availableProcessors();
        String quarantine = null;
        double progress = 30;
        for (int i = 0; i < a.length; i++) {
            String opt = a[i];
            switch (opt) {
                case "--parallel" -> parallel = (int) DownloadCommand.number(a, ++i, opt, 1, 1024);
                case "--quarantine" -> quarantine = DownloadCommand.value(a, ++i, opt);
                case "--progress" -> progress = DownloadCommand.number(a, ++i, opt, 0.1, 86400);
                default -> {
                    if (opt.startsWith("-") || dir != null) {
                        throw new Main.UsageException("check-raws: unexpected argument '" + opt
                                + "' (see 'check-raws --help')");
                    }
                    dir = opt;
                }
            }
        }
        if (dir == null) {
            throw new Main.UsageException("check-raws needs DIR (see 'check-raws --help')");
        }
        Path d = Path.of(dir);
        if (!Files.isDirectory(d)) {
            throw new Main.UsageException("check-raws: " + d + " is not a folder");
        }
        Path q = quarantine == null ? null : Path.of(quarantine);
        if (q != null && Files.exists(q) && !Files.isDirectory(q)) {
            throw new Main.UsageException("check-raws: --quarantine " + q + " exists and is not a folder");
        }
        return new Options(d, parallel, q, Duration.ofMillis(Math.round(progress * 1000)));
    }

    /** The raw files under {@code dir}, sorted, leaving out those under {@code skip}. */
    static List<Path> rawFiles(Path dir, Path skip) {
        Path skipAbs = skip == null ? null : skip.toAbsolutePath().normalize();
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().matches(".*\\.fits(\\.fz)?$"))
                    .filter(f -> skipAbs == null || !f.toAbsolutePath().normalize().startsWith(skipAbs))
                    .sorted().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new Main.CliException("cannot list " + dir + ": " + e.getMessage());
        }
    }

    Summary check() {
        List<Path> files = rawFiles(o.dir(), o.quarantine());
        if (files.isEmpty()) {
            throw new Main.CliException("check-raws: no raw files (*.fits, *.fits.fz) under " + o.dir());
        }
        long total = 0;
        for (Path f : files) {
            total += size(f);
        }
        int threads = Math.min(o.parallel(), files.size());
        out.printf("check-raws: %s (%s) under %s, %d at a time%n", plural(files.size(), "file"),
                DownloadCommand.human(total), o.dir(), threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads, named("check-raws"));
        CompletionService<Result> done = new ExecutorCompletionService<>(pool);
        long t0 = System.nanoTime();
        for (Path f : files) {
            done.submit(() -> checkOne(f));
        }
        List<Result> results = new ArrayList<>();
        Map<Path, Path> moved = new TreeMap<>();
        long nextProgress = t0 + o.progress().toNanos();
        int bad = 0;
        try {
            while (results.size() < files.size()) {
                Future<Result> next = done.poll(Math.max(1, nextProgress - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (next != null) {
                    Result r = next.get();
                    results.add(r);
                    if (!r.good()) {
                        bad++;
                        out.printf("BAD %-15s %s: %s%n", r.problem(), r.file(), r.reason());
                        if (o.quarantine() != null && r.movable()) {
                            moved.put(r.file(), quarantine(r));
                        }
                    }
                }
                long now = System.nanoTime();
                if (now >= nextProgress) {
                    double secs = (now - t0) / 1e9;
                    err.printf(Locale.ROOT, "check-raws: %d of %d files checked, %d bad, %s of %s, %.0f MB/s, %.0f s%n",
                            results.size(), files.size(), bad, DownloadCommand.human(bytesDone.sum()),
                            DownloadCommand.human(total), bytesDone.sum() / 1e6 / secs, secs);
                    nextProgress = now + o.progress().toNanos();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Main.CliException("check-raws: interrupted after " + results.size() + " of " + files.size()
                    + " files; re-run to check again");
        } catch (ExecutionException e) {
            throw new Main.CliException("check-raws: " + e.getCause());
        } finally {
            pool.shutdownNow();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        Summary s = new Summary(results, moved, peak.get(), secs);
        printSummary(s, total, threads);
        return s;
    }

    private Result checkOne(Path f) {
        int now = inFlight.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
        String thread = Thread.currentThread().getName();
        long size = -1;
        try {
            beforeCheck.accept(f);
            size = Files.size(f);
            try (InputStream in = Files.newInputStream(f)) {
                checker.check(in, size);
            }
            return new Result(f, size, null, null, thread);
        } catch (RawRejected e) {
            return new Result(f, size, e.problem(), e.getMessage(), thread);
        } catch (IOException e) {
            return new Result(f, size, "UNREADABLE", "could not be read (" + e + "); not moved: check the disk"
                    + " and run again", thread);
        } catch (RuntimeException e) {
            return new Result(f, size, "CHECK_ERROR", "the checker failed on it: " + e, thread);
        } finally {
            if (size > 0) {
                bytesDone.add(size);
            }
            inFlight.decrementAndGet();
        }
    }

    /** Moves a bad file into the quarantine folder and writes its reason beside it; returns where it went. */
    private Path quarantine(Result r) {
        try {
            Files.createDirectories(o.quarantine());
            String name = r.file().getFileName().toString();
            int ext = name.endsWith(".fits.fz") ? name.length() - 8 : name.length() - 5;
            for (int n = 0; ; n++) {
                String candidate = n == 0 ? name : name.substring(0, ext) + "." + n + name.substring(ext);
                Path target = o.quarantine().resolve(candidate);
                Path reason = o.quarantine().resolve(candidate + ".reason.txt");
                if (Files.exists(target) || Files.exists(reason)) {
                    continue;
                }
                try {
                    Files.move(r.file(), target); // no REPLACE_EXISTING: never overwrites
                } catch (FileAlreadyExistsException e) {
                    continue;
                }
                Files.writeString(reason, String.format(Locale.ROOT,
                                "file: %s%nproblem: %s%nreason: %s%nsize: %d bytes%nchecked: %s by ./lovoccs check-raws%n",
                                r.file().toAbsolutePath(), r.problem(), r.reason(), r.size(), Instant.now()),
                        StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                out.printf("    moved to %s (reason in %s)%n", target, reason.getFileName());
                return target;
            }
        } catch (IOException e) {
            throw new Main.CliException("check-raws: cannot quarantine " + r.file() + " into " + o.quarantine() + ": "
                    + e + " (nothing was deleted; files checked so far: see above)");
        }
    }

    private void printSummary(Summary s, long total, int threads) {
        List<Result> bad = s.bad();
        Map<String, Long> byProblem = bad.stream()
                .collect(Collectors.groupingBy(Result::problem, TreeMap::new, Collectors.counting()));
        out.printf(Locale.ROOT, "check-raws: %s checked (%s) in %.1f s, %s (up to %s at once):"
                        + " %d good, %d bad%s; %.1f MB/s, %.2f files/s%n", plural(s.results().size(), "file"),
                DownloadCommand.human(total), s.seconds(), plural(threads, "thread"),
                plural(s.peakConcurrent(), "check"), s.results().size() - bad.size(),
                bad.size(), byProblem.isEmpty() ? "" : " (" + byProblem.entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")) + ")",
                total / 1e6 / s.seconds(), s.results().size() / s.seconds());
        if (bad.isEmpty()) {
            return;
        }
        long unreadable = bad.stream().filter(r -> !r.movable()).count();
        if (o.quarantine() != null) {
            out.printf("check-raws: %d bad file(s) moved to %s, each with NAME.reason.txt; download them again"
                    + " (./lovoccs download re-fetches a missing file) and run check-raws again%n", s.moved().size(),
                    o.quarantine());
        } else {
            out.printf("check-raws: to move the bad files aside, run again with --quarantine QDIR; then download them"
                    + " again (./lovoccs download re-fetches a missing file)%n");
        }
        if (unreadable > 0) {
            out.printf("check-raws: %d file(s) could not be read and were left in place: check the disk and run"
                    + " again%n", unreadable);
        }
    }

    private static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return 0;
        }
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
