package org.lovoccs.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One attempt at one file: a GET into {@code NAME.part}, continuing an existing part with
 * {@code Range: bytes=N-} (and {@code If-Range} with the ETag or Last-Modified seen when the part was
 * started, kept in {@code .NAME.validator}), hashing while streaming. It never touches the final file;
 * the caller verifies the result and renames the part into place. Not thread-safe per file: one attempt
 * per file at a time.
 */
final class Fetch {
    /** What one attempt came to. */
    sealed interface Result {
    }

    /** The part holds {@code length} bytes, the whole file; {@code actual} is its checksum (null if none was expected). */
    record Complete(long length, Checksum actual, String note) implements Result {
    }

    /** Worth trying again: {@code retryAfter} is the server's Retry-After, or null. The part is kept for resuming. */
    record Retry(String reason, Duration retryAfter) implements Result {
    }

    /** Not worth trying again (404, 403, a size that contradicts the list, a disk error). */
    record Fail(String reason) implements Result {
    }

    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Pattern UNSATISFIED = Pattern.compile("bytes\\s+\\*/(\\d+)");

    private final HttpClient http;
    private final Duration timeout;
    private final LongAdder transferred;

    /**
     * @param timeout     how long the server may stay silent: before the response headers, and between
     *                    two pieces of the body
     * @param transferred counts every body byte written to a part, for progress
     */
    Fetch(HttpClient http, Duration timeout, LongAdder transferred) {
        this.http = http;
        this.timeout = timeout;
        this.transferred = transferred;
    }

    static Path part(Path dir, String name) {
        return dir.resolve(name + ".part");
    }

    static Path validator(Path dir, String name) {
        return dir.resolve("." + name + ".validator");
    }

    Result attempt(DownloadList.Entry e, Path dir) throws InterruptedException {
        Path part = part(dir, e.name());
        Path validatorFile = validator(dir, e.name());
        try {
            long offset = Files.isRegularFile(part) ? Files.size(part) : 0;
            if (e.size() >= 0 && offset > e.size()) {
                // longer than the file can be: not a prefix of it
                Files.delete(part);
                offset = 0;
            }
            if (offset == 0) {
                Files.deleteIfExists(validatorFile);
            }
            MessageDigest digest = e.checksum() == null ? null : e.checksum().newDigest();
            if (digest != null && offset > 0) {
                hashPrefix(part, offset, digest);
            }
            if (e.size() >= 0 && offset == e.size()) {
                return new Complete(offset, digest == null ? null : e.checksum().of(digest), "from the part file");
            }
            return get(e, part, validatorFile, offset, digest);
        } catch (IOException x) {
            return new Fail("cannot use " + part + ": " + x.getMessage());
        }
    }

