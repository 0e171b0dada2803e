package org.lovoccs.cli;

import java.io.Console;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code ./lovoccs butler VERB ...}: the butler's verbs with the argument shapes LSST users know, against the
 * registry service (the repository is the running registry, $LOVOCCS_REGISTRY_URL).
 */
final class ButlerCommand {
    static final String USAGE = """
            usage: lovoccs butler VERB [ARGS]   (the repository is the registry at $LOVOCCS_REGISTRY_URL)
              query-collections [GLOB] [--collection-type RUN|CHAINED|TAGGED|CALIBRATION ...]
              query-datasets [TYPE] --collections C[,C...] [--where EXPR] [--bind NAME=VALUE ...]
                             [--find-first] [--valid-at TIME] [--limit N]
              query-data-ids --dimensions D[,D...] [--datasets TYPE --collections C] [--where EXPR]
              query-dimension-records ELEMENT [--where EXPR]
              export --collections C [--datasets TYPE] [--where EXPR] --out FILE.json
              import FILE.json
              register-dataset-type NAME STORAGE_CLASS DIMENSION... [--is-calibration]
              register-collection NAME --type RUN|TAGGED|CALIBRATION [--doc TEXT]
              collection-chain PARENT [CHILD ...] [--mode redefine|extend|prepend|remove|pop]
              certify-calibrations INPUT_RUN OUTPUT_COLLECTION DATASET_TYPE --begin-date T --end-date T
                             [--where EXPR]
              associate TAGGED_COLLECTION --id UUID [--id UUID ...]
              remove-runs GLOB [--dry-run] [--no-confirm]
              ingest-files DATASET_TYPE RUN TABLE.csv [--transfer direct|copy]
                             TABLE.csv: a header 'uri,<dimension>,...' then one file per line: an s3:// URI,
                             or a local path (the registry and the workers must see it at the same path)
              ingest-raws CLUSTER LOCATION... [-t|--transfer copy|direct] [--output-run DECam/raw/all] [-j N]
                             raws from folders or s3:// prefixes, checked and ingested as landed ones are
                             (see 'butler ingest-raws --help')
              ingest-refcat NAME FILE... [--collection refcats] [-t|--transfer copy|direct] [--out DIR]
                             FITS reference catalogues sharded by htm7 into datasets NAME {htm7}
              refcat-shards NAME --ra DEG --dec DEG --radius DEG [--collection refcats]
                             the shards a circle on the sky needs (see 'butler ingest-refcat --help')
              verify DATASET_ID          read a dataset back and check its recorded SHA-256
              register-skymap NAME --ra DEG --dec DEG [--tract-size-deg 2.4] [--patch-size-px 4000]
                             [--patch-border 100] [--pixel-scale 0.2] [--collection skymaps]
                             one tract centred on the cluster (LSST's DiscreteSkyMap); name it <CLUSTER>_skymap
              query-skymaps              the registered skymaps and their configs
              define-visits [--where EXPR]   a visit per science exposure, CCD regions from the raw WCS
              write-curated-calibrations [--collection DECam/calib/curated/<UTC stamp>] [--begin-date 2012-09-01]
                             [--end-date ISO] [--instrument-seed 1] [--crosstalk-file FILE]
                             crosstalk, defects and linearizer of the 62 CCDs, ingested and certified
            The where language is the butler's: instrument='DECam' AND exposure IN (100..200)
              AND detector != 61 AND exposure.day_obs >= 20221001 AND band = 'r'
            """;

    private final Main main;

    ButlerCommand(Main main) {
        this.main = main;
    }

