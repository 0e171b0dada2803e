package org.lovoccs.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.lovoccs.objectstore.Checksums;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP server on an ephemeral port of 127.0.0.1 that serves files like an archive (Range, ETag,
 * If-Range) and misbehaves on purpose, per path, as told by {@link Fault}. It records every request
 * (path, Range header, time) and the most requests it had in flight at once.
 */
final class FaultyArchive implements AutoCloseable {
    enum Fault {
        /** First request: 503 with Retry-After: 1. */
        BUSY,
        /** First request: Content-Length N, half the body, then the connection is closed. */
        TRUNCATE,
        /** Ignores Range (always 200 with the whole file); the first request is also truncated. */
        IGNORE_RANGE,
        /** Always 404. */
        NOT_FOUND,
        /** First request: headers and half the body, then silence for 4 s. */
        STALL
    }

    record Request(String path, String range, long nanos) {
    }

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final List<Request> requests = new ArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile int delayMs;
    private volatile boolean closing;

    FaultyArchive() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Serves {@code body} at {@code path}, misbehaving as {@code fault} says (null: behaves). */
    FaultyArchive serve(String path, byte[] body, Fault fault) {
        files.put(path, body);
        if (fault != null) {
            faults.put(path, fault);
        }
        return this;
    }

    /** Every response waits this long before its headers, so that parallel downloads overlap. */
    FaultyArchive delay(int ms) {
        delayMs = ms;
        return this;
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    synchronized List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    synchronized int requestCount() {
        return requests.size();
    }

    int maxInFlight() {
        return maxInFlight.get();
    }

    static String etag(byte[] body) {
        return "\"" + Checksums.sha256(body).substring(7, 23) + "\"";
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String range = ex.getRequestHeaders().getFirst("Range");
        synchronized (this) {
            requests.add(new Request(path, range, System.nanoTime()));
        }
        int n = counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            if (delayMs > 0) {
                Thread.sleep(delayMs);
            }
            byte[] body = files.get(path);
            Fault fault = faults.get(path);
            if (body == null || fault == Fault.NOT_FOUND) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            if (fault == Fault.BUSY && n == 1) {
                ex.getResponseHeaders().add("Retry-After", "1");
                ex.sendResponseHeaders(503, -1);
                return;
            }
            String etag = etag(body);
            ex.getResponseHeaders().add("ETag", etag);
            ex.getResponseHeaders().add("Accept-Ranges", "bytes");
            int from = 0;
            Matcher m = range == null ? null : RANGE.matcher(range);
            String ifRange = ex.getRequestHeaders().getFirst("If-Range");
            if (m != null && m.matches() && fault != Fault.IGNORE_RANGE && (ifRange == null || ifRange.equals(etag))) {
                from = Integer.parseInt(m.group(1));
                if (from >= body.length) {
                    ex.getResponseHeaders().add("Content-Range", "bytes */" + body.length);
                    ex.sendResponseHeaders(416, -1);
                    return;
                }
                ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
                ex.sendResponseHeaders(206, body.length - from);
            } else {
                ex.sendResponseHeaders(200, body.length);
            }
            OutputStream os = ex.getResponseBody();
            boolean truncate = n == 1 && (fault == Fault.TRUNCATE || fault == Fault.IGNORE_RANGE);
            if (truncate || (n == 1 && fault == Fault.STALL)) {
                os.write(body, from, (body.length - from) / 2);
                os.flush();
                if (truncate) {
                    // closing the exchange (not its body stream first) with fewer bytes than Content-Length
                    // makes HttpServer close the connection
                    ex.close();
                    return;
                }
                for (int i = 0; i < 40 && !closing; i++) {
                    Thread.sleep(100);
                }
                return;
            }
            os.write(body, from, body.length - from);
            os.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away (an abandoned attempt)
        } finally {
            inFlight.decrementAndGet();
            ex.close();
        }
    }

    @Override
    public void close() {
        closing = true;
        server.stop(0);
        pool.shutdownNow();
    }
}
