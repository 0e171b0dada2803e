package org.lovoccs.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovoccs.simulator.CtioSite;
import org.lovoccs.simulator.ExposureSpec;
import org.lovoccs.simulator.RawDamage;
import org.lovoccs.simulator.RawEncoding;
import org.lovoccs.simulator.RawExposureSimulator;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code check-raws} on a folder of simulated DECam raws (2 CCDs each, plain and fpack) with damaged ones
 * among them, through the same checker ingestion runs.
 */
class CheckRawsCommandTest {
    static byte[] plain;
    static byte[] rice;

    @TempDir
    Path tmp;
    final ByteArrayOutputStream outBuf = new ByteArrayOutputStream();
    final ByteArrayOutputStream errBuf = new ByteArrayOutputStream();

    @BeforeAll
    static void simulate() throws Exception {
        Instant obs = CtioSite.nextTransit(10.4583, Instant.parse("2022-10-01T00:00:00Z"));
        ExposureSpec spec = new ExposureSpec("A85", 901234, "r", obs, 90, 10.4583, -9.3031, 1.1, 1500, 20, 5);
        plain = new RawExposureSimulator().toBytes(spec, List.of(1, 62));
        ByteArrayOutputStream fz = new ByteArrayOutputStream();
        new RawExposureSimulator().write(spec, List.of(1, 62), fz, RawEncoding.RICE);
        rice = fz.toByteArray();
    }

