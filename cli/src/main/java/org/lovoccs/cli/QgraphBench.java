package org.lovoccs.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ./lovoccs bench-qgraph [--raws N] [--subset isr,characterizeImage]}: registers N synthetic raws (62
 * detectors per exposure) and a curated camera in a fresh RUN pair, then times {@code pipetask qgraph} over them
 * with the corrections that need calibrations turned off.
 *
 * <p>{@code --shape skycorr [--visits 133] [--detectors 46]}: the seed's skyCorr graph (step3d). A synthetic campaign
 * of visits in g, r, i, z dithered within 0.3 deg of one cluster (A85's position), each with a seeded random subset
 * of its 62 DECam CCDs (46 on average: 6,121 calexps for 133 visits, as the seed's quality-selected inputs), defined
 * as visits with their CCD regions, a LoVoCCS skymap over the cluster in its own RUN, calexp, calexpBackground,
 * finalVisitSummary, skyFrames and camera datasets; then times {@code pipetask qgraph -p DRP-LoVoCCS.yaml#step3d}.
 */
final class QgraphBench {

    private QgraphBench() {
    }

    static int run(Main main, String[] a) {
        if ("skycorr".equals(Main.option(a, "--shape", "isr"))) {
            return skyCorr(main, Integer.parseInt(Main.option(a, "--visits", "133")),
                    Integer.parseInt(Main.option(a, "--calexps", "6121")));
        }
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

    private static final String[] BANDS = {"g", "r", "i", "z"};
    private static final String[] FILTERS = {"g DECam SDSS c0001 4720.0 1520.0", "r DECam SDSS c0002 6415.0 1480.0",
        "i DECam SDSS c0003 7835.0 1470.0", "z DECam SDSS c0004 9260.0 1520.0"};

    static int skyCorr(Main main, int visits, int calexps) {
        String tag = Long.toString(System.currentTimeMillis(), 36);
        String prefix = "bench/sc" + tag;
        String skymap = "BENCH" + tag.toUpperCase() + "_skymap";
        long firstVisit = 8_000_000L + (System.currentTimeMillis() / 1000 % 100_000) * 200;
        double ra0 = 10.4583;
        double dec0 = -9.3031;
        java.util.Random rnd = new java.util.Random(42);
        long t0 = System.nanoTime();
        List<Map<String, Object>> defs = new ArrayList<>();
        List<Map<String, Object>> calexp = new ArrayList<>();
        List<Map<String, Object>> bkg = new ArrayList<>();
        List<Map<String, Object>> summaries = new ArrayList<>();
        for (int v = 0; v < visits; v++) {
            long visit = firstVisit + v;
            int b = v % 4;
            double r = 0.3 * Math.sqrt(rnd.nextDouble());
            double phi = 2 * Math.PI * rnd.nextDouble();
            double dec = dec0 + r * Math.sin(phi);
            double ra = ra0 + r * Math.cos(phi) / Math.cos(Math.toRadians(dec0));
            defs.add(Map.of("visit", visit, "physicalFilter", FILTERS[b], "band", BANDS[b], "dayObs",
                    20221001 + v / 12, "ra", ra, "dec", dec, "exposureTime", 300.0, "targetName", "A85"));
            int n = calexps / visits + (v < calexps % visits ? 1 : 0);
            List<Integer> ccds = new ArrayList<>();
            for (int c = 1; c <= 62; c++) {
                ccds.add(c);
            }
            java.util.Collections.shuffle(ccds, rnd);
            for (int ccd : ccds.subList(0, Math.min(62, n))) {
                Map<String, Object> id = Map.of("instrument", "DECam", "visit", visit, "detector", ccd);
                calexp.add(Map.of("dataId", id, "uri", "s3://lovoccs-repo/" + prefix + "/calexp/" + visit + "_" + ccd
                        + ".fits"));
                bkg.add(Map.of("dataId", id, "uri", "s3://lovoccs-repo/" + prefix + "/bkg/" + visit + "_" + ccd
                        + ".fits"));
            }
            summaries.add(Map.of("dataId", Map.of("instrument", "DECam", "visit", visit), "uri",
                    "s3://lovoccs-repo/" + prefix + "/summary/" + visit + ".fits"));
        }
        for (int i = 0; i < defs.size(); i += 20) {
            main.postJson("/butler/define-visits", Map.of("instrument", "DECam", "visits",
                    defs.subList(i, Math.min(defs.size(), i + 20))));
        }
        double tVisits = (System.nanoTime() - t0) / 1e9;
        main.postJson("/butler/register-skymap", Map.of("name", skymap, "ra", ra0, "dec", dec0, "collection",
                prefix + "/skymaps"));
        for (String[] t : new String[][] {{"calexpBackground", "Background", "instrument,visit,detector"},
            {"finalVisitSummary", "ExposureCatalog", "instrument,visit"}, {"camera", "Camera", "instrument"}}) {
            main.postJson("/butler/dataset-types", Map.of("name", t[0], "storageClass", t[1], "dimensions",
                    List.of(t[2].split(",")), "isCalibration", t[0].equals("camera")));
        }
        for (int i = 0; i < calexp.size(); i += 10_000) {
            main.postJson("/butler/register-datasets", Map.of("datasetType", "calexp", "run", prefix + "/calexp",
                    "datasets", calexp.subList(i, Math.min(calexp.size(), i + 10_000))));
            main.postJson("/butler/register-datasets", Map.of("datasetType", "calexpBackground", "run",
                    prefix + "/calexp", "datasets", bkg.subList(i, Math.min(bkg.size(), i + 10_000))));
        }
        main.postJson("/butler/register-datasets", Map.of("datasetType", "finalVisitSummary", "run",
                prefix + "/calexp", "datasets", summaries));
        List<Map<String, Object>> sky = new ArrayList<>();
        for (String f : FILTERS) {
            for (int c = 1; c <= 62; c++) {
                sky.add(Map.of("dataId", Map.of("instrument", "DECam", "physical_filter", f, "detector", c), "uri",
                        "s3://lovoccs-repo/" + prefix + "/sky/" + c + ".fits"));
            }
        }
        main.postJson("/butler/register-datasets", Map.of("datasetType", "sky", "run", prefix + "/calib",
                "datasets", sky));
        main.postJson("/butler/register-datasets", Map.of("datasetType", "camera", "run", prefix + "/calib",
                "datasets", List.of(Map.of("dataId", Map.of("instrument", "DECam"), "uri",
                        "s3://lovoccs-repo/" + prefix + "/camera.fits"))));
        System.out.printf("defined %d visits (CCD regions indexed) in %.1f s; registered skymap %s and %,d calexps"
                + " in %.1f s total%n", visits, tVisits, skymap, calexp.size(), (System.nanoTime() - t0) / 1e9);
        String[] args = {"-p", "pipelines/DRP-LoVoCCS.yaml#step3d", "-i", prefix + "/calexp," + prefix + "/calib,"
                + prefix + "/skymaps", "-o", prefix + "/out", "-d", "instrument='DECam' AND band IN ('g','r','i','z')"};
        for (int rep = 0; rep < 3; rep++) {
            long t = System.nanoTime();
            new QuantumGraphCommand(main).run(args);
            System.out.printf("pipetask qgraph step3d (skyCorr shape) over %d visits, %,d calexps: %.2f s%n", visits,
                    calexp.size(), (System.nanoTime() - t) / 1e9);
        }
        System.out.printf("remove the bench data with ./lovoccs butler remove-runs '%s/*' --no-confirm%n", prefix);
        return 0;
    }
}