    int run(String[] args) {
        if (args.length == 0 || args[0].equals("--help")) {
            System.out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String verb = args[0];
        String[] a = Arrays.copyOfRange(args, 1, args.length);
        return switch (verb) {
            case "query-collections" -> queryCollections(a);
            case "query-datasets" -> queryDatasets(a);
            case "register-collection" -> registerCollection(a);
            case "register-dataset-type" -> registerDatasetType(a);
            case "query-data-ids" -> queryDataIds(a);
            case "export" -> export(a);
            case "import" -> importFile(a);
            case "query-dimension-records" -> queryDimensionRecords(a);
            case "collection-chain" -> collectionChain(a);
            case "certify-calibrations" -> certify(a);
            case "associate" -> associate(a);
            case "remove-runs" -> removeRuns(a);
            case "ingest-files" -> ingestFiles(a);
            case "ingest-raws" -> IngestRawsCommand.run(a, System.out, System.err);
            case "ingest-refcat" -> new RefcatCommand(main, System.out, System.err).ingest(a);
            case "refcat-shards" -> new RefcatCommand(main, System.out, System.err).shards(a);
            case "verify" -> verify(a);
            case "register-skymap" -> registerSkymap(a);
            case "query-skymaps" -> querySkymaps();
            case "define-visits" -> defineVisits(a);
            case "write-curated-calibrations" -> new CuratedCalibrationsCommand(main).run(a);
            default -> throw new Main.UsageException("unknown butler verb '" + verb + "'\n" + USAGE);
        };
    }

    private int queryCollections(String[] a) {
        List<String> pos = positional(a, "--collection-type");
        StringBuilder q = new StringBuilder("/butler/collections?");
        if (!pos.isEmpty()) {
            q.append("glob=").append(Main.enc(pos.get(0))).append('&');
        }
        for (String t : all(a, "--collection-type")) {
            q.append("type=").append(Main.enc(t)).append('&');
        }
        JsonNode list = main.getJson(q.toString());
        List<String[]> rows = new ArrayList<>();
        for (JsonNode c : list) {
            List<String> children = new ArrayList<>();
            c.path("children").forEach(x -> children.add(x.asText()));
            rows.add(new String[] {c.path("name").asText(), c.path("type").asText(),
                    children.isEmpty() ? "" : "[" + String.join(", ", children) + "]"});
        }
        table(new String[] {"Name", "Type", "Children"}, rows);
        return 0;
    }

    private int queryDatasets(String[] a) {
        List<String> pos = positional(a, "--collections", "--where", "--bind", "--valid-at", "--limit");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("datasetType", pos.isEmpty() ? "*" : pos.get(0));
        List<String> collections = new ArrayList<>();
        all(a, "--collections").forEach(c -> collections.addAll(Arrays.asList(c.split(","))));
        if (collections.isEmpty()) {
            throw new Main.UsageException("query-datasets needs --collections (e.g. --collections DECam/raw/all)");
        }
        body.put("collections", collections);
        body.put("where", Main.optional(a, "--where"));
        body.put("bind", binds(a));
        body.put("findFirst", Arrays.asList(a).contains("--find-first"));
        body.put("validAt", Main.optional(a, "--valid-at"));
        String limit = Main.optional(a, "--limit");
        if (limit != null) {
            body.put("limit", Integer.parseInt(limit));
        }
        JsonNode rows = main.postJson("/butler/query-datasets", body);
        List<String[]> out = new ArrayList<>();
        for (JsonNode r : rows) {
            out.add(new String[] {r.path("datasetType").asText(), r.path("run").asText(),
                    r.path("collection").asText(), r.path("id").asText(), r.path("dataId").asText(),
                    r.path("validity").isNull() ? "" : r.path("validity").asText(), r.path("uri").asText()});
        }
        table(new String[] {"type", "run", "found in", "id", "data ID", "validity", "URI"}, out);
        System.out.printf("%d datasets%n", out.size());
        return 0;
    }

    private int export(String[] a) {
        Map<String, Object> body = new LinkedHashMap<>();
        List<String> collections = new ArrayList<>();
        all(a, "--collections").forEach(c -> collections.addAll(Arrays.asList(c.split(","))));
        body.put("collections", collections);
        body.put("datasetType", Main.option(a, "--datasets", "*"));
        body.put("where", Main.optional(a, "--where"));
        body.put("bind", binds(a));
        String out = Main.optional(a, "--out");
        if (out == null) {
            throw new Main.UsageException("export needs --out FILE.json");
        }
        JsonNode doc = main.postJson("/butler/export", body);
        try {
            org.lovoccs.events.EventCodec.JSON.writerWithDefaultPrettyPrinter()
                    .writeValue(java.nio.file.Path.of(out).toFile(), doc);
        } catch (java.io.IOException e) {
            throw new Main.CliException("cannot write " + out + ": " + e.getMessage());
        }
        System.out.printf("exported %d datasets from %d RUN collections to %s%n", doc.path("datasets").size(),
                doc.path("runs").size(), out);
        return 0;
    }

    private int importFile(String[] a) {
        String file = Main.arg(a, 0, "FILE.json");
        JsonNode doc;
        try {
            doc = org.lovoccs.events.EventCodec.JSON.readTree(java.nio.file.Path.of(file).toFile());
        } catch (java.io.IOException e) {
            throw new Main.CliException("cannot read " + file + ": " + e.getMessage());
        }
        JsonNode r = main.postJson("/butler/import", doc);
        System.out.printf("imported %d datasets (%d already present), %d RUN collections, %d dimension records%n",
                r.path("datasets").asInt(), r.path("alreadyPresent").asInt(), r.path("runs").asInt(),
                r.path("dimensionRecords").asInt());
        return 0;
    }

    private int queryDataIds(String[] a) {
        Map<String, Object> body = new LinkedHashMap<>();
        String dims = Main.optional(a, "--dimensions");
        if (dims == null) {
            throw new Main.UsageException("query-data-ids needs --dimensions, e.g. --dimensions exposure,detector");
        }
        List<String> dimensions = Arrays.asList(dims.split(","));
        body.put("dimensions", dimensions);
        body.put("datasets", Main.optional(a, "--datasets"));
        List<String> collections = new ArrayList<>();
        all(a, "--collections").forEach(c -> collections.addAll(Arrays.asList(c.split(","))));
        body.put("collections", collections);
        body.put("where", Main.optional(a, "--where"));
        body.put("bind", binds(a));
        JsonNode rows = main.postJson("/butler/query-data-ids", body);
        List<String[]> out = new ArrayList<>();
        for (JsonNode r : rows) {
            out.add(dimensions.stream().map(d -> r.path(d).asText()).toArray(String[]::new));
        }
        table(dimensions.toArray(String[]::new), out);
        return 0;
    }

    private int queryDimensionRecords(String[] a) {
        String element = Main.arg(a, 0, "ELEMENT");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("element", element);
        body.put("where", Main.optional(a, "--where"));
        body.put("bind", binds(a));
        JsonNode rows = main.postJson("/butler/query-dimension-records", body);
        if (rows.isEmpty()) {
            System.out.println("no records");
            return 0;
        }
        List<String> cols = new ArrayList<>();
        rows.get(0).fieldNames().forEachRemaining(cols::add);
        List<String[]> out = new ArrayList<>();
        for (JsonNode r : rows) {
            out.add(cols.stream().map(c -> r.path(c).isNull() ? "" : r.path(c).asText()).toArray(String[]::new));
        }
        table(cols.toArray(String[]::new), out);
        return 0;
    }

    private int registerDatasetType(String[] a) {
        List<String> pos = positional(a);
        if (pos.size() < 2) {
            throw new Main.UsageException("register-dataset-type needs NAME STORAGE_CLASS DIMENSION...");
        }
        JsonNode r = main.postJson("/butler/dataset-types", Map.of("name", pos.get(0), "storageClass", pos.get(1),
                "dimensions", pos.subList(2, pos.size()), "isCalibration",
                Arrays.asList(a).contains("--is-calibration")));
        System.out.printf("%s: %s%n", r.path("name").asText(), r.path("registered").asBoolean() ? "registered"
                : "already registered with this definition");
        return 0;
    }

    private int registerCollection(String[] a) {
        String name = Main.arg(a, 0, "NAME");
        JsonNode c = main.postJson("/butler/collections", Map.of("name", name, "type",
                Main.option(a, "--type", "RUN"), "doc", Main.option(a, "--doc", "")));
        System.out.printf("%s %s%n", c.path("name").asText(), c.path("type").asText());
        return 0;
    }

    private int collectionChain(String[] a) {
        List<String> pos = positional(a, "--mode");
        if (pos.isEmpty()) {
            throw new Main.UsageException("collection-chain needs PARENT [CHILD ...]");
        }
        List<String> children = new ArrayList<>();
        pos.subList(1, pos.size()).forEach(c -> children.addAll(Arrays.asList(c.split(","))));
        JsonNode c = main.postJson("/butler/collection-chain", Map.of("parent", pos.get(0), "children", children,
                "mode", Main.option(a, "--mode", "redefine")));
        List<String> now = new ArrayList<>();
        c.path("children").forEach(x -> now.add(x.asText()));
        System.out.printf("%s: [%s]%n", c.path("name").asText(), String.join(", ", now));
        return 0;
    }

    private int certify(String[] a) {
        List<String> pos = positional(a, "--begin-date", "--end-date", "--where");
        if (pos.size() < 3) {
            throw new Main.UsageException("certify-calibrations needs INPUT_RUN OUTPUT_COLLECTION DATASET_TYPE");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("run", pos.get(0));
        body.put("collection", pos.get(1));
        body.put("datasetType", pos.get(2));
        body.put("beginDate", Main.optional(a, "--begin-date"));
        body.put("endDate", Main.optional(a, "--end-date"));
        body.put("where", Main.optional(a, "--where"));
        JsonNode r = main.postJson("/butler/certify-calibrations", body);
        System.out.printf("certified %d %s datasets into %s for [%s, %s)%n", r.path("datasets").asInt(),
                r.path("datasetType").asText(), r.path("collection").asText(),
                r.path("begin").isNull() ? "-inf" : r.path("begin").asText(),
                r.path("end").isNull() ? "+inf" : r.path("end").asText());
        return 0;
    }

    private int registerSkymap(String[] a) {
        List<String> pos = positional(a, "--ra", "--dec", "--tract-size-deg", "--patch-size-px", "--patch-border",
                "--pixel-scale", "--collection");
        if (pos.size() != 1) {
            throw new Main.UsageException("register-skymap needs one NAME (e.g. A85_skymap) and --ra DEG --dec DEG");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", pos.get(0));
        body.put("ra", number(a, "--ra", true));
        body.put("dec", number(a, "--dec", true));
        body.put("tractSizeDeg", number(a, "--tract-size-deg", false));
        Double size = number(a, "--patch-size-px", false);
        Double border = number(a, "--patch-border", false);
        body.put("patchSizePx", size == null ? null : size.intValue());
        body.put("patchBorderPx", border == null ? null : border.intValue());
        body.put("pixelScaleArcsec", number(a, "--pixel-scale", false));
        body.put("collection", Main.optional(a, "--collection"));
        JsonNode r = main.postJson("/butler/register-skymap", body);
        System.out.printf("registered skymap %s: %d tract, %d patches (%dx%d), skyMap dataset in RUN %s (%s)%n",
                r.path("name").asText(), r.path("tracts").asInt(), r.path("patches").asInt(),
                r.path("patchesPerSide").asInt(), r.path("patchesPerSide").asInt(), r.path("run").asText(),
                r.path("datasetUri").asText());
        return 0;
    }

    private int querySkymaps() {
        JsonNode r = main.getJson("/butler/skymaps");
        System.out.printf("%-24s %6s %8s  %s%n", "name", "tracts", "patches", "config");
        for (JsonNode s : r) {
            System.out.printf("%-24s %6d %8d  %s%n", s.path("name").asText(), s.path("tracts").asInt(),
                    s.path("patches").asInt(), s.path("config").isNull() ? "-" : s.path("config").toString());
        }
        return 0;
    }

    private int defineVisits(String[] a) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("instrument", Main.option(a, "--instrument", "DECam"));
        body.put("where", Main.optional(a, "--where"));
        JsonNode r = main.postJson("/butler/define-visits", body);
        System.out.printf("defined %d visits: %d detector regions, %d HEALPix pixels indexed%n",
                r.path("visits").asInt(), r.path("detectorRegions").asInt(), r.path("pixels").asInt());
        return 0;
    }

    private static Double number(String[] a, String name, boolean required) {
        String v = Main.optional(a, name);
        if (v == null) {
            if (required) {
                throw new Main.UsageException(name + " is required");
            }
            return null;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new Main.UsageException(name + " needs a number, got '" + v + "'");
        }
    }

    private int associate(String[] a) {
        String collection = Main.arg(a, 0, "TAGGED_COLLECTION");
        JsonNode r = main.postJson("/butler/associate", Map.of("collection", collection, "ids", all(a, "--id")));
        System.out.printf("%d datasets associated with %s%n", r.path("associated").asInt(), collection);
        return 0;
    }

    private int removeRuns(String[] a) {
        String glob = Main.arg(a, 0, "GLOB");
        boolean dry = Arrays.asList(a).contains("--dry-run");
        boolean noConfirm = Arrays.asList(a).contains("--no-confirm");
        JsonNode plan = main.postJson("/butler/remove-runs", Map.of("glob", glob, "dryRun", true));
        System.out.printf("%s: %d RUN collections, %d datasets:%n", dry ? "Would remove" : "Removing",
                plan.path("runs").size(), plan.path("datasets").asInt());
        plan.path("runs").forEach(r -> System.out.println("  " + r.asText()));
        if (dry) {
            return 0;
        }
        if (!noConfirm) {
            Console console = System.console();
            if (console == null) {
                throw new Main.UsageException("remove-runs deletes registry entries: add --no-confirm to do it"
                        + " without a terminal, or --dry-run to only list them");
            }
            String answer = console.readLine("Continue? [y/N] ");
            if (answer == null || !answer.trim().equalsIgnoreCase("y")) {
                System.out.println("nothing removed");
                return 1;
            }
        }
        JsonNode done = main.postJson("/butler/remove-runs", Map.of("glob", glob, "dryRun", false));
        System.out.printf("removed %d RUN collections and %d datasets (files in the datastore are kept)%n",
                done.path("runs").size(), done.path("datasets").asInt());
        return 0;
    }

    private int ingestFiles(String[] a) {
        List<String> pos = positional(a, "--transfer");
        if (pos.size() < 3) {
            throw new Main.UsageException("ingest-files needs DATASET_TYPE RUN TABLE.csv");
        }
        List<String> lines;
        try {
            lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of(pos.get(2))).stream()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        } catch (java.io.IOException e) {
            throw new Main.CliException("cannot read " + pos.get(2) + ": " + e.getMessage());
        }
        if (lines.size() < 2) {
            throw new Main.UsageException(pos.get(2) + " needs a header line 'uri,<dimension>,...' and one line per"
                    + " file");
        }
        String[] header = lines.get(0).split(",");
        if (!header[0].trim().equals("uri")) {
            throw new Main.UsageException(pos.get(2) + ": the first column must be 'uri', got '" + header[0] + "'");
        }
        List<Map<String, Object>> files = new ArrayList<>();
        for (int n = 1; n < lines.size(); n++) {
            String[] f = lines.get(n).split(",");
            if (f.length != header.length) {
                throw new Main.UsageException(pos.get(2) + " line " + (n + 1) + " has " + f.length + " fields, the"
                        + " header " + header.length);
            }
            Map<String, Object> dataId = new LinkedHashMap<>();
            for (int i = 1; i < f.length; i++) {
                dataId.put(header[i].trim(), scalar(f[i].trim()));
            }
            String uri = f[0].trim();
            if (!uri.contains("://")) {
                // a local path, as LSST's ingest-files takes: the registry gets it as an absolute file:/// URI
                uri = java.nio.file.Path.of(uri).toAbsolutePath().normalize().toUri().toString();
            }
            files.add(Map.of("uri", uri, "dataId", dataId));
        }
        JsonNode r = main.postJson("/butler/ingest-files", Map.of("datasetType", pos.get(0), "run", pos.get(1),
                "transfer", Main.option(a, "--transfer", "direct"), "files", files));
        System.out.printf("ingested %d files as %s into %s (--transfer %s): %d new, %d already present%n",
                r.path("files").asInt(), r.path("datasetType").asText(), r.path("run").asText(),
                r.path("transfer").asText(), r.path("inserted").asInt(), r.path("alreadyPresent").asInt());
        return 0;
    }

    private int verify(String[] a) {
        JsonNode r = main.getJson("/butler/verify?id=" + Main.enc(Main.arg(a, 0, "DATASET_ID")));
        System.out.printf("%s: %d bytes, %s matches the recorded checksum%n", r.path("uri").asText(),
                r.path("bytes").asLong(), r.path("checksum").asText());
        return 0;
    }

    /** Arguments that are not options or option values (options listed take a value). */
    private static List<String> positional(String[] a, String... valued) {
        List<String> out = new ArrayList<>();
        List<String> v = Arrays.asList(valued);
        for (int i = 0; i < a.length; i++) {
            if (a[i].startsWith("--")) {
                if (v.contains(a[i]) || a[i].equals("--bind") || a[i].equals("--id")) {
                    i++;
                }
                continue;
            }
            out.add(a[i]);
        }
        return out;
    }

    /** Every value of a repeatable option. */
    private static List<String> all(String[] a, String name) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < a.length - 1; i++) {
            if (a[i].equals(name)) {
                out.add(a[i + 1]);
            }
        }
        return out;
    }

    /** --bind NAME=VALUE: numbers stay numbers, comma lists become lists. */
    private static Map<String, Object> binds(String[] a) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String b : all(a, "--bind")) {
            int eq = b.indexOf('=');
            if (eq <= 0) {
                throw new Main.UsageException("--bind takes NAME=VALUE, got '" + b + "'");
            }
            String value = b.substring(eq + 1);
            if (value.contains(",")) {
                List<Object> list = new ArrayList<>();
                for (String v : value.split(",")) {
                    list.add(scalar(v.trim()));
                }
                out.put(b.substring(0, eq), list);
            } else {
                out.put(b.substring(0, eq), scalar(value));
            }
        }
        return out;
    }

    private static Object scalar(String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e2) {
                return v;
            }
        }
    }

    private static void table(String[] header, List<String[]> rows) {
        int[] w = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            w[i] = header[i].length();
        }
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder fmt = new StringBuilder();
        for (int x : w) {
            fmt.append("%-").append(x).append("s  ");
        }
        String f = fmt.toString().stripTrailing() + "%n";
        System.out.printf(f, (Object[]) header);
        String[] dashes = new String[header.length];
        for (int i = 0; i < w.length; i++) {
            dashes[i] = "-".repeat(w[i]);
        }
        System.out.printf(f, (Object[]) dashes);
        for (String[] r : rows) {
            System.out.printf(f, (Object[]) r);
        }
    }
}
