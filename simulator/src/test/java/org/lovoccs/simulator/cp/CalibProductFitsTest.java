package org.lovoccs.simulator.cp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import nom.tam.fits.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovoccs.imaging.Band;
import org.lovoccs.imaging.MaskPlane;
import org.lovoccs.imaging.MaskedImage;
import org.lovoccs.imaging.cp.CalibProduct;
import org.lovoccs.imaging.cp.CalibProductFormatter;
import org.lovoccs.imaging.cp.CalibType;
import org.lovoccs.imaging.cp.ClippedCombiner;
import org.lovoccs.imaging.cp.CombineConfig;
import org.lovoccs.imaging.cp.Combined;
import org.lovoccs.imaging.fits.FitsHeaders;
import org.lovoccs.simulator.Peers;

/** The clipped combiner on a synthetic stack, and every product type through FITS, fitsverify and astropy. */
class CalibProductFitsTest {

    private static final int W = 64;
    private static final int H = 32;

    private static Combined stack() {
        SplittableRandom rng = new SplittableRandom(3);
        List<MaskedImage> frames = new ArrayList<>();
        for (int k = 0; k < 9; k++) {
            MaskedImage mi = MaskedImage.allocate(W, H);
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    mi.image().set(x, y, (float) (100 + x + rng.nextGaussian()));
                    mi.variance().set(x, y, 1f);
                }
            }
            frames.add(mi);
        }
        frames.get(2).image().set(5, 5, 1e4f);                 // a cosmic ray
        frames.get(4).image().set(6, 5, 1e4f);
        frames.get(4).mask().set(6, 5, MaskPlane.CR);          // a masked one
        for (MaskedImage f : frames) {
            f.mask().set(7, 7, MaskPlane.BAD);                 // bad in every frame
        }
        double[] scales = new double[frames.size()];
        java.util.Arrays.fill(scales, 1.0);
        return ClippedCombiner.combineImages(frames, scales, CombineConfig.defaults());
    }

    @Test
    void combinerClipsRejectsMaskedAndFlagsNoData() {
        Combined c = stack();
        assertEquals(9, c.frames());
        assertEquals(105, c.image().image().get(5, 5), 1.5, "cosmic ray clipped");
        assertEquals(8, c.count().get(5, 5));
        assertEquals(8, c.count().get(6, 5), "masked value left out");
        assertTrue(Float.isNaN(c.image().image().get(7, 7)));
        assertTrue(c.image().mask().isSet(7, 7, MaskPlane.NO_DATA));
        assertEquals(0, c.count().get(7, 7));
        double s = 0;
        for (int y = 10; y < H; y++) {
            for (int x = 10; x < W; x++) {
                s += c.image().variance().get(x, y);
            }
        }
        assertEquals(1.0 / 9, s / ((H - 10) * (W - 10)), 0.02, "empirical variance of the mean of 9 unit-noise values");
        Combined p = ClippedCombiner.combine(List.of(org.lovoccs.imaging.cp.RowSource.of(c.image())),
                CombineConfig.defaults().withVariance(CombineConfig.VarianceEstimate.PROPAGATED));
        assertEquals(c.image().variance().get(20, 20), p.image().variance().get(20, 20), 1e-7);
    }

    @Test
    void everyProductPassesFitsverifyAndAstropyReadsIt(@TempDir Path dir) throws Exception {
        Peers.requireFitsverify();
        Peers.requireAstropy();
        Combined c = stack();
        for (CalibType type : CalibType.values()) {
            Header h = new Header();
            FitsHeaders.add(h, "CALIBTYP", type.keyword(), "calibration product type");
            FitsHeaders.add(h, "DETPOS", "S15", "detector position");
            if (type != CalibType.BIAS) {
                FitsHeaders.add(h, "FILTER", Band.Z.physicalFilter(), "filter");
            }
            FitsHeaders.add(h, "NCOMBINE", 9, "inputs");
            FitsHeaders.history(h, "inputs EXPNUM: 1,2,3");
            CalibProduct p = new CalibProduct(type, type == CalibType.BIAS ? null : Band.Z, c.image(), c.count(), h);
            Path file = dir.resolve(type.keyword() + ".fits");
            CalibProductFormatter.write(p, file);
            Peers.Result v = Peers.run(Peers.FITSVERIFY, "-q", file.toString());
            assertEquals(0, v.code(), "fitsverify " + type + ": " + v.output());
            assertTrue(v.output().contains("OK"), v.output());
            CalibProduct back = CalibProductFormatter.read(file);
            assertEquals(type, back.type());
            assertEquals(p.band(), back.band());
            assertEquals(c.image().image().get(10, 3), back.image().image().get(10, 3));
            assertEquals(8, back.count().get(5, 5));
            assertTrue(back.image().mask().isSet(7, 7, MaskPlane.NO_DATA));
            String py = "from astropy.io import fits\n"
                    + "h = fits.open('" + file + "')\n"
                    + "print(h[0].header['CALIBTYP'], [x.name for x in h], h['IMAGE'].data.shape,"
                    + " h['IMAGE'].header.get('BUNIT', '-'), int(h['COUNT'].data[5, 5]),"
                    + " round(float(h['IMAGE'].data[3, 10]), 3))\n";
            Peers.Result a = Peers.run(Peers.PYTHON, "-c", py);
            assertEquals(0, a.code(), a.output());
            String expected = type.keyword() + " ['PRIMARY', 'IMAGE', 'MASK', 'VARIANCE', 'COUNT'] (32, 64) "
                    + (type.unit().isEmpty() ? "-" : type.unit()) + " 8 "
                    + Math.round(c.image().image().get(10, 3) * 1000) / 1000.0;
            assertEquals(expected, a.output().trim(), "astropy's view of " + type);
        }
        assertTrue(Files.size(dir.resolve("bias.fits")) % 2880 == 0);
    }
}
