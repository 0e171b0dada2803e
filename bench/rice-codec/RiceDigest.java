import java.security.MessageDigest;
import java.util.Random;
import org.lovoccs.imaging.fits.RiceCodec;
/** RICE_1 coding of test tiles: a digest of the coded bytes (identical before and after a change of the coder means the same files), each tile decoded and checked; the time to code a 2048 x 4096 noise plane, one row per tile, and to decode it (4- and 2-byte pixels), best of 5 and of 15. */
public class RiceDigest {
    public static void main(String[] a) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        Random r = new Random(1);
        long t = 0;
        for (int bp : new int[] {1, 2, 4}) {
            for (double amp : new double[] {0, 0.5, 3, 40, 2000, 1e6, 3e9}) {
                for (int n : new int[] {1, 31, 32, 33, 2048, 4000}) {
                    int[] px = new int[n];
                    for (int i = 0; i < n; i++) {
                        px[i] = (int) (r.nextGaussian() * amp) + (i % 97 == 0 ? r.nextInt() : 0) * (amp > 100 ? 1 : 0);
                    }
                    long t0 = System.nanoTime();
                    byte[] e = RiceCodec.encode(px, 0, n, bp, 32);
                    t += System.nanoTime() - t0;
                    md.update(e);
                    int[] back = new int[n];
                    RiceCodec.decode(e, 0, e.length, back, 0, n, bp, 32);
                    for (int i = 0; i < n; i++) {
                        long m = bp == 4 ? 0xFFFFFFFFL : (1L << (8 * bp)) - 1;
                        if (((back[i] ^ px[i]) & m) != 0) throw new AssertionError("roundtrip " + bp + " " + amp + " " + n);
                    }
                }
            }
        }
        // timing: a 2048 x 4096 noise plane, 4-byte pixels, one row per tile
        int[] plane = new int[2048 * 4096];
        for (int i = 0; i < plane.length; i++) plane[i] = 1000 + (int) (r.nextGaussian() * 30);
        long best = Long.MAX_VALUE;
        for (int rep = 0; rep < 5; rep++) {
            long t0 = System.nanoTime();
            for (int y = 0; y < 4096; y++) md.update(RiceCodec.encode(plane, y * 2048, 2048, 4, 32));
            best = Math.min(best, System.nanoTime() - t0);
        }
        // decoding the same plane's rows, 4-byte pixels, and a 16-bit raw's (2-byte pixels), best of 15 each
        double[] decodeBest = new double[2];
        int[] bytePix = {4, 2};
        for (int k = 0; k < 2; k++) {
            byte[][] rows = new byte[4096][];
            for (int y = 0; y < 4096; y++) rows[y] = RiceCodec.encode(plane, y * 2048, 2048, bytePix[k], 32);
            int[] back = new int[plane.length];
            long bestDecode = Long.MAX_VALUE;
            for (int rep = 0; rep < 15; rep++) {
                long t0 = System.nanoTime();
                for (int y = 0; y < 4096; y++) RiceCodec.decode(rows[y], 0, rows[y].length, back, y * 2048, 2048, bytePix[k], 32);
                bestDecode = Math.min(bestDecode, System.nanoTime() - t0);
            }
            for (int i = 0; i < plane.length; i++) if (back[i] != plane[i]) throw new AssertionError("plane decode " + bytePix[k]);
            decodeBest[k] = bestDecode / 1e9;
        }
        System.out.printf("digest %s; noise plane encode best %.3f s; decode best %.3f s (4-byte), %.3f s (2-byte)%n",
                java.util.HexFormat.of().formatHex(md.digest(), 0, 8), best / 1e9, decodeBest[0], decodeBest[1]);
    }
}
