package org.lovoccs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code butler ingest-raws} sends to the ingestion service: its options and the raws it finds. */
class IngestRawsCommandTest {

    @TempDir
    Path tmp;

    @Test
    void optionsInTheShapesLsstUsersType() {
        IngestRawsCommand.Options o = IngestRawsCommand.parse(new String[] {"A85", "/data/a", "s3://b/p", "-t",
                "DIRECT", "--output-run", "DECam/raw/mine", "-j", "4"});
        assertEquals("A85", o.cluster());
        assertEquals(List.of("/data/a", "s3://b/p"), o.locations());
        assertEquals("direct", o.transfer());
        assertEquals("DECam/raw/mine", o.run());
        assertEquals(4, o.parallel());
        IngestRawsCommand.Options d = IngestRawsCommand.parse(new String[] {"A85", "/data/a"});
        assertEquals("copy", d.transfer());
        assertEquals("DECam/raw/all", d.run());
    }

    @Test
    void badUsageSaysWhatIsWrong() {
        Main.UsageException noLocation = assertThrows(Main.UsageException.class,
                () -> IngestRawsCommand.parse(new String[] {"A85"}));
        assertTrue(noLocation.getMessage().contains("needs CLUSTER and at least one LOCATION"), noLocation.getMessage());
        Main.UsageException mode = assertThrows(Main.UsageException.class,
                () -> IngestRawsCommand.parse(new String[] {"A85", "/d", "-t", "symlink"}));
        assertTrue(mode.getMessage().contains("--transfer is copy or direct, got 'symlink'"), mode.getMessage());
        Main.UsageException swapped = assertThrows(Main.UsageException.class,
                () -> IngestRawsCommand.parse(new String[] {"/data/A85", "A85"}));
        assertTrue(swapped.getMessage().contains("the cluster comes first"), swapped.getMessage());
    }

    @Test
    void aCampaignFolderGivesItsRawsNotItsCataloguesAndEachFileOnce() throws Exception {
        Path c = tmp.resolve("camp");
        Files.createDirectories(c.resolve("raw/20221001"));
        Files.createDirectories(c.resolve("calib/20221001"));
        Files.createDirectories(c.resolve("damaged"));
        Files.createDirectories(c.resolve("refcats"));
        Files.createDirectories(c.resolve("truth"));
        Files.writeString(c.resolve("campaign.json"), "{}");
        Files.write(c.resolve("raw/20221001/c4d_1_ori.fits.fz"), new byte[2880]);
        Files.write(c.resolve("raw/20221001/.c4d_2_ori.fits.fz.partial"), new byte[10]);
        Files.write(c.resolve("calib/20221001/c4d_0_ori.fits"), new byte[5760]);
        Files.write(c.resolve("damaged/c4d_1_truncated.fits.fz"), new byte[100]);
        Files.write(c.resolve("refcats/gaia_like.fits"), new byte[2880]);
        Files.write(c.resolve("truth/stars.fits"), new byte[2880]);
        List<IngestRawsCommand.Raw> raws = IngestRawsCommand.expand(List.of(c.toString(),
                c.resolve("raw/20221001/c4d_1_ori.fits.fz").toString()));
        List<String> uris = raws.stream().map(IngestRawsCommand.Raw::uri).toList();
        assertEquals(List.of(uri(c, "raw/20221001/c4d_1_ori.fits.fz"), uri(c, "calib/20221001/c4d_0_ori.fits"),
                uri(c, "damaged/c4d_1_truncated.fits.fz")), uris);
        assertEquals(5760, raws.get(1).size());
        // a plain folder is walked whole
        assertEquals(2, IngestRawsCommand.expand(List.of(c.resolve("refcats").toString(),
                c.resolve("truth").toString())).size());
    }

    @Test
    void aMissingOrEmptyLocationIsAnError() throws Exception {
        Main.CliException missing = assertThrows(Main.CliException.class,
                () -> IngestRawsCommand.expand(List.of(tmp.resolve("nope").toString())));
        assertTrue(missing.getMessage().contains("no such file or folder: " + tmp.resolve("nope")), missing.getMessage());
        Files.createDirectories(tmp.resolve("empty"));
        Main.CliException empty = assertThrows(Main.CliException.class,
                () -> IngestRawsCommand.expand(List.of(tmp.resolve("empty").toString())));
        assertTrue(empty.getMessage().contains("no raw files (*.fits, *.fits.fz) under"), empty.getMessage());
    }

    private static String uri(Path campaign, String rel) {
        return campaign.resolve(rel).toAbsolutePath().normalize().toUri().toString();
    }
}
