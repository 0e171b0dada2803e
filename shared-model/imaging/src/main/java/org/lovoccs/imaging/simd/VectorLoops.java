package org.lovoccs.imaging.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD form of the convolution passes: each lane of a vector is one output pixel, and each pixel's sum runs over
 * the taps in the order the scalar loops use, with a separate multiply and add per tap (no fused multiply-add), so
 * every output has the same bits as the scalar loop's. Only called when {@link Simd#enabled()}: this class is the
 * only one that refers to {@code jdk.incubator.vector}, and is not loaded otherwise.
 *
 * <p>Each method does the blocks of whole vectors it can and returns the index where it stopped; the caller finishes
 * the rest with its scalar loop.
 */
public final class VectorLoops {

    private VectorLoops() {
    }

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** The floats that as many doubles as {@link #D} holds convert to. */
    private static final VectorSpecies<Float> F_OF_D =
            VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));

    static int bits() {
        return F.vectorBitSize();
    }

    /**
     * A float row filter with the whole kernel inside the row: {@code out[base + x] = sum_d g[d] src[base + x - half
     * + d]} (d = 0 .. g.length - 1, in order, from 0), for x = x0, x0 + L, ... while the block's last pixel is before
     * {@code end} (exclusive).
     *
     * @return the first x not done
     */
    public static int rowFilter(float[] src, float[] g, float[] out, int base, int x0, int end, int half) {
        int lanes = F.length();
        int n = g.length;
        int x = x0;
        for (; x + lanes <= end; x += lanes) {
            int b = base + x - half;
            FloatVector s = FloatVector.zero(F);
            for (int d = 0; d < n; d++) {
                s = s.add(FloatVector.fromArray(F, src, b + d).mul(g[d]));
            }
            s.intoArray(out, base + x);
        }
        return x;
    }

    /**
     * A float column filter of one output row: {@code out[y w + x] = sum_{j = lo .. hi} g[j + half] tmp[(y + j) w + x]}
     * (in order of j, from 0) for x from 0 in whole vectors; the row of {@code out} is the sum being built.
     *
     * @return the first x not done
     */
    public static int columnFilter(float[] tmp, float[] g, float[] out, int w, int y, int lo, int hi, int half) {
        int lanes = F.length();
        int base = y * w;
        int end = w - w % lanes;
        FloatVector zero = FloatVector.zero(F);
        for (int x = 0; x < end; x += lanes) {
            zero.intoArray(out, base + x);
        }
        for (int j = lo; j <= hi; j++) {
            float k = g[j + half];
            int row = (y + j) * w;
            for (int x = 0; x < end; x += lanes) {
                FloatVector.fromArray(F, out, base + x).add(FloatVector.fromArray(F, tmp, row + x).mul(k))
                        .intoArray(out, base + x);
            }
        }
        return end;
    }

    /**
     * A double row filter over a padded row, rounded to float: {@code tmp[base + x] = (float) sum_d row[d] pad[x + d]}
     * (in order of d, from 0), for x from 0 in whole vectors while x + L &lt;= w.
     *
     * @return the first x not done
     */
    public static int rowFilter(double[] pad, double[] row, float[] tmp, int base, int w) {
        int lanes = D.length();
        int n = row.length;
        int x = 0;
        for (; x + lanes <= w; x += lanes) {
            DoubleVector s = DoubleVector.zero(D);
            for (int d = 0; d < n; d++) {
                s = s.add(DoubleVector.fromArray(D, pad, x + d).mul(row[d]));
            }
            ((FloatVector) s.convertShape(VectorOperators.D2F, F_OF_D, 0)).intoArray(tmp, base + x);
        }
        return x;
    }

    /**
     * A double column filter of one output row: a = (first ? 0 : acc[out + x]) + sum_d col[d] rows[d][x] (in order of
     * d), then {@code phi[out + x] = (float) a} if {@code last}, else {@code acc[out + x] = a}; for x from 0 in whole
     * vectors. {@code line} (at least w long) holds the sums while they are built.
     *
     * @return the first x not done
     */
    public static int columnFilter(double[][] rows, double[] col, double[] acc, float[] phi, int out, int w,
                                   boolean first, boolean last, double[] line) {
        int lanes = D.length();
        int end = w - w % lanes;
        DoubleVector zero = DoubleVector.zero(D);
        for (int x = 0; x < end; x += lanes) {
            (first ? zero : DoubleVector.fromArray(D, acc, out + x)).intoArray(line, x);
        }
        for (int d = 0; d < col.length; d++) {
            double k = col[d];
            double[] rr = rows[d];
            for (int x = 0; x < end; x += lanes) {
                DoubleVector.fromArray(D, line, x).add(DoubleVector.fromArray(D, rr, x).mul(k)).intoArray(line, x);
            }
        }
        for (int x = 0; x < end; x += lanes) {
            DoubleVector a = DoubleVector.fromArray(D, line, x);
            if (last) {
                ((FloatVector) a.convertShape(VectorOperators.D2F, F_OF_D, 0)).intoArray(phi, out + x);
            } else {
                a.intoArray(acc, out + x);
            }
        }
        return end;
    }
}
