package org.lovoccs.objectstore;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The object store's cost per CCD-sized object: PUT and GET of N MB through {@link ObjectStore} against the running S3
 * server, wall time and CPU time of this client and of the server process (from /proc, when its pid is given).
 * {@code bench/object-store/run.sh [MB] [ROUNDS]}.
 */
public final class ObjectStoreBench {
    private ObjectStoreBench() {
    }

    public static void main(String[] args) throws Exception {
        int mb = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        int serverPid = args.length > 2 ? Integer.parseInt(args[2]) : -1;
        String bucket = System.getenv().getOrDefault("LOVOCCS_REPO_BUCKET", "lovoccs-repo");
        ObjectStore s = ObjectStore.fromEnvironment();
        s.ensureBucket(bucket);
        byte[] b = new byte[mb << 20];
        new SplittableRandom(1).nextBytes(b);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.printf("%d MB objects, %d rounds, endpoint %s%n", mb, rounds, s.endpoint());
        for (int r = 0; r < rounds; r++) {
            String key = "bench-object-store/" + ProcessHandle.current().pid() + "-" + r;
            long c0 = serverCpu(serverPid);
            long m0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            s.put(bucket, key, b, "application/octet-stream", Map.of());
            long t1 = System.nanoTime();
            long c1 = serverCpu(serverPid);
            long m1 = os.getProcessCpuTime();
            byte[] back = s.get(bucket, key);
            long t2 = System.nanoTime();
            long c2 = serverCpu(serverPid);
            long m2 = os.getProcessCpuTime();
            s.remove(bucket, key);
            if (back.length != b.length) {
                throw new IllegalStateException("read back " + back.length + " bytes of " + b.length);
            }
            System.out.printf("round %d: put %.2f s (client CPU %.2f s, server CPU %s) | get %.2f s (client CPU %.2f s,"
                    + " server CPU %s)%n", r + 1, (t1 - t0) / 1e9, (m1 - m0) / 1e9, cpu(c0, c1), (t2 - t1) / 1e9,
                    (m2 - m1) / 1e9, cpu(c1, c2));
        }
    }

    private static String cpu(long a, long b) {
        return a < 0 ? "?" : String.format("%.2f s", (b - a) / 100.0);
    }

    /** utime + stime of a process, in clock ticks (1/100 s); -1 when unknown. */
    private static long serverCpu(int pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (Exception e) {
            return -1;
        }
    }
}