    private Result get(DownloadList.Entry e, Path part, Path validatorFile, long offset, MessageDigest digest)
            throws IOException, InterruptedException {
        HttpRequest.Builder rb = HttpRequest.newBuilder(e.url()).timeout(timeout).GET();
        String validator = null;
        if (offset > 0) {
            rb.header("Range", "bytes=" + offset + "-");
            validator = Files.isRegularFile(validatorFile) ? Files.readString(validatorFile).strip() : null;
            if (validator != null && !validator.isEmpty()) {
                rb.header("If-Range", validator);
            }
        }
        Exchange x = new Exchange(e, part, validatorFile, offset, digest);
        CompletableFuture<HttpResponse<Void>> cf = http.sendAsync(rb.build(), x::handle);
        long pollMs = Math.max(20, Math.min(500, timeout.toMillis() / 4));
        while (true) {
            try {
                cf.get(pollMs, TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException t) {
                if (System.nanoTime() - x.lastActivity > timeout.toNanos()) {
                    x.abort();
                    cf.cancel(true);
                    return new Retry("server silent for " + seconds(timeout) + " s after " + x.written()
                            + " bytes (timeout)", null);
                }
            } catch (ExecutionException ex) {
                x.abort();
                Throwable c = ex.getCause();
                if (c instanceof PartWriteException w) {
                    return new Fail("cannot write " + part + ": " + w.getCause().getMessage());
                }
                if (c instanceof HttpTimeoutException) {
                    return new Retry("no answer within " + seconds(timeout) + " s (timeout)", null);
                }
                if (c instanceof ConnectException) {
                    return new Retry("cannot connect to " + e.url().getHost() + ": " + c, null);
                }
                if (c instanceof IOException) {
                    return new Retry(x.status == 0 ? "request failed: " + c
                            : "transfer broke off after " + x.written() + " bytes (" + c.getMessage() + ")", null);
                }
                return new Fail("request failed: " + c);
            } catch (InterruptedException ie) {
                x.abort();
                cf.cancel(true);
                throw ie;
            }
        }
        if (x.outcome != null) {
            return x.outcome;
        }
        long length = x.start + x.written();
        long expected = e.size() >= 0 ? e.size() : x.total;
        if (expected >= 0 && length < expected) {
            return new Retry("truncated: body ended after " + length + " of " + expected + " bytes", null);
        }
        if (expected >= 0 && length > expected) {
            Files.deleteIfExists(part);
            return new Fail("the server sent " + length + " bytes, more than the expected " + expected);
        }
        return new Complete(length, digest == null ? null : e.checksum().of(digest), x.note);
    }

    /** The state of one request: chooses, from the status and headers, how the body is written. */
    private final class Exchange {
        final DownloadList.Entry e;
        final Path part;
        final Path validatorFile;
        final long offset;
        final MessageDigest digest;
        volatile long lastActivity = System.nanoTime();
        volatile int status;
        volatile PartWriter writer;
        /** Set when the status alone decides the attempt. */
        volatile Result outcome;
        long start;
        long total = -1;
        String note;

        Exchange(DownloadList.Entry e, Path part, Path validatorFile, long offset, MessageDigest digest) {
            this.e = e;
            this.part = part;
            this.validatorFile = validatorFile;
            this.offset = offset;
            this.digest = digest;
        }

        long written() {
            PartWriter w = writer;
            return w == null ? 0 : w.written;
        }

        void abort() {
            PartWriter w = writer;
            if (w != null) {
                w.abort();
            }
        }

        HttpResponse.BodySubscriber<Void> handle(HttpResponse.ResponseInfo info) {
            lastActivity = System.nanoTime();
            status = info.statusCode();
            HttpHeaders h = info.headers();
            try {
                if (status == 206) {
                    Matcher m = CONTENT_RANGE.matcher(h.firstValue("Content-Range").orElse(""));
                    if (!m.matches() || Long.parseLong(m.group(1)) != offset) {
                        Files.deleteIfExists(part);
                        return discard(new Retry("the server answered Range bytes=" + offset + "- with Content-Range '"
                                + h.firstValue("Content-Range").orElse("") + "'; starting again from 0", Duration.ZERO));
                    }
                    total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
                    if (contradictsList(total)) {
                        return discard(outcome);
                    }
                    start = offset;
                    note = "resumed at byte " + offset;
                    return write(offset);
                }
                if (status == 200) {
                    long length = h.firstValueAsLong("Content-Length").orElse(-1);
                    total = length;
                    if (contradictsList(total)) {
                        return discard(outcome);
                    }
                    if (offset > 0) {
                        // Range ignored, or If-Range found the file changed: the part is not a prefix of this body
                        note = "the server sent the whole file again (Range ignored or file changed), restarted from 0";
                        if (digest != null) {
                            digest.reset();
                        }
                    }
                    Optional<String> v = h.firstValue("ETag").filter(t -> !t.startsWith("W/"))
                            .or(() -> h.firstValue("Last-Modified"));
                    if (v.isPresent()) {
                        Files.writeString(validatorFile, v.get() + "\n");
                    } else {
                        Files.deleteIfExists(validatorFile);
                    }
                    start = 0;
                    return write(0);
                }
                if (status == 416) {
                    Matcher m = UNSATISFIED.matcher(h.firstValue("Content-Range").orElse(""));
                    if (m.matches() && Long.parseLong(m.group(1)) == offset
                            && (e.size() < 0 || e.size() == offset)) {
                        return discard(new Complete(offset, digest == null ? null : e.checksum().of(digest),
                                "the part already held the whole file"));
                    }
                    Files.deleteIfExists(part);
                    return discard(new Retry("HTTP 416 for Range bytes=" + offset + "- (the file is shorter than"
                            + " the part); starting again from 0", Duration.ZERO));
                }
                String reason = "HTTP " + status + " for " + e.url();
                if (status == 429 || status == 408 || status >= 500) {
                    return discard(new Retry(reason, retryAfter(h).orElse(null)));
                }
                return discard(new Fail(reason + (status == 404 ? " (not in the archive)"
                        : status == 401 || status == 403 ? " (not allowed; proprietary data needs credentials)" : "")));
            } catch (IOException x) {
                return discard(new Fail("cannot use " + part + ": " + x.getMessage()));
            }
        }

        private boolean contradictsList(long serverTotal) {
            if (serverTotal >= 0 && e.size() >= 0 && serverTotal != e.size()) {
                outcome = new Fail("the archive has " + serverTotal + " bytes, the list says " + e.size()
                        + " (wrong list, or the file changed)");
                return true;
            }
            return false;
        }

        private HttpResponse.BodySubscriber<Void> discard(Result r) {
            outcome = r;
            return HttpResponse.BodySubscribers.replacing(null);
        }

        private HttpResponse.BodySubscriber<Void> write(long at) throws IOException {
            FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                ch.truncate(at);
                ch.position(at);
            } catch (IOException x) {
                ch.close();
                throw x;
            }
            PartWriter w = new PartWriter(ch, digest, this);
            writer = w;
            return w;
        }
    }

