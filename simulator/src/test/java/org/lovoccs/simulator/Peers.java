package org.lovoccs.simulator;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The peer tools the simulator's tests compare against (Debian packages): fitsverify, funpack/fpack and astropy in
 * the system Python. A missing peer fails the test with the package to install
 * (contract-tests/install-test-tools.sh installs them); {@code -Dlovoccs.allowMissingPeers=true} turns that into a
 * skip on a machine without them.
 */
public final class Peers {

    /** The system Python that Debian's python3-astropy installs into (a pyenv python3 on PATH may lack it). */
    public static final String PYTHON = "/usr/bin/python3";
    public static final String FITSVERIFY = "/usr/bin/fitsverify";

    private Peers() {
    }

    /** A finished command: exit code and merged stdout/stderr. */
    public record Result(int code, String output) {
    }

    public static Result run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-2, "timeout");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
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
                    + debianPackage + " (contract-tests/install-test-tools.sh does this), or run with"
                    + " -Dlovoccs.allowMissingPeers=true to skip the peer comparison");
        }
    }
}
