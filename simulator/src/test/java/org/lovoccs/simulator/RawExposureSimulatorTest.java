package org.lovoccs.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import nom.tam.fits.BasicHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.Header;
import nom.tam.fits.ImageHDU;
import org.junit.jupiter.api.Test;
import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.PixelBox;
import org.lovoccs.imaging.fits.FitsHduIndex;
import org.lovoccs.imaging.fits.HduSpan;
import org.lovoccs.imaging.wcs.Sexagesimal;
import org.lovoccs.imaging.wcs.TanWcs;
import org.lovoccs.simulator.sky.Psf;
import org.lovoccs.simulator.sky.StarTruth;

class RawExposureSimulatorTest {

    @Test
    void fileOpensWithNomTamFitsAndCarriesTheDecamKeywords() throws Exception {
        byte[] file = Fixtures.file();
        try (Fits fits = new Fits(new ByteArrayInputStream(file))) {
            BasicHDU<?>[] hdus = fits.read();
            assertEquals(3, hdus.length);
            Header p = hdus[0].getHeader();
            assertEquals(0, p.getIntValue("NAXIS"));
            assertEquals("DECam", p.getStringValue("INSTRUME"));
            assertEquals("object", p.getStringValue("OBSTYPE"));
            assertEquals(1001, p.getIntValue("EXPNUM"));
            assertEquals("r DECam SDSS c0002 6415.0 1480.0", p.getStringValue("FILTER"));
            assertEquals("Abell 3558", p.getStringValue("OBJECT"));
            assertEquals("13:28:00.000", p.getStringValue("RA"));
            assertEquals("-31:30:00.00", p.getStringValue("DEC"));
            assertEquals("13:28:00.000", p.getStringValue("TELRA"));
            assertEquals("-31:30:00.00", p.getStringValue("TELDEC"));
            assertEquals(90.0, p.getDoubleValue("EXPTIME"));
            assertNotNull(p.getStringValue("TELESCOP"));
            assertEquals(Fixtures.DATE, Instant.parse(p.getStringValue("DATE-OBS") + "Z"));
            assertEquals(CtioSite.modifiedJulianDate(Fixtures.DATE), p.getDoubleValue("MJD-OBS"), 1e-9);
            assertEquals(1.0003, p.getDoubleValue("AIRMASS"), 2e-4);

            String[] names = {"S29", "S4"};
            int[] numbers = {1, 28};
            for (int i = 0; i < 2; i++) {
                ImageHDU hdu = (ImageHDU) hdus[i + 1];
                Header h = hdu.getHeader();
                assertEquals("IMAGE", h.getStringValue("XTENSION"));
                assertEquals(16, h.getIntValue("BITPIX"));
                assertEquals(32768, h.getIntValue("BZERO"));
                assertEquals(2160, h.getIntValue("NAXIS1"));
                assertEquals(4146, h.getIntValue("NAXIS2"));
                assertEquals(names[i], h.getStringValue("EXTNAME"));
                assertEquals(names[i], h.getStringValue("DETPOS"));
                assertEquals(numbers[i], h.getIntValue("CCDNUM"));
                assertEquals(1001, h.getIntValue("EXPNUM"));
                assertEquals(p.getStringValue("FILTER"), h.getStringValue("FILTER"));
                assertEquals("[57:2104,51:4146]", h.getStringValue("DATASEC"));
                assertEquals("[57:2104,51:4146]", h.getStringValue("TRIMSEC"));
                assertEquals("[57:1080,51:4146]", h.getStringValue("DATASECB"));
                assertEquals("[1081:2104,51:4146]", h.getStringValue("DATASECA"));
                assertEquals("[7:56,51:4146]", h.getStringValue("BIASSECB"));
                assertEquals("[2105:2154,51:4146]", h.getStringValue("BIASSECA"));
                assertEquals("[1:6,51:4146]", h.getStringValue("PRESECB"));
                assertEquals("[2155:2160,51:4146]", h.getStringValue("PRESECA"));
                assertEquals("[1:1024,1:4096]", h.getStringValue("AMPSECB"));
                assertEquals("[2048:1025,1:4096]", h.getStringValue("AMPSECA"));
                assertNotNull(h.getStringValue("DETSIZE"));
                DecamCcd ccd = DecamCamera.standard().ccd(numbers[i]);
                for (String amp : new String[] {"A", "B"}) {
                    assertEquals(ccd.amplifier(amp).gain(), h.getDoubleValue("GAIN" + amp));
                    assertEquals(ccd.amplifier(amp).readNoise(), h.getDoubleValue("RDNOISE" + amp));
                    assertEquals(ccd.amplifier(amp).saturationAdu(), h.getDoubleValue("SATURAT" + amp));
                }
                assertEquals("RA---TAN", h.getStringValue("CTYPE1"));
                assertEquals("DEC--TAN", h.getStringValue("CTYPE2"));
                assertEquals(Fixtures.RA, h.getDoubleValue("CRVAL1"));
                assertEquals(Fixtures.DEC, h.getDoubleValue("CRVAL2"));
                assertEquals(-ccd.xMinMm() / 0.015 + 0.5 + 56, h.getDoubleValue("CRPIX1"), 1e-6);
                assertEquals(-ccd.yMinMm() / 0.015 + 0.5 + 50, h.getDoubleValue("CRPIX2"), 1e-6);
                assertEquals(0.263, TanWcs.fromHeader(h).pixelScaleArcsec(), 1e-9);

                short[][] data = (short[][]) hdu.getKernel();
                assertEquals(4146, data.length);
                assertEquals(2160, data[0].length);
            }
        }
    }