    /** Streams body pieces into the part and the digest; {@link #abort()} stops it for good. */
    private final class PartWriter implements HttpResponse.BodySubscriber<Void> {
        private final FileChannel ch;
        private final MessageDigest digest;
        private final Exchange x;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private Flow.Subscription subscription;
        private boolean closed;
        volatile long written;

        PartWriter(FileChannel ch, MessageDigest digest, Exchange x) {
            this.ch = ch;
            this.digest = digest;
            this.x = x;
        }

        @Override
        public CompletionStage<Void> getBody() {
            return done;
        }

        @Override
        public synchronized void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (closed) {
                s.cancel();
            } else {
                s.request(1);
            }
        }

        @Override
        public synchronized void onNext(List<ByteBuffer> items) {
            if (closed) {
                return;
            }
            try {
                long n = 0;
                for (ByteBuffer b : items) {
                    if (digest != null) {
                        digest.update(b.duplicate());
                    }
                    while (b.hasRemaining()) {
                        n += ch.write(b);
                    }
                }
                written += n;
                transferred.add(n);
                x.lastActivity = System.nanoTime();
                subscription.request(1);
            } catch (IOException e) {
                close();
                subscription.cancel();
                done.completeExceptionally(new PartWriteException(e));
            }
        }

        @Override
        public synchronized void onError(Throwable t) {
            close();
            done.completeExceptionally(t);
        }

        @Override
        public synchronized void onComplete() {
            if (closed) {
                return;
            }
            try {
                ch.force(false);
            } catch (IOException e) {
                close();
                done.completeExceptionally(new PartWriteException(e));
                return;
            }
            close();
            done.complete(null);
        }

        synchronized void abort() {
            if (!closed) {
                close();
                if (subscription != null) {
                    subscription.cancel();
                }
                done.completeExceptionally(new IOException("aborted"));
            }
        }

        private void close() {
            closed = true;
            try {
                ch.close();
            } catch (IOException ignored) {
                // the bytes written are what the next attempt resumes from; nothing else to do
            }
        }
    }

    private static final class PartWriteException extends IOException {
        PartWriteException(IOException cause) {
            super(cause);
        }
    }

    /** Retry-After as delta-seconds or an HTTP date (RFC 9110 10.2.3). */
    static Optional<Duration> retryAfter(HttpHeaders h) {
        return h.firstValue("Retry-After").flatMap(Fetch::parseRetryAfter);
    }

    static Optional<Duration> parseRetryAfter(String v) {
        String s = v.strip();
        if (s.matches("\\d{1,9}")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(s)));
        }
        try {
            Duration d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME));
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void hashPrefix(Path part, long length, MessageDigest digest) throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = length;
        try (InputStream in = Files.newInputStream(part)) {
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new NoSuchFileException(part + " shrank while being read");
                }
                digest.update(buf, 0, n);
                left -= n;
            }
        }
    }

    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? String.valueOf(d.toSeconds()) : String.format("%.1f", d.toMillis() / 1000.0);
    }
}
