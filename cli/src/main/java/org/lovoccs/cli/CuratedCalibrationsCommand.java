package org.lovoccs.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.lovoccs.objectstore.ObjectStore;
import org.lovoccs.simulator.curated.CuratedCalibrations;
import org.lovoccs.simulator.instrument.CrosstalkTable;

/**
 * {@code ./lovoccs butler write-curated-calibrations}: LSST's verb of the same name for the (simulated) DECam. Writes
 * per science CCD the crosstalk, defects and linearizer FITS files ({@link CuratedCalibrations}), puts them into the
 * repository bucket under {@code <run>/<type>/detector_<n>/}, ingests them into RUN {@code <collection>/run} and
 * certifies them into the CALIBRATION collection for the validity range. Idempotent: a collection that already holds
 * the three certified types is left alone and the command says so.
 */
final class CuratedCalibrationsCommand {

    static final String USAGE = """
            usage: lovoccs butler write-curated-calibrations [--collection DECam/calib/curated/<UTC stamp>]
                     [--begin-date 2012-09-01] [--end-date ISO] [--instrument-seed 1] [--crosstalk-file FILE]
              per DECam science CCD (62): crosstalk (CTIO DECam_xtalk_20130606.txt), defects and linearizer (the
              simulated instrument of --instrument-seed, a campaign's --seed; default 1, simulate's default),
              ingested into RUN <collection>/run and certified into the CALIBRATION <collection> from --begin-date
              (default 2012-09-01, DECam's first light) to --end-date (default none: valid ever after).
              Running it again with the same collection writes nothing new.
            """;

    /** Default start of validity: the first day of the month of DECam's first light (12 September 2012). */
    static final String DEFAULT_BEGIN = "2012-09-01";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final String BUNDLED_XTALK = "/org/lovoccs/simulator/decam/DECam_xtalk_20130606.txt";

    private final Main main;

    CuratedCalibrationsCommand(Main main) {
        this.main = main;
    }

