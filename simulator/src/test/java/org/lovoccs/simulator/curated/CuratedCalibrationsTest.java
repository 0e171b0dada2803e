package org.lovoccs.simulator.curated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import nom.tam.fits.BinaryTableHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovoccs.simulator.Peers;
import org.lovoccs.simulator.instrument.CrosstalkTable;
import org.lovoccs.simulator.instrument.CrosstalkTerm;
import org.lovoccs.simulator.instrument.Defect;
import org.lovoccs.simulator.instrument.InstrumentModel;
import org.lovoccs.simulator.instrument.NonLinearity;

class CuratedCalibrationsTest {

    /** The project's shared copy of CTIO's file (the simulator bundles an identical copy). */
    private static final Path SHARED_XTALK = Path.of("/work/shared/data/decam/DECam_xtalk_20130606.txt");

    @TempDir
    Path dir;

    @Test
    void crosstalkFileIsParsedIntoVictimSourcePairsAndCoefficients() throws IOException {
        String text = """
                # victim source  x   x_err    src_nl      poly_coeff
                ccd25B   ccd25A      1.34e-04   1.13e-05    4.078154e+04  1.537540e-04  -6.980507e-08  5.963848e-12
                ccd26A   ccd25A      2.95e-05   5.49e-06    1.000000e+10  0.000000e+00  0.000000e+00  0.000000e+00

                ccd25A   ccd25B      3.16e-04   9.32e-06    4.038128e+04  8.826313e-04  -1.619436e-07  9.457412e-12
                """;
        CrosstalkTable t = CrosstalkTable.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)));
        assertEquals(3, t.terms().size());
        CrosstalkTerm first = t.terms().get(0);
        assertEquals(25, first.victimCcd());
        assertEquals("B", first.victimAmp());
        assertEquals(25, first.sourceCcd());
        assertEquals("A", first.sourceAmp());
        assertEquals(1.34e-4, first.coefficient(), 0.0);
        assertEquals(1.13e-5, first.error(), 0.0);
        assertEquals(4.078154e4, first.nonlinearOnset(), 0.0);
        assertArrayEquals(new double[] {1.537540e-04, -6.980507e-08, 5.963848e-12}, first.polynomial(), 0.0);
        assertTrue(first.isIntraCcd());
        assertFalse(t.terms().get(1).isIntraCcd());
        assertEquals(2.95e-5, t.coefficient(26, "A", 25, "A"), 0.0);
        assertEquals(0.0, t.coefficient(26, "B", 25, "A"), 0.0);

        IOException bad = assertThrows(IOException.class, () -> CrosstalkTable.parse(new ByteArrayInputStream(
                "ccd1A ccd1B 1e-4\n".getBytes(StandardCharsets.US_ASCII))));
        assertTrue(bad.getMessage().contains("line 1"), bad.getMessage());
        IOException amp = assertThrows(IOException.class, () -> CrosstalkTable.parse(new ByteArrayInputStream(
                "# c\nchip1A ccd1B 1e-4 1e-5 1e10\n".getBytes(StandardCharsets.US_ASCII))));
        assertTrue(amp.getMessage().contains("line 2") && amp.getMessage().contains("chip1A"), amp.getMessage());
    }

    @Test
    void theSharedDecamFileIsTheTableTheSimulatorApplies() throws IOException {
        Peers.require(Files.isRegularFile(SHARED_XTALK), "the project's shared data (" + SHARED_XTALK + ")");
        CrosstalkTable shared = CuratedCalibrations.readCrosstalk(SHARED_XTALK);
        CrosstalkTable bundled = CrosstalkTable.decam();
        assertEquals(249, shared.terms().size());
        assertEquals(bundled.terms().size(), shared.terms().size());
        for (int i = 0; i < shared.terms().size(); i++) {
            CrosstalkTerm a = shared.terms().get(i);
            CrosstalkTerm b = bundled.terms().get(i);
            assertEquals(a.victimCcd() + a.victimAmp() + a.sourceCcd() + a.sourceAmp() + a.coefficient(),
                    b.victimCcd() + b.victimAmp() + b.sourceCcd() + b.sourceAmp() + b.coefficient());
        }
        // every science CCD has its two intra-CCD terms, except N24 (55) whose file lists A<-B only
        for (int ccd = 1; ccd <= 62; ccd++) {
            assertEquals(ccd == 55 ? 1 : 2, bundled.intraCcd(ccd).size(), "CCD " + ccd);
            assertEquals(bundled.intraCcd(ccd), InstrumentModel.of(1, ccd).intraCcdCrosstalk());
        }
    }

    @Test
    void productsHoldTheInstrumentModelsValuesAndAreDeterministic() throws Exception {
        CuratedCalibrations c = CuratedCalibrations.decam(7);
        List<CuratedCalibrations.Product> products = c.write(28, dir);
        assertEquals(List.of("crosstalk", "defects", "linearizer"),
                products.stream().map(CuratedCalibrations.Product::datasetType).toList());
        assertTrue(products.stream().allMatch(p -> p.detector() == 28 && p.detectorName().equals("S4")));

        // crosstalk: every line of the file whose victim is on CCD 28
        try (Fits f = new Fits(products.get(0).file().toFile())) {
            BinaryTableHDU t = (BinaryTableHDU) f.getHDU(1);
            Header h = t.getHeader();
            assertEquals("CROSSTALK", h.getStringValue("EXTNAME"));
            assertEquals(28, h.getIntValue("DETECTOR"));
            assertEquals("S4", h.getStringValue("DETNAME"));
            assertEquals(CrosstalkTable.decam().coefficient(28, "A", 28, "B"), h.getDoubleValue("XT_A_B"), 0.0);
            assertEquals(CrosstalkTable.decam().coefficient(28, "B", 28, "A"), h.getDoubleValue("XT_B_A"), 0.0);
            List<CrosstalkTerm> terms = c.crosstalkTerms(28);
            assertEquals(terms.size(), t.getNRows());
            for (int i = 0; i < terms.size(); i++) {
                assertEquals(terms.get(i).coefficient(), ((double[]) t.getElement(i, t.findColumn("coeff")))[0]);
                assertEquals(terms.get(i).sourceAmp(), t.getElement(i, t.findColumn("source_amp")));
            }
        }
        // defects: exactly the model's boxes
        List<Defect> truth = InstrumentModel.of(7, 28).defects().all();
        try (Fits f = new Fits(products.get(1).file().toFile())) {
            BinaryTableHDU t = (BinaryTableHDU) f.getHDU(1);
            assertEquals(7, t.getHeader().getLongValue("INSTSEED"));
            assertEquals(truth.size(), t.getNRows());
            assertTrue(truth.size() > 5, "about 2.5 columns and 30 hot pixels");
            for (int i = 0; i < truth.size(); i++) {
                Defect d = truth.get(i);
                assertEquals(d.box().x0(), ((long[]) t.getElement(i, t.findColumn("x0")))[0]);
                assertEquals(d.box().y0(), ((long[]) t.getElement(i, t.findColumn("y0")))[0]);
                assertEquals(d.box().width(), ((long[]) t.getElement(i, t.findColumn("width")))[0]);
                assertEquals(d.box().height(), ((long[]) t.getElement(i, t.findColumn("height")))[0]);
                assertEquals(d.kind().name(), t.getElement(i, t.findColumn("kind")));
            }
        }
        // linearizer: the model's parameters per amplifier
        try (Fits f = new Fits(products.get(2).file().toFile())) {
            BinaryTableHDU t = (BinaryTableHDU) f.getHDU(1);
            assertEquals(2, t.getNRows());
            for (int i = 0; i < 2; i++) {
                String amp = (String) t.getElement(i, t.findColumn("amp_name"));
                NonLinearity nl = InstrumentModel.of(7, 28).nonLinearity(amp);
                assertEquals(nl.alpha(), ((double[]) t.getElement(i, t.findColumn("alpha")))[0]);
                assertEquals(nl.delta(), ((double[]) t.getElement(i, t.findColumn("delta")))[0]);
                assertEquals(nl.tau(), ((double[]) t.getElement(i, t.findColumn("tau")))[0]);
                assertEquals(1024L, ((long[]) t.getElement(i, t.findColumn("bbox_width")))[0]);
                assertEquals(amp.equals("B") ? 0L : 1024L, ((long[]) t.getElement(i, t.findColumn("bbox_x0")))[0]);
            }
        }
        // byte-identical when written again; another seed gives other defects and linearity
        Path again = dir.resolve("again");
        List<CuratedCalibrations.Product> second = c.write(28, again);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(Files.readAllBytes(products.get(i).file()), Files.readAllBytes(second.get(i).file()));
        }
        List<CuratedCalibrations.Product> other = CuratedCalibrations.decam(8).write(28, dir.resolve("other"));
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(products.get(1).file()),
                Files.readAllBytes(other.get(1).file())), "defects depend on the instrument seed");
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(products.get(2).file()),
                Files.readAllBytes(other.get(2).file())), "linearity depends on the instrument seed");
    }

    @Test
    void everyDetectorsProductsPassFitsverifyAndAstropyReadsThem() throws Exception {
        Peers.requireFitsverify();
        Peers.requireAstropy();
        List<CuratedCalibrations.Product> all = CuratedCalibrations.decam(1).writeAll(dir);
        assertEquals(62 * 3, all.size());
        List<String> files = all.stream().map(p -> p.file().toString()).toList();
        List<String> cmd = new java.util.ArrayList<>(List.of(Peers.FITSVERIFY, "-q"));
        cmd.addAll(files);
        Peers.Result v = Peers.run(cmd.toArray(String[]::new));
        assertEquals(0, v.code(), v.output());
        assertFalse(v.output().contains("FAILED"), v.output());
        assertEquals(62 * 3, v.output().split("verification OK: ", -1).length - 1, v.output());

        String script = String.join("\n",
                "import sys, glob",
                "from astropy.table import Table",
                "d = sys.argv[1]",
                "x = Table.read(d + '/crosstalk_DECam_28_S4.fits', hdu='CROSSTALK')",
                "intra = x[x['intra']]",
                "print('xt', len(x), len(intra), x.meta['DETECTOR'], x.meta['DETNAME'])",
                "print('xtab', '%.9e' % intra[intra['victim_amp'] == 'A']['coeff'][0])",
                "t = Table.read(d + '/defects_DECam_28_S4.fits', hdu='DEFECTS')",
                "print('def', len(t), int(t['x0'][0]), int(t['height'][0]), str(t['x0'].unit))",
                "l = Table.read(d + '/linearizer_DECam_28_S4.fits', hdu='LINEARIZER')",
                "print('lin', ','.join(l['amp_name']), '%.12e' % l['alpha'][0], str(l['tau'].unit))",
                "print('files', len(glob.glob(d + '/*.fits')))");
        Peers.Result r = Peers.run(Peers.PYTHON, "-c", script, dir.toString());
        assertEquals(0, r.code(), r.output());
        CuratedCalibrations c = CuratedCalibrations.decam(1);
        List<Defect> defects = InstrumentModel.of(1, 28).defects().all();
        String amp0 = InstrumentModel.of(1, 28).amps().get(0).name();
        assertTrue(r.output().contains("xt " + c.crosstalkTerms(28).size() + " 2 28 S4"), r.output());
        assertTrue(r.output().contains("xtab " + String.format(java.util.Locale.ROOT, "%.9e",
                CrosstalkTable.decam().coefficient(28, "A", 28, "B"))), r.output());
        assertTrue(r.output().contains("def " + defects.size() + " " + defects.get(0).box().x0() + " "
                + defects.get(0).box().height() + " pix"), r.output());
        assertTrue(r.output().contains("lin " + String.join(",", InstrumentModel.of(1, 28).amps().stream()
                .map(a -> a.name()).toList()) + " " + String.format(java.util.Locale.ROOT, "%.12e",
                InstrumentModel.of(1, 28).nonLinearity(amp0).alpha()) + " adu"), r.output());
        assertTrue(r.output().contains("files 186"), r.output());
    }
}
