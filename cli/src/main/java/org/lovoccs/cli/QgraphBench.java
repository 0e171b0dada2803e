package org.lovoccs.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ./lovoccs bench-qgraph [--raws N] [--subset isr,characterizeImage]}: registers N synthetic raws (62
 * detectors per exposure) and a curated camera in a fresh RUN pair, then times {@code pipetask qgraph} over them
 * with the corrections that need calibrations turned off.
 */
final class QgraphBench {

    private QgraphBench() {
    }

    static int run(Main main, String[] a) {
        int raws = Integer.parseInt(Main.option(a, "--raws", "100000"));
        String subset = Main.option(a, "--subset", "isr,characterizeImage");
        String prefix = "bench/qg" + Long.toString(System.currentTimeMillis(), 36);
        long firstExposure = 7_000_000L + (System.currentTimeMillis() / 1000 % 1_000_000) * 10;
        long t0 = System.nanoTime();
        for (int start = 0; start < raws; start += 10_000) {
            List<Map<String, Object>> ds = new ArrayList<>();
            for (int i = start; i < Math.min(raws, start + 10_000); i++) {
                long exposure = firstExposure + i / 62;
                ds.add(Map.of("dataId", Map.of("instrument", "DECam", "exposure", exposure, "detector", i % 62 + 1),
                        "uri", "s3://lovoccs-repo/" + prefix + "/raw/" + exposure + ".fits", "byteLength", 17_916_480L));
            }
            main.postJson("/butler/register-datasets", Map.of("datasetType", "raw", "run", prefix + "/raw",
                    "datasets", ds));
        }
        main.postJson("/butler/dataset-types", Map.of("name", "camera", "storageClass", "Camera", "dimensions",
                List.of("instrument"), "isCalibration", true));
        main.postJson("/butler/register-datasets", Map.of("datasetType", "camera", "run", prefix + "/calib",
                "datasets", List.of(Map.of("dataId", Map.of("instrument", "DECam"), "uri",
                        "s3://lovoccs-repo/" + prefix + "/camera.fits"))));
        System.out.printf("registered %,d raws in %.1f s%n", raws, (System.nanoTime() - t0) / 1e9);
        String[] args = {"-p", "pipelines/DRP-LoVoCCS.yaml#" + subset, "-i", prefix + "/raw," + prefix + "/calib",
            "-o", prefix + "/out", "-d", "instrument = 'DECam'", "-c", "isr:doBias=False", "-c", "isr:doFlat=False",
            "-c", "isr:doFringe=False", "-c", "isr:doCrosstalk=False", "-c", "isr:doLinearize=False", "-c",
            "isr:doBrighterFatter=False", "-c", "isr:doDefect=False"};
        for (int rep = 0; rep < 2; rep++) {
            long t = System.nanoTime();
            new QuantumGraphCommand(main).run(args);
            System.out.printf("pipetask qgraph %s over %,d raws: %.2f s%n", subset, raws,
                    (System.nanoTime() - t) / 1e9);
        }
        System.out.printf("remove the bench data with ./lovoccs butler remove-runs '%s/*' --no-confirm%n", prefix);
        return 0;
    }
}
