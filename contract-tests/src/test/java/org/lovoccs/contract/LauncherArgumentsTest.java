package org.lovoccs.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's destructive commands ({@code ./lovoccs clean}, {@code stack/stack.sh reset}) do nothing but print
 * their help when asked for it, and refuse a stray argument before stopping or removing anything. Run against a
 * private LOVOCCS_HOME holding a marker file in its data folder, so that a guard that fails removes only that.
 */
class LauncherArgumentsTest {

    @TempDir
    Path home;

    @Test
    void helpAndStrayArgumentsRemoveNothing() throws Exception {
        Path marker = home.resolve("data").resolve("s3").resolve("kept.txt");
        Files.createDirectories(marker.getParent());
        Files.writeString(marker, "processed data");
        Map<String, String> env = Map.of("LOVOCCS_HOME", home.toString());

        TestServers.Cli help = TestServers.lovoccs(env, "clean", "--help");
        assertEquals(0, help.code(), help.out());
        assertTrue(help.out().contains("remove all data"), "clean --help says what clean removes:\n"
                + help.out());
        assertTrue(Files.exists(marker), "./lovoccs clean --help removed the data:\n" + help.out());

        TestServers.Cli stray = TestServers.lovoccs(env, "clean", "now");
        assertNotEquals(0, stray.code(), stray.out());
        assertTrue(stray.out().contains("clean takes no arguments (got: now)"), stray.out());
        assertTrue(Files.exists(marker), "./lovoccs clean now removed the data:\n" + stray.out());

        Path stack = Path.of("..", "stack", "stack.sh").toAbsolutePath().normalize();
        Run resetHelp = run(env, stack.toString(), "reset", "--help");
        assertEquals(0, resetHelp.exitCode(), resetHelp.output());
        assertTrue(resetHelp.output().contains("usage:"), resetHelp.output());
        Run resetStray = run(env, stack.toString(), "reset", "everything");
        assertEquals(2, resetStray.exitCode(), resetStray.output());
        assertTrue(resetStray.output().contains("reset takes no arguments (got: everything)"), resetStray.output());
        assertTrue(Files.exists(marker), "stack.sh reset --help or reset everything removed the data:\n"
                + resetHelp.output() + resetStray.output());
    }

    private record Run(int exitCode, String output) {
    }

    private static Run run(Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd) + " did not finish in 60 s");
        return new Run(p.exitValue(), out);
    }
}