    int run(String[] a) {
        if (java.util.Arrays.asList(a).contains("--help")) {
            System.out.print(USAGE);
            return 0;
        }
        for (int i = 0; i < a.length; i++) {
            if (!List.of("--collection", "--begin-date", "--end-date", "--instrument-seed", "--crosstalk-file")
                    .contains(a[i])) {
                throw new Main.UsageException("write-curated-calibrations: unknown argument '" + a[i] + "'\n"
                        + USAGE);
            }
            i++;
        }
        String collection = Main.optional(a, "--collection");
        if (collection == null) {
            collection = "DECam/calib/curated/" + STAMP.format(Instant.now());
        }
        if (collection.contains("*") || collection.contains("?") || collection.isBlank()) {
            throw new Main.UsageException("--collection needs a plain name, got '" + collection + "'");
        }
        String beginText = Main.optional(a, "--begin-date");
        Instant begin = time(beginText == null ? DEFAULT_BEGIN : beginText, "--begin-date");
        String endText = Main.optional(a, "--end-date");
        Instant end = endText == null ? null : time(endText, "--end-date");
        if (end != null && !begin.isBefore(end)) {
            throw new Main.UsageException("--begin-date " + begin + " must be before --end-date " + end);
        }
        long seed;
        try {
            seed = Long.parseLong(Main.option(a, "--instrument-seed",
                    String.valueOf(CuratedCalibrations.DEFAULT_INSTRUMENT_SEED)));
        } catch (NumberFormatException e) {
            throw new Main.UsageException("--instrument-seed needs an integer");
        }
        String xtalkFile = Main.optional(a, "--crosstalk-file");
        byte[] xtalkBytes = crosstalkBytes(xtalkFile);
        CrosstalkTable table;
        try {
            table = CrosstalkTable.parse(new java.io.ByteArrayInputStream(xtalkBytes));
        } catch (IOException e) {
            throw new Main.CliException((xtalkFile == null ? CuratedCalibrations.CROSSTALK_FILE : xtalkFile) + ": "
                    + e.getMessage());
        }
        String xtalkName = xtalkFile == null ? CuratedCalibrations.CROSSTALK_FILE
                : Path.of(xtalkFile).getFileName().toString();
        String sha = sha256(xtalkBytes);
        String run = collection + "/run";
        String doc = "curated calibrations of the simulated DECam: instrument seed " + seed + ", crosstalk "
                + xtalkName + " (sha256 " + sha.substring(0, 16) + ")";
        String range = "[" + begin + ", " + (end == null ? "+inf" : end.toString()) + ")";

        // 1. what the collection already holds
        JsonNode existing = main.getJson("/butler/collections?glob=" + Main.enc(collection));
        if (!existing.isEmpty()) {
            JsonNode c = existing.get(0);
            if (!c.path("type").asText().equals("CALIBRATION")) {
                throw new Main.CliException("'" + collection + "' is a " + c.path("type").asText()
                        + " collection; write-curated-calibrations certifies into a CALIBRATION collection");
            }
            String had = c.path("doc").asText("");
            if (!had.isEmpty() && !had.equals(doc)) {
                throw new Main.CliException("'" + collection + "' already holds other curated calibrations (" + had
                        + "); this would write " + doc + ". Choose another --collection");
            }
        }
        int detectors = CuratedCalibrations.decam(seed).detectors().size();
        Map<String, Integer> certified = new LinkedHashMap<>();
        List<String> otherRanges = new ArrayList<>();
        for (String type : CuratedCalibrations.DATASET_TYPES) {
            int n = 0;
            if (!existing.isEmpty()) {
                Map<String, Object> q = new LinkedHashMap<>();
                q.put("datasetType", type);
                q.put("collections", List.of(collection));
                q.put("limit", 100_000);
                for (JsonNode r : main.postJson("/butler/query-datasets", q)) {
                    n++;
                    String v = r.path("validity").asText("");
                    if (!v.isEmpty() && !sameRange(v, begin, end)) {
                        otherRanges.add(type + " " + v);
                    }
                }
            }
            if (n != 0 && n != detectors) {
                throw new Main.CliException(collection + " holds " + n + " certified " + type + " datasets, not "
                        + detectors + ": it was changed by hand; choose another --collection");
            }
            certified.put(type, n);
        }
        if (certified.values().stream().allMatch(n -> n == detectors)) {
            System.out.printf("nothing new: %s already holds %d crosstalk, %d defects and %d linearizer datasets"
                    + " (%s)%s%n", collection, detectors, detectors, detectors, doc, otherRanges.isEmpty()
                    ? " certified for " + range : "; they are certified for other ranges than " + range + ": "
                    + otherRanges.get(0) + " ... (a collection's ranges are not changed; use a new --collection)");
            chainIntoCalib(collection);
            return 0;
        }

        // 2. dataset types (V2 seeds them; registering an identical definition is a no-op)
        List<String> newTypes = new ArrayList<>();
        for (String type : CuratedCalibrations.DATASET_TYPES) {
            String storageClass = switch (type) {
                case "crosstalk" -> "CrosstalkCalib";
                case "defects" -> "Defects";
                default -> "Linearizer";
            };
            JsonNode r = main.postJson("/butler/dataset-types", Map.of("name", type, "storageClass", storageClass,
                    "dimensions", List.of("instrument", "detector"), "isCalibration", true));
            if (r.path("registered").asBoolean()) {
                newTypes.add(type);
            }
        }
        System.out.printf("dataset types crosstalk, defects, linearizer {instrument, detector}, calibration: %s%n",
                newTypes.isEmpty() ? "already registered" : "registered " + String.join(", ", newTypes));
        main.postJson("/butler/collections", Map.of("name", collection, "type", "CALIBRATION", "doc", doc));
        main.postJson("/butler/collections", Map.of("name", run, "type", "RUN", "doc", doc));

        // 3. files: written locally, put into the repository bucket, ingested in place
        CuratedCalibrations cc = new CuratedCalibrations(seed, table, xtalkName);
        Path tmp;
        List<CuratedCalibrations.Product> products;
        try {
            tmp = Files.createTempDirectory("lovoccs-curated-");
            products = cc.writeAll(tmp);
        } catch (IOException e) {
            throw new Main.CliException("cannot write the curated calibration files: " + e.getMessage());
        }
        String bucket = System.getenv().getOrDefault("LOVOCCS_REPO_BUCKET", "lovoccs-repo");
        try {
            ObjectStore store = ObjectStore.fromEnvironment();
            store.ensureBucket(bucket);
            Map<String, List<Map<String, Object>>> files = new LinkedHashMap<>();
            for (CuratedCalibrations.Product p : products) {
                String key = run + "/" + p.datasetType() + "/detector_" + p.detector() + "/" + p.file().getFileName();
                store.put(bucket, key, p.file(), "application/fits");
                files.computeIfAbsent(p.datasetType(), t -> new ArrayList<>()).add(Map.of("uri",
                        "s3://" + bucket + "/" + key, "dataId", Map.of("instrument", "DECam", "detector",
                                p.detector())));
            }
            System.out.printf("wrote %d files (%d detectors x crosstalk, defects, linearizer) to s3://%s/%s/%n",
                    products.size(), detectors, bucket, run);
            for (Map.Entry<String, List<Map<String, Object>>> e : files.entrySet()) {
                JsonNode r = main.postJson("/butler/ingest-files", Map.of("datasetType", e.getKey(), "run", run,
                        "transfer", "direct", "files", e.getValue()));
                System.out.printf("ingested %d %s into %s: %d new, %d already present%n", r.path("files").asInt(),
                        e.getKey(), run, r.path("inserted").asInt(), r.path("alreadyPresent").asInt());
            }
        } finally {
            deleteTree(tmp);
        }

        // 4. certification of the types not yet certified
        for (String type : CuratedCalibrations.DATASET_TYPES) {
            if (certified.get(type) == detectors) {
                System.out.printf("%s: already certified in %s%n", type, collection);
                continue;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("run", run);
            body.put("collection", collection);
            body.put("datasetType", type);
            body.put("beginDate", begin.toString());
            body.put("endDate", end == null ? null : end.toString());
            JsonNode r = main.postJson("/butler/certify-calibrations", body);
            System.out.printf("certified %d %s into %s for %s%n", r.path("datasets").asInt(), type, collection,
                    range);
        }
        chainIntoCalib(collection);
        System.out.printf("curated calibrations of DECam (instrument seed %d) in %s; find them with%n"
                + "  ./lovoccs butler query-datasets defects --collections %s --valid-at 2022-10-01T00:00:00Z"
                + " --where \"detector = 28\"%n", seed, collection, collection);
        return 0;
    }

    /**
     * Puts the collection first in the CHAINED {@value #CALIB_CHAIN} (made if missing), as LSST's command chains its
     * curated collections into {@code <instrument>/calib}: the orchestrator's calibration search path ends there.
     */
    private void chainIntoCalib(String collection) {
        main.postJson("/butler/collection-chain", Map.of("parent", CALIB_CHAIN, "children", List.of(collection),
                "mode", "prepend"));
        System.out.printf("%s is first in the chain %s (searched by the orchestrator after DECam/calib/<cluster>)%n",
                collection, CALIB_CHAIN);
    }

    /** The instrument's calibration chain. */
    static final String CALIB_CHAIN = "DECam/calib";

    /** True when the registry's validity text (e.g. {@code ["2012-09-01 00:00:00+00",)}) is [begin, end). */
    static boolean sameRange(String validity, Instant begin, Instant end) {
        String v = validity.trim();
        if (v.length() < 3 || v.indexOf(',') < 0) {
            return false;
        }
        String lo = v.substring(1, v.indexOf(',')).replace("\"", "").trim();
        String hi = v.substring(v.indexOf(',') + 1, v.length() - 1).replace("\"", "").trim();
        return same(lo, begin) && same(hi, end);
    }

    private static boolean same(String text, Instant t) {
        if (text.isEmpty() || text.equals("infinity") || text.equals("-infinity") || text.equals("null")) {
            return t == null;
        }
        if (t == null) {
            return false;
        }
        try {
            String iso = text.replace(' ', 'T');
            if (iso.matches(".*[+-]\\d\\d$")) {
                iso = iso + ":00";
            }
            return java.time.OffsetDateTime.parse(iso).toInstant().equals(t);
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(text).equals(t);
            } catch (DateTimeParseException e2) {
                return false;
            }
        }
    }

    /** An ISO date (UTC midnight) or time (UTC unless an offset is given). */
    static Instant time(String s, String name) {
        try {
            return s.length() <= 10 ? LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(s.endsWith("Z") || s.matches(".*[+-]\\d\\d:\\d\\d$") ? s : s + "Z");
        } catch (DateTimeParseException e) {
            throw new Main.UsageException(name + " must be an ISO date or time such as 2012-09-01 or"
                    + " 2012-09-01T00:00:00Z, got '" + s + "'");
        }
    }

    private static byte[] crosstalkBytes(String file) {
        try {
            if (file != null) {
                return Files.readAllBytes(Path.of(file));
            }
            try (InputStream in = CrosstalkTable.class.getResourceAsStream(BUNDLED_XTALK)) {
                if (in == null) {
                    throw new Main.CliException("the bundled crosstalk table " + BUNDLED_XTALK + " is missing");
                }
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new Main.CliException("cannot read the crosstalk table " + file + ": " + e.getMessage());
        }
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("lovoccs: could not remove " + dir + ": " + e.getMessage());
        }
    }
}
