package org.lovoccs.rawcheck;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.fits.FitsHduIndex;
import org.lovoccs.imaging.fits.HduSpan;
import org.lovoccs.simulator.CtioSite;
import org.lovoccs.simulator.ExposureSpec;
import org.lovoccs.simulator.RawDamage;
import org.lovoccs.simulator.RawEncoding;
import org.lovoccs.simulator.RawExposureSimulator;

import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** check_raws on simulated DECam raws and on the damage ingestion must catch. */
class RawCheckerTest {
    static byte[] raw;
    static byte[] riceRaw;
    static Instant obs;

    @BeforeAll
    static void simulate() throws Exception {
        obs = CtioSite.nextTransit(10.4583, Instant.parse("2022-10-01T00:00:00Z"));
        ExposureSpec spec = new ExposureSpec("A85", 901234, "z", obs, 90, 10.4583, -9.3031, 1.1, 1500, 20, 5);
        raw = new RawExposureSimulator().toBytes(spec, List.of(1, 62));
        java.io.ByteArrayOutputStream fz = new java.io.ByteArrayOutputStream();
        new RawExposureSimulator().write(spec, List.of(1, 62), fz, RawEncoding.RICE);
        riceRaw = fz.toByteArray();
    }

    static CheckedRaw check(byte[] b) throws RawRejected, java.io.IOException {
        return new RawChecker().check(new ByteArrayInputStream(b), b.length);
    }

    @Test
    void goodRawGivesTheExposureRecordAndEachDetectorsByteRange() throws Exception {
        CheckedRaw c = check(raw);
        assertEquals("DECam", c.instrument());
        assertEquals(901234, c.exposure().exposure());
        assertEquals("z", c.exposure().band());
        assertTrue(c.exposure().physicalFilter().startsWith("z DECam"));
        assertEquals(Long.parseLong(obs.minusSeconds(43200).toString().substring(0, 10).replace("-", "")),
                c.exposure().dayObs());
        assertEquals(10.4583, c.exposure().ra(), 1e-3);
        assertEquals(List.of(1, 62), c.detectors().stream().map(CheckedRaw.DetectorHdu::detector).toList());
        List<HduSpan> spans = FitsHduIndex.scan(raw);
        for (CheckedRaw.DetectorHdu d : c.detectors()) {
            HduSpan s = spans.get(d.index());
            assertEquals(s.offset(), d.byteOffset(), "offset of HDU " + d.index());
            assertEquals(s.end() - s.offset(), d.byteLength(), "length of HDU " + d.index());
        }
        assertEquals(raw.length, c.fileSize());
    }

    /** Raws as the NOIRLab archive serves them: fpack'd (Rice tile-compressed BINTABLE HDUs). */
    @Test
    void riceCompressedRawPassesWithEachCompressedHdusByteRange() throws Exception {
        CheckedRaw c = check(riceRaw);
        assertEquals(901234, c.exposure().exposure());
        assertEquals(List.of(1, 62), c.detectors().stream().map(CheckedRaw.DetectorHdu::detector).toList());
        assertEquals(List.of("S29", "N31"), c.detectors().stream().map(CheckedRaw.DetectorHdu::extname).toList());
        List<HduSpan> spans = FitsHduIndex.scan(riceRaw);
        for (CheckedRaw.DetectorHdu d : c.detectors()) {
            HduSpan s = spans.get(d.index());
            assertTrue(s.compressed());
            assertEquals(s.offset(), d.byteOffset(), "offset of HDU " + d.index());
            assertEquals(s.length(), d.byteLength(), "length of HDU " + d.index());
            assertEquals(org.lovoccs.objectstore.Checksums.sha256(riceRaw, (int) d.byteOffset(),
                    (int) d.byteLength()), d.checksum(), "HDU " + d.index());
        }
        assertEquals(riceRaw.length, c.fileSize());
        assertTrue(riceRaw.length < raw.length * 0.7, riceRaw.length + " vs " + raw.length);
    }

    @Test
    void truncatedRiceCompressedRawIsRefused() {
        RawRejected e = assertThrows(RawRejected.class, () -> check(RawDamage.truncate(riceRaw, 0.5)));
        assertEquals("TRUNCATED", e.problem());
        assertTrue(e.getMessage().contains("HDU 2"), e.getMessage());
    }

    @Test
    void riceCompressedHduWithoutADetectorKeywordIsRefused() {
        RawRejected e = assertThrows(RawRejected.class,
                () -> check(RawDamage.withoutKeyword(riceRaw, 2, "GAINA")));
        assertEquals("MISSING_KEYWORD", e.problem(), e.getMessage());
        assertTrue(e.getMessage().contains("GAINA") && e.getMessage().contains("HDU 2 (N31)"), e.getMessage());
    }

    @Test
    void notFits() {
        RawRejected e = assertThrows(RawRejected.class, () -> check(RawDamage.notFits()));
        assertEquals("NOT_FITS", e.problem());
        assertThrows(RawRejected.class, () -> check(new byte[0]));
    }

    @Test
    void truncatedInsideData() {
        RawRejected e = assertThrows(RawRejected.class, () -> check(RawDamage.truncate(raw, 0.8)));
        assertEquals("TRUNCATED", e.problem());
        assertTrue(e.getMessage().contains("HDU 2"), e.getMessage());
    }

    /** A transfer cut short is not a truncated file: it must be retried, never quarantined. */
    @Test
    void streamEndingBeforeTheObjectsSizeIsATransferFailure() {
        byte[] partial = java.util.Arrays.copyOf(raw, raw.length / 2);
        java.io.IOException e = assertThrows(java.io.IOException.class,
                () -> new RawChecker().check(new ByteArrayInputStream(partial), raw.length));
        assertTrue(e.getMessage().contains("transfer stopped"), e.getMessage());
    }

    @Test
    void checksumsAreThoseOfEachHdusBytes() throws Exception {
        for (CheckedRaw.DetectorHdu d : check(raw).detectors()) {
            assertEquals(org.lovoccs.objectstore.Checksums.sha256(raw, (int) d.byteOffset(), (int) d.byteLength()),
                    d.checksum(), "HDU " + d.index());
        }
    }

    @Test
    void missingKeywordIsNamedWithItsHdu() {
        RawRejected e = assertThrows(RawRejected.class, () -> check(RawDamage.withoutKeyword(raw, 1, "BIASSECB")));
        assertEquals("MISSING_KEYWORD", e.problem());
        assertTrue(e.getMessage().contains("BIASSECB") && e.getMessage().contains("HDU 1"), e.getMessage());
        RawRejected p = assertThrows(RawRejected.class, () -> check(RawDamage.withoutKeyword(raw, 0, "EXPNUM")));
        assertTrue(p.getMessage().contains("EXPNUM"), p.getMessage());
    }

    @Test
    void badDateObs() {
        RawRejected e = assertThrows(RawRejected.class, () -> check(RawDamage.withKeyword(raw, 0, "DATE-OBS",
                "yesterday")));
        assertEquals("BAD_KEYWORD", e.problem());
    }
}
