package org.lovoccs.simulator.instrument;

import java.util.List;
import java.util.SplittableRandom;

import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.PixelBox;
import org.lovoccs.simulator.random.PoissonSampler;

/**
 * The fixed two-dimensional bias structure of one CCD (ADU), which a master zero finds after overscan subtraction: it is
 * present in the data pixels only, not in the overscan, and is added on top of {@link BiasModel}'s row-dependent level.
 *
 * <p>Per amplifier (drawn from {@code stream(instrumentSeed, BIAS_STRUCTURE, ccdNum, amp)}), with (i, j) the readout
 * column and row ({@link ReadoutAmp}):
 * <pre>
 *   s(i, j) = c_i + E exp(-i / L) + P exp(-j / M)  - (its mean over the amplifier)
 * </pre>
 * {@code c_i} Gaussian per column with sigma uniform in [0.5, 1.5] ADU plus Poisson(2) bright columns offset by
 * +-(2-6) ADU; a serial-edge ramp E in [2, 6] ADU decaying over L in [10, 40] columns from the first read column; a
 * parallel ramp P in [0, 3] ADU decaying over M in [50, 200] rows. Each amplifier's structure has mean 0.
 */
public final class BiasStructure {

    private final int width;
    private final int height;
    private final List<ReadoutAmp> amps;
    private final float[] columnAdu;
    private final float[][] rowAdu;

    private BiasStructure(int width, int height, List<ReadoutAmp> amps, float[] columnAdu, float[][] rowAdu) {
        this.width = width;
        this.height = height;
        this.amps = List.copyOf(amps);
        this.columnAdu = columnAdu;
        this.rowAdu = rowAdu;
    }

    /** Draws the structure of CCD {@code ccdNum}; {@code amps} must tile the {@code width x height} CCD. */
    public static BiasStructure draw(long instrumentSeed, int ccdNum, int width, int height, List<ReadoutAmp> amps) {
        float[] col = new float[width];
        float[][] row = new float[amps.size()][];
        PoissonSampler poisson = new PoissonSampler();
        for (int k = 0; k < amps.size(); k++) {
            ReadoutAmp a = amps.get(k);
            SplittableRandom rng = InstrumentStreams.stream(instrumentSeed, InstrumentStreams.BIAS_STRUCTURE, ccdNum,
                    a.name().hashCode());
            int nw = a.box().width();
            int nh = a.box().height();
            double sigma = 0.5 + rng.nextDouble();
            double edge = 2.0 + 4.0 * rng.nextDouble();
            double edgeLength = 10.0 + 30.0 * rng.nextDouble();
            double par = 3.0 * rng.nextDouble();
            double parLength = 50.0 + 150.0 * rng.nextDouble();
            double[] c = new double[nw];
            for (int i = 0; i < nw; i++) {
                c[i] = sigma * rng.nextGaussian() + edge * Math.exp(-i / edgeLength);
            }
            long bright = poisson.sample(rng, 2.0);
            for (long b = 0; b < bright; b++) {
                c[rng.nextInt(nw)] += (rng.nextBoolean() ? 1 : -1) * (2.0 + 4.0 * rng.nextDouble());
            }
            double[] rr = new double[nh];
            for (int j = 0; j < nh; j++) {
                rr[j] = par * Math.exp(-j / parLength);
            }
            double cm = mean(c);
            double rm = mean(rr);
            for (int i = 0; i < nw; i++) {
                col[a.x(i)] = (float) (c[i] - cm);
            }
            row[k] = new float[height];
            for (int j = 0; j < nh; j++) {
                row[k][a.y(j)] = (float) (rr[j] - rm);
            }
        }
        return new BiasStructure(width, height, amps, col, row);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private int ampOf(int x, int y) {
        for (int k = 0; k < amps.size(); k++) {
            if (amps.get(k).box().contains(x, y)) {
                return k;
            }
        }
        throw new IllegalArgumentException("pixel (" + x + ", " + y + ") in no amplifier");
    }

    /** The structure at assembled pixel (x, y), ADU. */
    public double valueAdu(int x, int y) {
        return columnAdu[x] + rowAdu[ampOf(x, y)][y];
    }

    /** Adds the structure to an assembled image in ADU (e.g. the data pixels before quantisation). */
    public void addTo(ImageF adu) {
        if (adu.width() != width || adu.height() != height) {
            throw new IllegalArgumentException("image " + adu.width() + "x" + adu.height() + ", structure " + width
                    + "x" + height);
        }
        float[] a = adu.array();
        for (int k = 0; k < amps.size(); k++) {
            PixelBox b = amps.get(k).box();
            for (int y = b.y0(); y <= b.maxY(); y++) {
                int base = adu.index(0, y);
                float r = rowAdu[k][y];
                for (int x = b.x0(); x <= b.maxX(); x++) {
                    a[base + x] += columnAdu[x] + r;
                }
            }
        }
    }

    /** The structure as an assembled image, ADU (32 MB for a DECam CCD). */
    public ImageF image() {
        ImageF out = new ImageF(width, height);
        addTo(out);
        return out;
    }
}
