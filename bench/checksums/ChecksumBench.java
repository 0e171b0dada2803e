import java.security.MessageDigest;
import java.util.zip.CRC32C;

/**
 * One core's rate for the checksums a 100 MB dataset meets: SHA-256 (what the registry records for every dataset, by
 * the worker on writing and on reading), MD5 (S3's ETag, which the S3 server computes on every PUT) and CRC32C (for
 * comparison). Five rounds; the first includes the JIT.
 */
public final class ChecksumBench {
    public static void main(String[] args) throws Exception {
        byte[] b = new byte[100 << 20];
        new java.util.Random(1).nextBytes(b);
        for (int r = 0; r < 5; r++) {
            long t0 = System.nanoTime();
            MessageDigest.getInstance("SHA-256").digest(b);
            long t1 = System.nanoTime();
            MessageDigest.getInstance("MD5").digest(b);
            long t2 = System.nanoTime();
            CRC32C c = new CRC32C();
            c.update(b);
            c.getValue();
            long t3 = System.nanoTime();
            System.out.printf(java.util.Locale.ROOT, "100 MB: SHA-256 %.3f s, MD5 %.3f s, CRC32C %.4f s%n",
                    (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9);
        }
    }
}
