package org.lovoccs.imaging.characterize;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * fitsverify and astropy in the system Python, as the simulator's tests call them (simulator's Peers). A missing tool
 * fails the test with the Debian package to install; {@code -Dlovoccs.allowMissingPeers=true} makes it a skip.
 */
public final class PeerTools {

    public static final String PYTHON = "/usr/bin/python3";
    public static final String FITSVERIFY = "/usr/bin/fitsverify";

    public record Result(int code, String output) {
    }

    private PeerTools() {
    }

    public static Result run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-2, "timeout");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /**
     * fitsverify on {@code fits} (written to a temporary file, removed after), warnings counted: the result's output
     * says "verification OK" only for a file without warnings or errors. Fails the test when fitsverify is missing.
     */
    public static Result fitsverify(byte[] fits) throws IOException, InterruptedException {
        requireFitsverify();
        Path file = Files.createTempFile("fitsverify", ".fits");
        try {
            Files.write(file, fits);
            return run(FITSVERIFY, "-q", file.toString());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** True when {@link #fitsverify} found neither warnings nor errors. */
    public static boolean clean(Result r) {
        return r.code() == 0 && r.output().contains("verification OK");
    }

    public static void requireFitsverify() {
        require(Files.isExecutable(Path.of(FITSVERIFY)), "fitsverify");
    }

    public static void requireAstropy() throws IOException, InterruptedException {
        require(run(PYTHON, "-c", "import astropy").code() == 0, "python3-astropy");
    }

    public static void require(boolean present, String debianPackage) {
        if (Boolean.getBoolean("lovoccs.allowMissingPeers")) {
            assumeTrue(present, debianPackage + " not installed");
        } else if (!present) {
            org.junit.jupiter.api.Assertions.fail(debianPackage + " is not installed: apt-get install -y "
                    + debianPackage + ", or run with -Dlovoccs.allowMissingPeers=true to skip the peer comparison");
        }
    }
}