    private CheckRawsCommand command(String... args) {
        outBuf.reset();
        errBuf.reset();
        return new CheckRawsCommand(CheckRawsCommand.parse(args), new PrintStream(outBuf, true, StandardCharsets.UTF_8),
                new PrintStream(errBuf, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return outBuf.toString(StandardCharsets.UTF_8);
    }

    private static Path write(Path p, byte[] b) throws Exception {
        Files.createDirectories(p.getParent());
        return Files.write(p, b);
    }

    /** File name to its bytes for every regular file under {@code dir}. */
    private static Map<String, byte[]> contents(Path dir) throws Exception {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return m;
    }

    @Test
    void badRawsAreNamedWithTheirReasonsAndQuarantinedGoodOnesUntouched() throws Exception {
        Path dir = tmp.resolve("raws");
        Path q = dir.resolve("quarantine"); // inside DIR: must not be checked itself
        write(dir.resolve("c4d_good1_ori.fits"), plain);
        write(dir.resolve("c4d_good2_ori.fits"), plain);
        write(dir.resolve("night2/c4d_good3_ori.fits.fz"), rice); // fpack, as the archive serves raws
        byte[] truncated = RawDamage.truncate(plain, 0.5);
        byte[] noGain = RawDamage.withoutKeyword(rice, 2, "GAINA");
        byte[] notFits = RawDamage.notFits();
        write(dir.resolve("c4d_cut_ori.fits"), truncated);
        write(dir.resolve("night2/c4d_nogain_ori.fits.fz"), noGain);
        write(dir.resolve("night2/c4d_text_ori.fits"), notFits);
        write(dir.resolve("notes.txt"), "not a raw".getBytes(StandardCharsets.US_ASCII));
        byte[] earlier = "an earlier quarantined file of the same name".getBytes(StandardCharsets.US_ASCII);
        write(q.resolve("c4d_cut_ori.fits"), earlier); // a name clash in the quarantine folder
        Map<String, byte[]> goodBefore = contents(dir);
        goodBefore.keySet().removeIf(k -> k.contains("cut") || k.contains("nogain") || k.contains("text"));

        CheckRawsCommand c = command(dir.toString(), "--parallel", "3", "--quarantine", q.toString());
        CheckRawsCommand.Summary s = c.check();

        assertEquals(6, s.results().size(), out());
        Map<String, String> bad = s.bad().stream().collect(Collectors.toMap(r -> r.file().getFileName().toString(),
                CheckRawsCommand.Result::problem));
        assertEquals(Map.of("c4d_cut_ori.fits", "TRUNCATED", "c4d_nogain_ori.fits.fz", "MISSING_KEYWORD",
                "c4d_text_ori.fits", "NOT_FITS"), bad);
        Map<String, String> reasons = s.bad().stream().collect(Collectors.toMap(
                r -> r.file().getFileName().toString(), CheckRawsCommand.Result::reason));
        assertTrue(reasons.get("c4d_cut_ori.fits").startsWith("truncated: ")
                && reasons.get("c4d_cut_ori.fits").contains("HDU 2"), reasons.toString());
        assertEquals("HDU 2 (N31): required keyword GAINA is missing", reasons.get("c4d_nogain_ori.fits.fz"));
        assertTrue(reasons.get("c4d_text_ori.fits").startsWith("not a FITS file"), reasons.toString());

        String out = out();
        assertTrue(out.contains("BAD TRUNCATED       " + dir.resolve("c4d_cut_ori.fits") + ": truncated: "), out);
        assertTrue(out.contains("BAD MISSING_KEYWORD " + dir.resolve("night2/c4d_nogain_ori.fits.fz")
                + ": HDU 2 (N31): required keyword GAINA is missing"), out);
        assertTrue(out.contains("BAD NOT_FITS        " + dir.resolve("night2/c4d_text_ori.fits") + ": not a FITS"), out);
        assertEquals(3, out.lines().filter(l -> l.startsWith("BAD ")).count(), out);
        assertTrue(out.contains("6 files checked") && out.contains(
                " 3 good, 3 bad (MISSING_KEYWORD 1, NOT_FITS 1, TRUNCATED 1)"), out);
        assertTrue(out.contains("3 bad file(s) moved to " + q), out);
        assertEquals("", errBuf.toString(StandardCharsets.UTF_8), "no per-file progress spam");

        // the quarantine folder: the earlier file untouched, each bad file moved (a clash gets a suffix) with its reason
        Map<String, byte[]> quarantined = contents(q);
        assertEquals(Set.of("c4d_cut_ori.fits", "c4d_cut_ori.1.fits", "c4d_cut_ori.1.fits.reason.txt",
                "c4d_nogain_ori.fits.fz", "c4d_nogain_ori.fits.fz.reason.txt", "c4d_text_ori.fits",
                "c4d_text_ori.fits.reason.txt"), quarantined.keySet());
        assertArrayEquals(earlier, quarantined.get("c4d_cut_ori.fits"));
        assertArrayEquals(truncated, quarantined.get("c4d_cut_ori.1.fits"));
        assertArrayEquals(noGain, quarantined.get("c4d_nogain_ori.fits.fz"));
        assertArrayEquals(notFits, quarantined.get("c4d_text_ori.fits"));
        String reason = new String(quarantined.get("c4d_nogain_ori.fits.fz.reason.txt"), StandardCharsets.UTF_8);
        assertTrue(reason.contains("file: " + dir.resolve("night2/c4d_nogain_ori.fits.fz").toAbsolutePath())
                && reason.contains("problem: MISSING_KEYWORD")
                && reason.contains("reason: HDU 2 (N31): required keyword GAINA is missing")
                && reason.contains("size: " + noGain.length + " bytes"), reason);
        assertTrue(new String(quarantined.get("c4d_cut_ori.1.fits.reason.txt"), StandardCharsets.UTF_8)
                .contains("problem: TRUNCATED"));

        // good files (and the non-raw) untouched: same names, same bytes; the bad ones gone from DIR
        Map<String, byte[]> after = contents(dir);
        after.keySet().removeIf(k -> k.startsWith("quarantine/"));
        assertEquals(goodBefore.keySet(), after.keySet());
        for (String k : goodBefore.keySet()) {
            assertArrayEquals(goodBefore.get(k), after.get(k), k);
        }

        // a second run finds only good raws: the quarantine folder under DIR is not checked again
        assertEquals(0, CheckRawsCommand.run(new String[]{dir.toString(), "--quarantine", q.toString()},
                new PrintStream(outBuf, true, StandardCharsets.UTF_8), new PrintStream(errBuf, true, StandardCharsets.UTF_8)));
        assertTrue(out().contains("3 files checked") && out().contains(" 3 good, 0 bad;"), out());
    }

    @Test
    void exitCodeIsOneWhenSomeAreBadAndNothingMovesWithoutQuarantine() throws Exception {
        Path dir = tmp.resolve("raws");
        write(dir.resolve("a.fits"), plain);
        write(dir.resolve("b.fits"), RawDamage.withoutKeyword(plain, 1, "BIASSECB"));
        Map<String, byte[]> before = contents(dir);
        PrintStream o = new PrintStream(outBuf, true, StandardCharsets.UTF_8);
        assertEquals(1, CheckRawsCommand.run(new String[]{dir.toString()}, o, o));
        assertTrue(out().contains("BAD MISSING_KEYWORD " + dir.resolve("b.fits") + ": HDU 1 (S29): required keyword"
                + " BIASSECB is missing"), out());
        assertTrue(out().contains("run again with --quarantine QDIR"), out());
        Map<String, byte[]> after = contents(dir);
        assertEquals(before.keySet(), after.keySet());
        outBuf.reset();
        Files.delete(dir.resolve("b.fits"));
        assertEquals(0, CheckRawsCommand.run(new String[]{dir.toString()}, o, o));
    }

    /**
     * Concurrency without timing: each check, before reading its file, waits until N checks have begun. With
     * {@code --parallel N} that only happens if N checks are in flight at once; a sequential checker would
     * never release the latch (the wait's limit is only there so such a bug fails instead of hanging).
     */
    @Test
    void checksRunConcurrentlyOnTheBoundedPool() throws Exception {
        Path dir = tmp.resolve("raws");
        for (int i = 0; i < 8; i++) {
            write(dir.resolve("c4d_" + i + "_ori.fits" + (i % 2 == 0 ? "" : ".fz")), i % 2 == 0 ? plain : rice);
        }
        int n = 4;
        CountDownLatch begun = new CountDownLatch(n);
        AtomicBoolean allReleased = new AtomicBoolean(true);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        CheckRawsCommand c = command(dir.toString(), "--parallel", String.valueOf(n));
        c.beforeCheck = p -> {
            threads.add(Thread.currentThread().getName());
            begun.countDown();
            try {
                if (!begun.await(120, TimeUnit.SECONDS)) {
                    allReleased.set(false);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                allReleased.set(false);
            }
        };
        CheckRawsCommand.Summary s = c.check();
        assertTrue(allReleased.get(), "every check saw " + n + " checks begun at once");
        assertEquals(n, s.peakConcurrent());
        assertEquals(Set.of("check-raws-1", "check-raws-2", "check-raws-3", "check-raws-4"), threads);
        assertEquals(threads, s.results().stream().map(CheckRawsCommand.Result::thread).collect(Collectors.toSet()));
        assertTrue(s.bad().isEmpty(), out());
        assertTrue(out().contains("8 files checked") && out().contains("4 threads (up to 4 checks at once)"), out());
    }

    @Test
    void usageErrors() throws Exception {
        PrintStream o = new PrintStream(outBuf, true, StandardCharsets.UTF_8);
        assertEquals(2, CheckRawsCommand.run(new String[0], o, o));
        assertThrows(Main.UsageException.class, () -> CheckRawsCommand.parse(new String[]{tmp.resolve("none").toString()}));
        assertThrows(Main.UsageException.class, () -> CheckRawsCommand.parse(new String[]{tmp.toString(), "--bogus"}));
        assertThrows(Main.UsageException.class, () -> CheckRawsCommand.parse(new String[]{tmp.toString(), "--parallel", "0"}));
        assertThrows(Main.UsageException.class, () -> CheckRawsCommand.parse(new String[]{tmp.toString(), "--parallel"}));
        assertThrows(Main.UsageException.class, () -> CheckRawsCommand.parse(new String[]{tmp.toString(), tmp.toString()}));
        Path file = write(tmp.resolve("f.txt"), new byte[1]);
        assertThrows(Main.UsageException.class, () -> CheckRawsCommand.parse(new String[]{tmp.toString(), "--quarantine",
                file.toString()}));
        Main.CliException e = assertThrows(Main.CliException.class, () -> CheckRawsCommand.run(new String[]{
                tmp.toString()}, o, o));
        assertTrue(e.getMessage().contains("no raw files"), e.getMessage());
    }
}
