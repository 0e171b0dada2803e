package org.lovoccs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ./lovoccs wait CLUSTER --quanta N}: the demo waits with a count it computes from the campaign, and a count
 * that is off (a task added to or taken out of the pipeline) must not hold it until its timeout (25 minutes). The
 * registry's status answer is served here by a small HTTP server with the shape the registry's status resource
 * gives (tasks with unready, pending, running, done, failed, depFail); the contract tests follow real clusters with
 * the real registry.
 */
class WaitCommandTest {

    HttpServer server;
    final AtomicInteger polls = new AtomicInteger();
    volatile String body;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/clusters/W1/status", ex -> {
            polls.incrementAndGet();
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    static String status(int unready, int pending, int running, int done, int failed, int depFail) {
        return "{\"cluster\":\"W1\",\"tasks\":[{\"label\":\"isr\",\"unready\":" + unready + ",\"pending\":" + pending
                + ",\"running\":" + running + ",\"done\":" + done + ",\"failed\":" + failed + ",\"depFail\":"
                + depFail + "}]}";
    }

    private int waitFor(int expected, long quietSeconds, ByteArrayOutputStream out) {
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            return new Main("http://127.0.0.1:" + server.getAddress().getPort()).waitFor("W1", expected, 30,
                    quietSeconds * 1_000_000_000L);
        } finally {
            System.setOut(old);
        }
    }

    @Test
    void theExpectedCountFinishedEndsTheWait() {
        body = status(0, 0, 0, 8, 0, 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, waitFor(8, 60, out));
        assertEquals(1, polls.get(), "no quiet period when the count is reached");
    }

    @Test
    void aCountTooHighEndsWhenTheClusterIsQuietAndSaysSo() {
        body = status(0, 0, 0, 5, 1, 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        assertEquals(1, waitFor(10, 2, out), "a failed quantum makes the wait non-zero");
        double seconds = (System.nanoTime() - t0) / 1e9;
        String said = out.toString(StandardCharsets.UTF_8);
        assertTrue(seconds >= 2 && seconds < 20, "ended after " + seconds + " s");
        assertTrue(said.contains("every planned quantum has finished (6 of them)") && said.contains("10 were expected")
                && said.contains("./lovoccs status W1"), said);
    }

    @Test
    void openQuantaKeepTheWaitGoingWhateverTheCount() throws Exception {
        body = status(0, 1, 1, 5, 0, 0);
        Thread finisher = new Thread(() -> {
            try {
                Thread.sleep(3500);
            } catch (InterruptedException e) {
                return;
            }
            body = status(0, 0, 0, 7, 0, 0);
        });
        finisher.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        assertEquals(0, waitFor(7, 1, out));
        assertTrue((System.nanoTime() - t0) / 1e9 >= 3.4, "the wait went on while quanta were open");
        finisher.join();
    }
}