    @Test
    void ccdCentresLandWhereTheFocalPlaneSaysOnTheSky() {
        SimulatedCcd s4 = Fixtures.ccd28();
        DecamCcd ccd = DecamCamera.standard().ccd(28);
        double[] centre = TanWcs.fromHeader(s4.header()).pixelToSky(56 + 1023.5, 50 + 2047.5);
        double scaleDeg = 0.263 / 3600 / 0.015;
        assertEquals(Fixtures.DEC + ccd.centerXMm() * scaleDeg, centre[1], 1e-4);
        assertEquals(Fixtures.RA + ccd.centerYMm() * scaleDeg / Math.cos(Math.toRadians(Fixtures.DEC)), centre[0],
                1e-3);
        assertEquals(Fixtures.RA, Sexagesimal.parseRa("13:28:00.000"), 1e-9);
    }

    @Test
    void sameSeedGivesIdenticalBytesAndCcdsDoNotDependOnTheirNeighbours() throws Exception {
        byte[] file = Fixtures.file();
        RawExposureSimulator sequential = new RawExposureSimulator(DecamCamera.standard(), RawLayout.decam(), false);
        byte[] again = sequential.toBytes(Fixtures.spec(), List.of(28));
        List<HduSpan> spans = FitsHduIndex.scan(file);
        byte[] s4InFile = Arrays.copyOfRange(file, (int) spans.get(2).offset(), (int) spans.get(2).end());
        List<HduSpan> alone = FitsHduIndex.scan(again);
        byte[] s4Alone = Arrays.copyOfRange(again, (int) alone.get(1).offset(), (int) alone.get(1).end());
        assertArrayEquals(s4InFile, s4Alone);
        assertArrayEquals(s4InFile, Fixtures.ccd28().hduBytes());

        byte[] otherSeed = new RawExposureSimulator().toBytes(Fixtures.spec().withSeed(43), List.of(28));
        assertFalse(Arrays.equals(again, otherSeed));
        assertEquals(again.length, otherSeed.length);
    }

    @Test
    void summaryLocatesEveryHdu() throws Exception {
        RawExposureSimulator sim = new RawExposureSimulator();
        java.io.ByteArrayOutputStream bos = new java.io.ByteArrayOutputStream();
        RawExposureSummary summary = sim.write(Fixtures.spec().withSeed(5), List.of(62), bos);
        List<HduSpan> spans = FitsHduIndex.scan(bos.toByteArray());
        assertEquals(bos.size(), summary.totalBytes());
        RawExposureSummary.WrittenCcd n31 = summary.ccds().get(0);
        assertEquals("N31", n31.detpos());
        assertEquals(spans.get(1).offset(), n31.offset());
        assertEquals(spans.get(1).length(), n31.length());
        assertEquals(200, n31.stars().size());
        StringWriter csv = new StringWriter();
        summary.writeStarCsv(csv);
        assertEquals(201, csv.toString().lines().count());
        assertTrue(csv.toString().startsWith("expnum,ccdnum,detpos,id,x,y,ra,dec,mag,flux_e\n1001,62,N31,0,"));
    }

