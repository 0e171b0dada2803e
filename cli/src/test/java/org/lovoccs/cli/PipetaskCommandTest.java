package org.lovoccs.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

class PipetaskCommandTest {
    @Test
    void buildStep1DumpConfigThroughMain() {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            rc = new Main().run("pipetask", new String[]{"build", "-p", "../pipelines/DRP-LoVoCCS.yaml#step1",
                    "--show", "dump-config"});
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc);
        assertTrue(out.startsWith("### Configuration for task 'isr' (lsst.ip.isr.IsrTask)\n"), out);
        assertTrue(out.contains("config.doBias = True\n"));
        assertTrue(out.contains("### Configuration for task 'transformPreSourceTable'"));
        assertFalse(out.contains("'jointcal'"));
    }

    @Test
    void unknownSubsetIsACliError() {
        Main.CliException e = assertThrows(Main.CliException.class, () -> new Main().run("pipetask",
                new String[]{"build", "-p", "../pipelines/DRP-LoVoCCS.yaml#step9"}));
        assertTrue(e.getMessage().contains("subsets: step0, step1"), e.getMessage());
        assertThrows(Main.UsageException.class, () -> new Main().run("pipetask", new String[]{"build"}));
    }
}
