package org.lovoccs.imaging.characterize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.MaskPlane;
import org.lovoccs.imaging.wcs.TanWcs;

/**
 * Characterizer on a synthetic field of elliptical Gaussian stars whose size grows across the image: the PSF model's
 * adaptive moments must be the true (pixel-convolved) covariance, and the products must round-trip through FITS, pass
 * fitsverify and be read by astropy with their units.
 */
class CharacterizerTest {

    static SyntheticField field;
    static CharacterizeResult result;

    @BeforeAll
    static void run() {
        field = new SyntheticField(7L, 1024, 1024, 400, 1.7, 0.2, 0.04, -0.03, 800);
        result = Characterizer.run(field.image, CharacterizeConfig.defaults());
    }

    @Test
    void psfModelHasTheTrueSizeAndEllipticityAcrossTheImage() {
        for (double[] p : new double[][] {{150, 150}, {512, 512}, {870, 300}, {300, 870}, {870, 870}}) {
            AdaptiveMoments.Result m = result.psf().momentsAt(p[0], p[1]);
            double[] c = field.covariance(p[0]);
            // a Gaussian's adaptive moments are its covariance; pixel integration adds 1/12 px^2 to the diagonal
            double txx = c[0] + 1 / 12.0;
            double tyy = c[1] + 1 / 12.0;
            double trueT = txx + tyy;
            double dT = (m.ixx() + m.iyy()) / trueT - 1;
            double de1 = m.e1() - (txx - tyy) / trueT;
            double de2 = m.e2() - 2 * c[2] / trueT;
            System.out.printf("(%4.0f, %4.0f): T %.4f vs %.4f (%+.3f%%), de (%+.4f, %+.4f)%n", p[0], p[1],
                    m.ixx() + m.iyy(), trueT, 100 * dT, de1, de2);
            // FWHM within 1% means T within 2%
            assertTrue(Math.abs(dT) < 0.02, "size off by " + dT);
            assertTrue(Math.hypot(de1, de2) < 0.003, "ellipticity off by (" + de1 + ", " + de2 + ")");
        }
        assertTrue(result.psfStars().size() >= 30, "PSF stars: " + result.psfStars().size());
    }

    @Test
    void everyStarIsDetectedAndTheDetectedPlaneIsSet() {
        int found = 0;
        for (double[] s : field.stars) {
            for (Source src : result.sources().sources()) {
                if (Math.hypot(src.x() - s[0], src.y() - s[1]) < 1.0) {
                    found++;
                    break;
                }
            }
        }
        // the faintest stars have S/N ~ 20: all are found unless blended closer than ~1 FWHM
        assertTrue(found >= 0.98 * field.stars.size(), found + " of " + field.stars.size());
        assertTrue(result.exposure().mask().count(MaskPlane.DETECTED) > 0);
        assertTrue(result.sources().sources().stream().anyMatch(s -> s.has(SourceFlag.PSF_USED)));
    }

    @Test
    void productsRoundTripThroughFitsAndPassFitsverifyAndAstropy(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("icSrc.fits");
        Path bkg = dir.resolve("icExpBackground.fits");
        Path psf = dir.resolve("psf.fits");
        TanWcs wcs = new TanWcs(10.0, -9.0, 512, 512, -0.263 / 3600, 0, 0, 0.263 / 3600);
        SourceCatalogFormatter.write(result.sources(), wcs, "electron", 12.0, src);
        BackgroundModelFormatter.write(result.background(), bkg, "electron");
        PsfModelFormatter.write(result.psf(), psf);

        SourceCatalog back = SourceCatalogFormatter.read(src);
        assertEquals(result.sources(), back);
        BackgroundModel bm = BackgroundModelFormatter.read(bkg);
        ImageF a = result.background().renderLevel();
        ImageF b = bm.renderLevel();
        for (int i = 0; i < a.array().length; i += 997) {
            assertEquals(a.array()[i], b.array()[i], 0.0f);
        }
        PsfModel pm = PsfModelFormatter.read(psf);
        assertEquals(result.psf().fwhmAt(300, 700), pm.fwhmAt(300, 700), 1e-9);

        PeerTools.requireFitsverify();
        for (Path p : new Path[] {src, bkg, psf}) {
            PeerTools.Result r = PeerTools.run(PeerTools.FITSVERIFY, "-q", p.toString());
            assertEquals(0, r.code(), "fitsverify " + p.getFileName() + ": " + r.output());
            assertTrue(r.output().contains("OK"), r.output());
        }
        PeerTools.requireAstropy();
        Path script = dir.resolve("check.py");
        Files.writeString(script, String.join("\n",
                "import sys",
                "from astropy.table import Table",
                "from astropy.io import fits",
                "t = Table.read(sys.argv[1], hdu='SOURCES')",
                "assert str(t['x'].unit) == 'pix', t['x'].unit",
                "assert str(t['ra'].unit) == 'deg'",
                "assert str(t['flux'].unit) == 'electron'",
                "assert t['flag_psf_used'].dtype == bool",
                "print(len(t), int(t['flag_psf_used'].sum()), float(t['ra'][0]))",
                "b = fits.open(sys.argv[2])",
                "print(b['BACKGROUND'].data.shape, b['BACKRMS'].header['BUNIT'])",
                "p = fits.open(sys.argv[3])",
                "print(p['PSF_BASIS'].data.shape, p['PSF_BASIS'].header['POLDEG'])",
                ""));
        PeerTools.Result r = PeerTools.run(PeerTools.PYTHON, script.toString(), src.toString(), bkg.toString(),
                psf.toString());
        assertEquals(0, r.code(), r.output());
        String[] lines = r.output().trim().split("\\R");
        String[] first = lines[lines.length - 3].trim().split("\\s+");
        assertEquals(result.sources().size(), Integer.parseInt(first[0]), r.output());
        long used = result.sources().sources().stream().filter(s -> s.has(SourceFlag.PSF_USED)).count();
        assertEquals(used, Long.parseLong(first[1]), r.output());
        assertEquals(wcs.pixelToSky(result.sources().get(0).x(), result.sources().get(0).y())[0],
                Double.parseDouble(first[2]), 1e-9);
        assertTrue(lines[lines.length - 2].contains("(" + result.background().ny() + ", "
                + result.background().nx() + ")"), r.output());
        int degree = result.psf().spatialOrder();
        assertTrue(lines[lines.length - 1].startsWith("(" + PsfModel.termCount(degree) + ", 25, 25) " + degree),
                r.output());
    }
}
