package org.lovoccs.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;
import static org.lovoccs.cli.FaultyArchive.Fault.*;

/** {@code download} against a real local HTTP server that fails on purpose ({@link FaultyArchive}). */
class DownloadCommandTest {
    @TempDir
    Path tmp;
    FaultyArchive archive;
    final ByteArrayOutputStream outBuf = new ByteArrayOutputStream();
    final ByteArrayOutputStream errBuf = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws IOException {
        archive = new FaultyArchive();
    }

    @AfterEach
    void stop() {
        archive.close();
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String md5(byte[] b) throws Exception {
        return "md5:" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    }

    static String sha256(byte[] b) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private int run(Path list, Path out, String... extra) {
        outBuf.reset();
        errBuf.reset();
        List<String> a = new ArrayList<>(List.of("A85", "--urls", list.toString(), "--out", out.toString(),
                "--parallel", "4", "--retries", "2", "--timeout", "1", "--backoff", "0.05", "--progress", "0.5"));
        a.addAll(List.of(extra));
        return DownloadCommand.run(a.toArray(String[]::new), new PrintStream(outBuf, true, StandardCharsets.UTF_8),
                new PrintStream(errBuf, true, StandardCharsets.UTF_8));
    }

    private int run(Path list, Path out, DownloadCommand.Landing landing) {
        outBuf.reset();
        errBuf.reset();
        String[] a = {"A85", "--urls", list.toString(), "--out", out.toString(), "--parallel", "2", "--retries", "1",
                "--timeout", "1", "--backoff", "0.05", "--land"};
        return new DownloadCommand(DownloadCommand.parse(a), landing, new PrintStream(outBuf, true, StandardCharsets.UTF_8),
                new PrintStream(errBuf, true, StandardCharsets.UTF_8), "./lovoccs download ...").download();
    }

    private String out() {
        return outBuf.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBuf.toString(StandardCharsets.UTF_8);
    }

    private static long rangeStart(FaultyArchive.Request r) {
        Matcher m = Pattern.compile("bytes=(\\d+)-").matcher(r.range() == null ? "" : r.range());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    @Test
    void everyFaultIsSurvivedOrReportedAndASecondRunDownloadsNothing() throws Exception {
        byte[][] good = {bytes(200_000, 1), bytes(150_000, 2), bytes(180_000, 3), bytes(120_000, 4)};
        byte[] busy = bytes(100_000, 5);
        byte[] trunc = bytes(1_000_000, 6);
        byte[] noRange = bytes(400_000, 7);
        byte[] badSum = bytes(50_000, 8);
        byte[] slow = bytes(300_000, 9);
        archive.delay(300);
        for (int i = 0; i < good.length; i++) {
            archive.serve("/files/good" + i + ".fits.fz", good[i], null);
        }
        archive.serve("/files/busy.fits.fz", busy, BUSY).serve("/files/trunc.fits.fz", trunc, TRUNCATE)
                .serve("/files/norange.fits.fz", noRange, IGNORE_RANGE).serve("/files/missing.fits.fz", busy, NOT_FOUND)
                .serve("/files/badsum.fits.fz", badSum, null).serve("/api/retrieve/0123abcd/", slow, STALL);
        Path list = tmp.resolve("urls.txt");
        Files.writeString(list, String.join("\n",
                "# A85 raws, as the archive query gave them",
                archive.url("/files/good0.fits.fz") + " " + good[0].length + " " + md5(good[0]),
                archive.url("/files/good1.fits.fz") + " " + sha256(good[1]) + "   # checksum, no size",
                archive.url("/files/good2.fits.fz") + " " + good[2].length,
                archive.url("/files/good3.fits.fz"),
                "",
                archive.url("/files/busy.fits.fz") + " " + busy.length + " " + md5(busy),
                archive.url("/files/trunc.fits.fz") + " " + trunc.length + " " + md5(trunc),
                archive.url("/files/norange.fits.fz") + " " + noRange.length + " " + md5(noRange),
                archive.url("/files/missing.fits.fz") + " " + busy.length,
                archive.url("/files/badsum.fits.fz") + " " + badSum.length + " " + md5(busy),
                archive.url("/api/retrieve/0123abcd/") + " " + slow.length + " " + md5(slow) + " c4d_slow.fits.fz",
                ""));
        Path dir = tmp.resolve("raw");
        long t0 = System.nanoTime();
        int rc = run(list, dir);
        double secs = (System.nanoTime() - t0) / 1e9;
        String out = out();
        String err = err();

        // the good ones, and every one that failed only for a while, are complete and byte-identical
        for (int i = 0; i < good.length; i++) {
            assertArrayEquals(good[i], Files.readAllBytes(dir.resolve("good" + i + ".fits.fz")), out);
        }
        assertArrayEquals(busy, Files.readAllBytes(dir.resolve("busy.fits.fz")), out);
        assertArrayEquals(trunc, Files.readAllBytes(dir.resolve("trunc.fits.fz")), out);
        assertArrayEquals(noRange, Files.readAllBytes(dir.resolve("norange.fits.fz")), out);
        assertArrayEquals(slow, Files.readAllBytes(dir.resolve("c4d_slow.fits.fz")), out);
        assertFalse(Files.exists(dir.resolve("trunc.fits.fz.part")));

        // the 404 and the wrong checksum are reported, named, with how to re-run; nothing half-done is left as a file
        assertEquals(1, rc, out + err);
        assertTrue(err.contains("2 file(s) missing"), err);
        assertTrue(err.contains("missing.fits.fz (line 10, " + archive.url("/files/missing.fits.fz") + "): HTTP 404"), err);
        assertTrue(err.contains("badsum.fits.fz (line 11"), err);
        assertTrue(err.contains("checksum mismatch: the list says " + md5(busy) + ", the download has " + md5(badSum)), err);
        assertTrue(err.contains("./lovoccs download A85 --urls " + list + " --out " + dir), err);
        assertFalse(Files.exists(dir.resolve("missing.fits.fz")));
        assertFalse(Files.exists(dir.resolve("badsum.fits.fz")));
        assertEquals(1, archive.requests("/files/missing.fits.fz").size(), "a 404 is not retried");
        assertEquals(3, archive.requests("/files/badsum.fits.fz").size(), "a checksum mismatch is retried, 1 + --retries 2");

        // the truncated body resumed with Range: bytes=K- where K is what had arrived
        List<FaultyArchive.Request> tr = archive.requests("/files/trunc.fits.fz");
        assertEquals(2, tr.size(), out);
        assertNull(tr.get(0).range());
        long k = rangeStart(tr.get(1));
        assertTrue(k > 0 && k < trunc.length, "second request " + tr.get(1));
        assertTrue(out.contains("retry trunc.fits.fz: transfer broke off after " + k + " bytes"), out);
        assertTrue(out.contains("done trunc.fits.fz 976.6 KiB"), out);
        assertTrue(out.contains("resumed at byte " + k), out);

        // a server that ignores Range: the 200 restarts the file from 0, and it still verifies
        List<FaultyArchive.Request> nr = archive.requests("/files/norange.fits.fz");
        assertEquals(2, nr.size());
        assertTrue(rangeStart(nr.get(1)) > 0, "the client asked to resume: " + nr.get(1));
        assertTrue(out.contains("restarted from 0"), out);

        // 503 with Retry-After: 1 is honoured (not the 0.05 s backoff)
        List<FaultyArchive.Request> bz = archive.requests("/files/busy.fits.fz");
        assertEquals(2, bz.size());
        assertTrue(bz.get(1).nanos() - bz.get(0).nanos() >= 950_000_000L, "Retry-After: 1 honoured");
        assertTrue(out.contains("retry busy.fits.fz: HTTP 503") && out.contains("(Retry-After)"), out);

        // a stalled body is abandoned after --timeout 1 and resumed
        List<FaultyArchive.Request> sl = archive.requests("/api/retrieve/0123abcd/");
        assertEquals(2, sl.size());
        assertTrue(out.contains("retry c4d_slow.fits.fz: server silent for 1 s"), out);
        assertTrue(rangeStart(sl.get(1)) > 0, "the stalled one resumed: " + sl.get(1));

        // downloads overlapped, at most --parallel 4 at once
        assertTrue(archive.maxInFlight() > 1 && archive.maxInFlight() <= 4, "max in flight " + archive.maxInFlight());
        assertTrue(out.contains("progress A85: "), "a periodic summary: " + out);
        assertTrue(out.contains("download A85: 8 of 10 files complete"), out);
        assertTrue(secs < 10, "took " + secs + " s");

        // a second run: nothing new is fetched; the complete files are verified and skipped
        int before = archive.requestCount();
        rc = run(list, dir);
        assertEquals(1, rc);
        List<String> again = new ArrayList<>();
        for (String p : List.of("/files/good0.fits.fz", "/files/good1.fits.fz", "/files/good2.fits.fz",
                "/files/good3.fits.fz", "/files/busy.fits.fz", "/files/trunc.fits.fz", "/files/norange.fits.fz",
                "/api/retrieve/0123abcd/")) {
            archive.requests(p).stream().skip(p.equals("/files/busy.fits.fz") || p.contains("trunc")
                    || p.contains("norange") || p.contains("retrieve") ? 2 : 1).forEach(r -> again.add(r.path()));
        }
        assertEquals(List.of(), again, "the second run fetched complete files again");
        assertEquals(before + 1 + 3, archive.requestCount(), "only the 404 and the bad checksum were asked again");
        assertTrue(out().contains("0 downloaded now, 8 already complete and verified"), out());
        assertFalse(out().contains("done "), out());
    }

    @Test
    void aWrongFileIsReplacedButAWrongListNeverCostsAGoodFile() throws Exception {
        byte[] a = bytes(70_000, 11);
        byte[] b = bytes(60_000, 12);
        archive.serve("/a.fits", a, null).serve("/b.fits", b, null);
        Path dir = Files.createDirectories(tmp.resolve("raw"));
        Files.write(dir.resolve("a.fits"), bytes(70_000, 99)); // same size, wrong bytes
        Files.write(dir.resolve("b.fits"), b);                  // right bytes, but the list's checksum is wrong
        Path list = tmp.resolve("urls.txt");
        Files.writeString(list, archive.url("/a.fits") + " " + md5(a) + "\n"
                + archive.url("/b.fits") + " " + md5(a) + "\n");
        int rc = run(list, dir);
        assertEquals(1, rc);
        assertArrayEquals(a, Files.readAllBytes(dir.resolve("a.fits")));
        assertTrue(out().contains("again a.fits: the file present has checksum " + md5(bytes(70_000, 99))), out());
        assertArrayEquals(b, Files.readAllBytes(dir.resolve("b.fits")), "a wrong list must not cost the file");
        assertTrue(err().contains("b.fits (line 2") && err().contains("the file already present was kept"), err());
    }

    @Test
    void aPartFromAnEarlierRunResumesAndAChangedFileStartsAgain() throws Exception {
        byte[] a = bytes(90_000, 21);
        byte[] changed = bytes(90_000, 22);
        byte[] d = bytes(5_000, 23);
        archive.serve("/a.fits", a, null).serve("/c.fits", changed, null).serve("/d.fits", d, null);
        Path dir = Files.createDirectories(tmp.resolve("raw"));
        Files.write(dir.resolve("a.fits.part"), java.util.Arrays.copyOf(a, 30_000));
        // d.fits.part is already whole, but the list gives no size to tell: the server answers 416
        Files.write(dir.resolve("d.fits.part"), d);
        // c.fits.part was started from an older version of the file, whose ETag was different
        Files.write(dir.resolve("c.fits.part"), java.util.Arrays.copyOf(a, 40_000));
        Files.writeString(dir.resolve(".c.fits.validator"), "\"old-etag\"\n");
        Path list = tmp.resolve("urls.txt");
        Files.writeString(list, archive.url("/a.fits") + " " + md5(a) + "\n" + archive.url("/c.fits") + "\n"
                + archive.url("/d.fits") + " " + md5(d) + "\n");
        assertEquals(0, run(list, dir), out() + err());
        assertArrayEquals(d, Files.readAllBytes(dir.resolve("d.fits")));
        assertEquals("bytes=5000-", archive.requests("/d.fits").get(0).range());
        assertEquals(1, archive.requests("/d.fits").size());
        assertTrue(out().contains("done d.fits 4.9 KiB") && out().contains("the part already held the whole file"), out());
        assertArrayEquals(a, Files.readAllBytes(dir.resolve("a.fits")));
        assertArrayEquals(changed, Files.readAllBytes(dir.resolve("c.fits")));
        assertEquals("bytes=30000-", archive.requests("/a.fits").get(0).range());
        assertEquals("bytes=40000-", archive.requests("/c.fits").get(0).range());
        assertTrue(out().contains("done c.fits") && out().contains("restarted from 0"), out());
        assertFalse(Files.exists(dir.resolve(".c.fits.validator")));
    }

    @Test
    void badLinesAreReportedWithTheirNumbersAndNothingIsDownloaded() throws Exception {
        Path list = tmp.resolve("urls.txt");
        Files.writeString(list, String.join("\n",
                archive.url("/a.fits") + " 100",
                "ftp://archive/b.fits",
                "# a comment",
                archive.url("/c.fits") + " 12 md5:zz",
                archive.url("/other/a.fits"),
                archive.url("/api/retrieve/"),
                archive.url("/d.fits") + " 5 6"));
        Main.CliException e = assertThrows(Main.CliException.class, () -> run(list, tmp.resolve("raw")));
        String m = e.getMessage();
        assertTrue(m.contains("has 5 bad line(s); nothing was downloaded"), m);
        assertTrue(m.contains("line 2: not an http(s) URL: ftp://archive/b.fits"), m);
        assertTrue(m.contains("line 4: md5 checksum must be 32 hex digits"), m);
        assertTrue(m.contains("line 5: file name a.fits is already used by line 1"), m);
        assertTrue(m.contains("line 6: the URL's path gives no file name"), m);
        assertTrue(m.contains("line 7: two sizes"), m);
        assertFalse(m.contains("line 1:"), m);
        assertEquals(0, archive.requestCount());
        assertThrows(Main.UsageException.class, () -> DownloadCommand.parse(new String[]{"A85", "--urls", "x"}));
        assertThrows(Main.UsageException.class, () -> DownloadCommand.parse(
                new String[]{"A85", "--urls", "x", "--out", "y", "--parallel", "0"}));
    }

    @Test
    void landLandsEachVerifiedFileOnceAndNamesAFailure() throws Exception {
        byte[] a = bytes(10_000, 31);
        byte[] b = bytes(20_000, 32);
        archive.serve("/a.fits", a, null).serve("/b.fits", b, null);
        Path list = tmp.resolve("urls.txt");
        Files.writeString(list, archive.url("/a.fits") + " " + md5(a) + "\n" + archive.url("/b.fits") + "\n");
        Path dir = tmp.resolve("raw");
        List<String> landed = new CopyOnWriteArrayList<>();
        DownloadCommand.Landing failsForB = (cluster, name, file) -> {
            if (name.equals("b.fits")) {
                throw new IllegalStateException("S3 put s3://lovoccs-landing/A85/b.fits at http://127.0.0.1:1 failed");
            }
            assertArrayEquals(a, Files.readAllBytes(file), "only verified files are landed");
            landed.add(cluster + "/" + name);
            return "s3://lovoccs-landing/" + cluster + "/" + name;
        };
        assertEquals(1, run(list, dir, failsForB));
        assertEquals(List.of("A85/a.fits"), landed);
        assertTrue(err().contains("b.fits (line 2, ") && err().contains("downloaded and verified, but landing it"
                + " failed: S3 put s3://lovoccs-landing/A85/b.fits"), err());
        assertArrayEquals(b, Files.readAllBytes(dir.resolve("b.fits")));

        landed.clear();
        DownloadCommand.Landing works = (cluster, name, file) -> {
            landed.add(cluster + "/" + name);
            return "s3://lovoccs-landing/" + cluster + "/" + name;
        };
        int requests = archive.requestCount();
        assertEquals(0, run(list, dir, works), out() + err());
        assertEquals(List.of("A85/b.fits"), landed, "a.fits was landed already; b.fits is landed now");
        assertEquals(requests, archive.requestCount(), "nothing downloaded again");
        assertTrue(out().contains("landed b.fits -> s3://lovoccs-landing/A85/b.fits"), out());
    }

    @Test
    void backoffDoublesWithJitterAndRetryAfterIsHonoured() {
        DownloadCommand c = new DownloadCommand(DownloadCommand.parse(new String[]{"A85", "--urls", "u", "--out", "o",
                "--backoff", "2"}), null, System.out, System.err, "");
        for (int attempt = 1; attempt <= 12; attempt++) {
            long full = Math.min(2000L << (attempt - 1), 300_000L);
            for (int i = 0; i < 20; i++) {
                long ms = c.delay(attempt, null).toMillis();
                assertTrue(ms >= full / 2 && ms <= full, "attempt " + attempt + ": " + ms);
            }
        }
        assertEquals(Duration.ofSeconds(7), c.delay(1, Duration.ofSeconds(7)));
        assertEquals(Duration.ofMinutes(30), c.delay(1, Duration.ofHours(5)));
        assertEquals(Duration.ofSeconds(120), Fetch.parseRetryAfter("120").orElseThrow());
        assertTrue(Fetch.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT").orElseThrow().isZero());
        assertTrue(Fetch.parseRetryAfter("soon").isEmpty());
    }
}
