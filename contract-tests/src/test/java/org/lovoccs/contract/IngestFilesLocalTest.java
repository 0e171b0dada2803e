package org.lovoccs.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./lovoccs butler ingest-files} of local files (master calibrations in a calibration repository folder, as
 * the seed ingests them): {@code direct} registers the file:/// path, {@code copy} uploads it; both record its
 * checksum, read back by {@code verify}; a second run inserts nothing.
 */
class IngestFilesLocalTest {

    @TempDir
    Path dir;

    @Test
    void localFilesAreIngestedInPlaceOrCopied() throws Exception {
        TestServers.requireRunning();
        String stamp = Long.toString(System.currentTimeMillis(), 36);
        Path calib = dir.resolve("calib_catalog_repo");
        Files.createDirectories(calib);
        StringBuilder table = new StringBuilder("uri,instrument,detector\n");
        for (int det = 1; det <= 2; det++) {
            Path f = calib.resolve("bias_" + det + ".fits");
            Files.write(f, ("bias of detector " + det + " " + stamp).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            // a plain path and a file:/// URI: the command sends both as file:/// URIs
            table.append(det == 1 ? f.toString() : f.toUri().toString()).append(",DECam,").append(det).append('\n');
        }
        Path csv = dir.resolve("table.csv");
        Files.writeString(csv, table);
        for (String mode : List.of("direct", "copy")) {
            String run = "DECam/calib/local-" + mode + "-" + stamp;
            TestServers.Cli first = TestServers.lovoccs("butler", "ingest-files", "bias", run, csv.toString(),
                    "--transfer", mode);
            assertEquals(0, first.code(), first.out());
            assertTrue(first.out().contains("2 new, 0 already present"), first.out());
            TestServers.Cli again = TestServers.lovoccs("butler", "ingest-files", "bias", run, csv.toString(),
                    "--transfer", mode);
            assertTrue(again.out().contains("0 new, 2 already present"), again.out());
            var found = TestServers.post("/butler/query-datasets", Map.of("datasetType", "bias", "collections",
                    List.of(run)));
            assertEquals(2, found.body().size(), found.body().toString());
            for (JsonNode d : found.body()) {
                String uri = d.path("uri").asText();
                assertTrue(mode.equals("direct") ? uri.startsWith(calib.toUri().toString())
                        : uri.startsWith("s3://" + TestServers.REPO + "/" + run + "/bias/"), uri);
                var verified = TestServers.get("/butler/verify?id=" + d.path("id").asText());
                assertEquals(200, verified.status(), String.valueOf(verified.body()));
            }
        }
        TestServers.Cli missing = TestServers.lovoccs("butler", "ingest-files", "bias", "DECam/calib/local-x-" + stamp,
                writeTable(dir.resolve("missing.csv"), calib.resolve("nope.fits")), "--transfer", "direct");
        assertEquals(1, missing.code(), missing.out());
        assertTrue(missing.out().contains(calib.resolve("nope.fits") + " does not exist on the registry's machine"),
                missing.out());
    }

    private static String writeTable(Path csv, Path file) throws Exception {
        Files.writeString(csv, "uri,instrument,detector\n" + file + ",DECam,1\n");
        return csv.toString();
    }
}