    @Test
    void blankSkyNoiseIsPoissonPlusReadNoise() {
        SimulatedCcd ccd = Fixtures.ccd28();
        CcdTruth truth = ccd.truth();
        float[] expected = truth.expectedElectrons().array();
        for (AmpTruth amp : truth.amplifiers()) {
            PixelBox box = amp.assembledBox();
            double sum = 0;
            double sum2 = 0;
            long n = 0;
            for (int y = box.y0(); y <= box.maxY(); y++) {
                int rawY = y + 50;
                double bias = amp.biasAdu()[rawY];
                for (int x = box.x0(); x <= box.maxX(); x++) {
                    float e = expected[y * 2048 + x];
                    if (e != (float) Fixtures.SKY) {
                        continue;
                    }
                    double r = (ccd.adu(x + 56, rawY) - bias) * amp.gain() - e;
                    sum += r;
                    sum2 += r * r;
                    n++;
                }
            }
            assertTrue(n > 3_000_000, "blank pixels in amp " + amp.name() + ": " + n);
            double mean = sum / n;
            double sigma = Math.sqrt(sum2 / n - mean * mean);
            double predicted = Math.sqrt(Fixtures.SKY + amp.readNoise() * amp.readNoise());
            assertEquals(predicted, sigma, 0.03 * predicted, "noise of amp " + amp.name());
            assertEquals(0.0, mean, 0.1, "mean residual of amp " + amp.name());
        }
    }

    @Test
    void overscanCarriesBiasAndReadNoiseOnly() {
        SimulatedCcd ccd = Fixtures.ccd28();
        AmpTruth a = ccd.truth().amplifier("A");
        double sum = 0;
        double sum2 = 0;
        long n = 0;
        for (int y = 0; y < 4146; y++) {
            for (int x = 2104; x < 2160; x++) {
                double r = ccd.adu(x, y) - a.biasAdu()[y];
                sum += r;
                sum2 += r * r;
                n++;
            }
        }
        double mean = sum / n;
        double expected = Math.sqrt(a.readNoiseAdu() * a.readNoiseAdu() + 1.0 / 12.0);
        // unbiased to 5 standard errors of the mean
        assertEquals(0.0, mean, 5 * expected / Math.sqrt(n));
        assertEquals(expected, Math.sqrt(sum2 / n - mean * mean), 0.01 * expected);
        double drift = a.biasAdu()[4145] - a.biasAdu()[0];
        double[] bias = a.biasAdu();
        double min = Arrays.stream(bias).min().orElseThrow();
        double max = Arrays.stream(bias).max().orElseThrow();
        assertTrue(max - min > 5 && max - min < 100, "bias drift of tens of ADU, got " + (max - min) + ", " + drift);
        assertTrue(min > 250 && max < 1050, "bias level a few hundred to ~1000 ADU");
        assertTrue(Math.abs(ccd.truth().amplifier("B").biasAdu()[100] - bias[100]) > 1e-3, "amps differ");
    }

    @Test
    void isolatedBrightStarFluxIsConservedOnTheTruth() {
        checkStarFlux(Fixtures.ccd28().truth());
        ExposureSpec gaussian = Fixtures.spec().withPsfProfile(PsfProfile.gaussian()).withSeed(11);
        checkStarFlux(new RawExposureSimulator().simulateCcd(gaussian, 35).truth());
    }

    private static void checkStarFlux(CcdTruth truth) {
        Psf psf = truth.psf();
        double aperture = 6 * psf.fwhmPixels();
        double isolation = aperture + psf.renderRadius() + 2;
        StarTruth best = null;
        for (StarTruth s : truth.stars()) {
            boolean inside = s.x() > aperture + 1 && s.x() < 2046 - aperture && s.y() > aperture + 1
                    && s.y() < 4094 - aperture;
            boolean isolated = truth.stars().stream().noneMatch(o -> o != s
                    && Math.hypot(o.x() - s.x(), o.y() - s.y()) < isolation);
            if (inside && isolated && s.fluxElectrons() > 1e5 && (best == null || s.fluxElectrons()
                    > best.fluxElectrons())) {
                best = s;
            }
        }
        assertNotNull(best, "an isolated bright star");
        ImageF e = truth.expectedElectrons();
        double sum = 0;
        for (int y = (int) (best.y() - aperture) - 1; y <= best.y() + aperture + 1; y++) {
            for (int x = (int) (best.x() - aperture) - 1; x <= best.x() + aperture + 1; x++) {
                if (Math.hypot(x - best.x(), y - best.y()) <= aperture) {
                    sum += e.get(x, y) - truth.skyElectrons();
                }
            }
        }
        assertEquals(1.0, sum / best.fluxElectrons(), 0.005, "aperture flux / catalogue flux of star " + best);
        assertEquals(1.0, sum / (best.fluxElectrons() * psf.enclosedFraction(aperture)), 1e-3,
                "aperture flux / analytic enclosed flux");
    }

    @Test
    void saturatedPixelsAreClippedAtSaturat() {
        SimulatedCcd ccd = Fixtures.ccd28();
        int maxA = 0;
        for (int y = 50; y < 4146; y++) {
            for (int x = 1080; x < 2104; x++) {
                maxA = Math.max(maxA, ccd.adu(x, y));
            }
        }
        assertTrue(maxA <= ccd.truth().amplifier("A").saturationAdu());
    }
}
