package org.lovoccs.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import nom.tam.fits.BasicHDU;
import nom.tam.fits.BinaryTableHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.FitsException;
import nom.tam.fits.Header;
import nom.tam.fits.HeaderCard;
import nom.tam.util.FitsOutputStream;
import org.lovoccs.butler.sky.Htm;
import org.lovoccs.events.DataId;
import org.lovoccs.events.DatasetIds;
import org.lovoccs.events.DatasetType;
import org.lovoccs.events.Dimension;
import org.lovoccs.objectstore.Checksums;
import org.lovoccs.objectstore.ObjectStore;
import org.lovoccs.simulator.catalog.FitsTableBuilder;

/**
 * Reference catalogues, the seed's "catalogs" of ingest_data: {@code butler ingest-refcat} does in one step what an LSST
 * user does with {@code convertReferenceCatalog} and {@code butler ingest-files}: the rows of FITS tables are sharded
 * by level-7 HTM triangle and each shard, a FITS table with every input column, is registered as a dataset of type
 * NAME with dimensions {htm7} in the {@code refcats} RUN. {@code butler refcat-shards} lists the shards a circle on
 * the sky needs. This runs in the command line: the input is the user's files, the work is a one-off conversion
 * (LSST runs convertReferenceCatalog outside the butler too), and the registry only records the result.
 */
final class RefcatCommand {
    static final String USAGE = """
            usage: butler ingest-refcat NAME FILE... [--collection refcats] [-t|--transfer copy|direct] [--out DIR]
                                        [--ra-column ra] [--dec-column dec] [--progress S]
              NAME          the dataset type of the shards, e.g. gaia_like or ps1_like_r (an LSST name would be
                            gaia_dr3_20230707); registered with dimensions {htm7}, storage class SimpleCatalog
              FILE          FITS binary tables (first table HDU), every one with the same columns
              --collection  the RUN the shards go into (default refcats)
              -t copy       (default) shards written into the repository bucket under <collection>/<NAME>/
              -t direct     shards written to --out DIR/<NAME>/ and registered there (file:/// URIs: the services
                            and workers must see DIR at the same path)
              --ra-column, --dec-column   position columns (default ra/dec, else coord_ra/coord_dec; degrees
                            unless TUNIT says rad)
            Shards the registry holds already are not written again; to replace a catalogue, remove-runs first.
            usage: butler refcat-shards NAME --ra DEG --dec DEG --radius DEG [--collection refcats]
              the NAME shards (htm7 triangles) that a circle on the sky needs, with their URIs
            """;

    private final Main main;
    private final PrintStream out;
    private final PrintStream err;

    RefcatCommand(Main main, PrintStream out, PrintStream err) {
        this.main = main;
        this.out = out;
        this.err = err;
    }

    /** The columns of all the input rows, in input order. */
    record Columns(List<String> names, List<String> units, List<String> descriptions, List<Object> data, int rows) {
    }

    /** One shard, written in memory. */
    record Shard(long htm7, int rows, byte[] bytes, String checksum) {
    }

    int ingest(String[] a) {
        if (a.length == 0 || Arrays.asList(a).contains("--help")) {
            out.print(USAGE);
            return a.length == 0 ? 2 : 0;
        }
        List<String> pos = new ArrayList<>();
        String collection = "refcats";
        String transfer = "copy";
        String outDir = null;
        String raCol = null;
        String decCol = null;
        double progress = 10;
        for (int i = 0; i < a.length; i++) {
            switch (a[i]) {
                case "--collection" -> collection = DownloadCommand.value(a, ++i, a[i - 1]);
                case "-t", "--transfer" -> transfer = DownloadCommand.value(a, ++i, a[i - 1]).toLowerCase(Locale.ROOT);
                case "--out" -> outDir = DownloadCommand.value(a, ++i, a[i - 1]);
                case "--ra-column" -> raCol = DownloadCommand.value(a, ++i, a[i - 1]);
                case "--dec-column" -> decCol = DownloadCommand.value(a, ++i, a[i - 1]);
                case "--progress" -> progress = DownloadCommand.number(a, ++i, a[i - 1], 0.1, 86400);
                default -> {
                    if (a[i].startsWith("-")) {
                        throw new Main.UsageException("ingest-refcat: unknown option '" + a[i] + "'\n" + USAGE);
                    }
                    pos.add(a[i]);
                }
            }
        }
        if (pos.size() < 2) {
            throw new Main.UsageException("ingest-refcat needs NAME and at least one FILE\n" + USAGE);
        }
        String name = pos.get(0);
        if (!name.matches("[A-Za-z][A-Za-z0-9_]*")) {
            throw new Main.UsageException("ingest-refcat: NAME '" + name + "' must be a dataset type name (a letter,"
                    + " then letters, digits, _), e.g. gaia_like");
        }
        if (!transfer.equals("copy") && !transfer.equals("direct")) {
            throw new Main.UsageException("ingest-refcat: --transfer is copy or direct, got '" + transfer + "'");
        }
        if (transfer.equals("direct") && outDir == null) {
            throw new Main.UsageException("ingest-refcat --transfer direct needs --out DIR: the folder the shards are"
                    + " written to and registered in (as convertReferenceCatalog's output folder)");
        }
        long t0 = System.nanoTime();
        List<Path> files = pos.subList(1, pos.size()).stream().map(Path::of).toList();
        Columns cols = read(files);
        int ra = column(cols, raCol, "ra", "coord_ra", "--ra-column");
        int dec = column(cols, decCol, "dec", "coord_dec", "--dec-column");
        double raScale = "rad".equalsIgnoreCase(cols.units().get(ra).trim()) ? Math.toDegrees(1) : 1;
        double decScale = "rad".equalsIgnoreCase(cols.units().get(dec).trim()) ? Math.toDegrees(1) : 1;
        double[] raDeg = asDoubles(cols.data().get(ra), cols.names().get(ra));
        double[] decDeg = asDoubles(cols.data().get(dec), cols.names().get(dec));
        // rows by triangle, in input order within each
        TreeMap<Long, List<Integer>> byTriangle = new TreeMap<>();
        for (int r = 0; r < cols.rows(); r++) {
            double rd = raDeg[r] * raScale;
            double dd = decDeg[r] * decScale;
            if (!Double.isFinite(rd) || !Double.isFinite(dd) || dd < -90 || dd > 90) {
                throw new Main.CliException("ingest-refcat: row " + r + " has no valid position (" + cols.names().get(ra)
                        + " = " + raDeg[r] + ", " + cols.names().get(dec) + " = " + decDeg[r] + "); nothing was"
                        + " ingested. Fix or drop the row, or name the position columns with --ra-column/--dec-column");
            }
            byTriangle.computeIfAbsent(Htm.index(rd, dd, Htm.REFCAT_LEVEL), k -> new ArrayList<>()).add(r);
        }
        out.printf("ingest-refcat: %d rows from %d file(s), %d htm7 shards (level-%d HTM triangles), into %s as %s"
                + " (--transfer %s)%n", cols.rows(), files.size(), byTriangle.size(), Htm.REFCAT_LEVEL, collection,
                name, transfer);

        // the dataset type first: a clash with an existing definition stops everything before any write
        main.postJson("/butler/dataset-types", Map.of("name", name, "storageClass", "SimpleCatalog", "dimensions",
                List.of("htm7"), "isCalibration", false));
        DatasetType type = new DatasetType(name, List.of(Dimension.HTM7), "SimpleCatalog");
        Map<UUID, Long> idToShard = new LinkedHashMap<>();
        for (long id : byTriangle.keySet()) {
            idToShard.put(DatasetIds.deterministic(type, collection, DataId.builder().with(Dimension.HTM7, id).build()),
                    id);
        }
        Set<Long> present = new HashSet<>();
        List<UUID> ids = new ArrayList<>(idToShard.keySet());
        for (int i = 0; i < ids.size(); i += 10_000) {
            JsonNode r = main.postJson("/butler/datasets-present", Map.of("ids", ids.subList(i,
                    Math.min(ids.size(), i + 10_000))));
            r.path("present").forEach(id -> present.add(idToShard.get(UUID.fromString(id.asText()))));
        }

        ObjectStore store = transfer.equals("copy") ? ObjectStore.fromEnvironment() : null;
        String bucket = System.getenv().getOrDefault("LOVOCCS_REPO_BUCKET", "lovoccs-repo");
        if (store != null) {
            store.ensureBucket(bucket);
        }
        List<Map<String, Object>> toRegister = new ArrayList<>();
        long bytes = 0;
        int done = 0;
        int rowsInShards = 0;
        long nextProgress = System.nanoTime() + Duration.ofMillis(Math.round(progress * 1000)).toNanos();
        for (Map.Entry<Long, List<Integer>> e : byTriangle.entrySet()) {
            rowsInShards += e.getValue().size();
            done++;
            if (present.contains(e.getKey())) {
                continue;
            }
            Shard s = shard(name, cols, e.getKey(), e.getValue(), files);
            String uri;
            try {
                if (store != null) {
                    String key = collection + "/" + name + "/" + e.getKey() + ".fits";
                    store.put(bucket, key, s.bytes(), "application/fits", Map.of());
                    uri = "s3://" + bucket + "/" + key;
                } else {
                    Path p = Path.of(outDir).toAbsolutePath().normalize().resolve(name).resolve(e.getKey() + ".fits");
                    Files.createDirectories(p.getParent());
                    Files.write(p, s.bytes());
                    uri = p.toUri().toString();
                }
            } catch (IOException | RuntimeException x) {
                throw new Main.CliException("ingest-refcat: cannot write shard " + e.getKey() + ": " + x.getMessage()
                        + "; " + toRegister.size() + " shards written but not registered yet, nothing registered: run"
                        + " the same command again");
            }
            bytes += s.bytes().length;
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("dataId", Map.of("htm7", e.getKey()));
            d.put("uri", uri);
            d.put("byteLength", (long) s.bytes().length);
            d.put("checksum", s.checksum());
            toRegister.add(d);
            long now = System.nanoTime();
            if (now >= nextProgress) {
                double secs = (now - t0) / 1e9;
                err.printf(Locale.ROOT, "ingest-refcat: %d of %d shards, %s written, %.0f s%n", done, byTriangle.size(),
                        DownloadCommand.human(bytes), secs);
                nextProgress = now + Duration.ofMillis(Math.round(progress * 1000)).toNanos();
            }
        }
        if (rowsInShards != cols.rows()) {
            throw new IllegalStateException("sharding lost rows: " + rowsInShards + " of " + cols.rows());
        }
        int inserted = 0;
        for (int i = 0; i < toRegister.size(); i += 1000) {
            JsonNode r = main.postJson("/butler/register-datasets", Map.of("datasetType", name, "run", collection,
                    "datasets", toRegister.subList(i, Math.min(toRegister.size(), i + 1000))));
            inserted += r.path("inserted").asInt();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "ingest-refcat: %s: %d rows in %d shards, %d new (%s), %d already present, in %.1f s%n",
                name, rowsInShards, byTriangle.size(), inserted, DownloadCommand.human(bytes), present.size(), secs);
        if (inserted == 0 && !present.isEmpty()) {
            out.printf("ingest-refcat: nothing new to ingest: %s holds every %s shard of these rows%n", collection,
                    name);
        }
        out.printf("ingest-refcat: find the shards of a region with './lovoccs butler refcat-shards %s --ra DEG --dec"
                + " DEG --radius DEG' or query-datasets %s --collections %s --where \"htm7 IN (...)\"%n", name, name,
                collection);
        return 0;
    }

    int shards(String[] a) {
        if (a.length == 0 || Arrays.asList(a).contains("--help")) {
            out.print(USAGE);
            return a.length == 0 ? 2 : 0;
        }
        String name = Main.arg(a, 0, "NAME");
        double ra = number(a, "--ra");
        double dec = number(a, "--dec");
        double radius = number(a, "--radius");
        String collection = Main.option(a, "--collection", "refcats");
        long[] cover;
        try {
            cover = Htm.cover(ra, dec, radius, Htm.REFCAT_LEVEL);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException("refcat-shards: " + e.getMessage());
        }
        StringBuilder in = new StringBuilder();
        for (long id : cover) {
            in.append(in.length() == 0 ? "" : ", ").append(id);
        }
        String where = "htm7 IN (" + in + ")";
        out.printf("%d htm7 triangles may meet the circle of %.4f deg around (%.5f, %.5f): --where \"%s\"%n",
                cover.length, radius, ra, dec, where);
        JsonNode rows = main.postJson("/butler/query-datasets", Map.of("datasetType", name, "collections",
                List.of(collection), "where", where));
        for (JsonNode r : rows) {
            JsonNode id = r.path("dataId");
            out.printf("%-18s %s%n", id.isTextual() ? id.asText() : id.toString(), r.path("uri").asText());
        }
        out.printf("%d %s shards in %s%n", rows.size(), name, collection);
        return 0;
    }

    private static double number(String[] a, String name) {
        String v = Main.optional(a, name);
        if (v == null) {
            throw new Main.UsageException("refcat-shards needs " + name + " DEG");
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new Main.UsageException(name + " needs a number in degrees, got '" + v + "'");
        }
    }

    /** The first binary table of every file, concatenated; the files must have the same columns. */
    static Columns read(List<Path> files) {
        Columns all = null;
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new Main.CliException("ingest-refcat: no such file: " + f);
            }
            Columns c;
            try (Fits fits = new Fits(f.toFile())) {
                BinaryTableHDU table = null;
                for (BasicHDU<?> h : fits.read()) {
                    if (h instanceof BinaryTableHDU t) {
                        table = t;
                        break;
                    }
                }
                if (table == null) {
                    throw new Main.CliException("ingest-refcat: " + f + " has no binary table HDU");
                }
                Header h = table.getHeader();
                List<String> names = new ArrayList<>();
                List<String> units = new ArrayList<>();
                List<String> descriptions = new ArrayList<>();
                List<Object> data = new ArrayList<>();
                for (int i = 0; i < table.getNCols(); i++) {
                    names.add(table.getColumnName(i).trim());
                    units.add(h.getStringValue("TUNIT" + (i + 1)) == null ? "" : h.getStringValue("TUNIT" + (i + 1)));
                    HeaderCard card = h.findCard("TTYPE" + (i + 1));
                    String comment = card == null || card.getComment() == null ? "" : card.getComment().trim();
                    descriptions.add(comment.length() > 47 ? comment.substring(0, 47) : comment);
                    data.add(normalise(table.getColumn(i), f, names.get(i)));
                }
                c = new Columns(names, units, descriptions, data, table.getNRows());
            } catch (IOException | FitsException e) {
                throw new Main.CliException("ingest-refcat: cannot read " + f + " as a FITS table: " + e.getMessage());
            }
            if (all == null) {
                all = c;
            } else {
                if (!all.names().equals(c.names())) {
                    throw new Main.CliException("ingest-refcat: " + f + " has columns " + c.names() + ", " + files.get(0)
                            + " has " + all.names() + "; the files of one catalogue need the same columns");
                }
                List<Object> joined = new ArrayList<>();
                for (int i = 0; i < all.data().size(); i++) {
                    joined.add(concat(all.data().get(i), c.data().get(i), all.names().get(i), f));
                }
                all = new Columns(all.names(), all.units(), all.descriptions(), joined, all.rows() + c.rows());
            }
        }
        return all;
    }

    /** Column arrays as the types FitsTableBuilder writes (float and short widened, nothing narrowed). */
    private static Object normalise(Object col, Path f, String name) {
        if (col instanceof float[] v) {
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                d[i] = v[i];
            }
            return d;
        }
        if (col instanceof short[] v) {
            int[] d = new int[v.length];
            for (int i = 0; i < v.length; i++) {
                d[i] = v[i];
            }
            return d;
        }
        if (col instanceof double[] || col instanceof long[] || col instanceof int[] || col instanceof boolean[]
                || col instanceof String[]) {
            return col;
        }
        throw new Main.CliException("ingest-refcat: " + f + " column " + name + " is of a kind this command does not"
                + " copy (" + col.getClass().getSimpleName() + "; scalar numbers, booleans and strings are)");
    }

    private static Object concat(Object a, Object b, String name, Path f) {
        if (a.getClass() != b.getClass()) {
            throw new Main.CliException("ingest-refcat: column " + name + " of " + f + " is "
                    + b.getClass().getSimpleName() + ", in the first file " + a.getClass().getSimpleName());
        }
        int la = java.lang.reflect.Array.getLength(a);
        int lb = java.lang.reflect.Array.getLength(b);
        Object out = java.lang.reflect.Array.newInstance(a.getClass().getComponentType(), la + lb);
        System.arraycopy(a, 0, out, 0, la);
        System.arraycopy(b, 0, out, la, lb);
        return out;
    }

    private static int column(Columns c, String given, String first, String second, String option) {
        if (given != null) {
            int i = c.names().indexOf(given);
            if (i < 0) {
                throw new Main.UsageException("ingest-refcat: no column '" + given + "' (" + option + "); columns: "
                        + c.names());
            }
            return i;
        }
        for (String n : List.of(first, second)) {
            for (int i = 0; i < c.names().size(); i++) {
                if (c.names().get(i).equalsIgnoreCase(n)) {
                    return i;
                }
            }
        }
        throw new Main.UsageException("ingest-refcat: no '" + first + "' or '" + second + "' column; name the position"
                + " column with " + option + " (columns: " + c.names() + ")");
    }

    private static double[] asDoubles(Object col, String name) {
        if (col instanceof double[] d) {
            return d;
        }
        throw new Main.CliException("ingest-refcat: position column " + name + " holds " + col.getClass()
                .getSimpleName() + ", not floating-point degrees or radians");
    }

    private static Shard shard(String name, Columns c, long htm7, List<Integer> rows, List<Path> files) {
        FitsTableBuilder t = new FitsTableBuilder("REFCAT", rows.size());
        for (int i = 0; i < c.names().size(); i++) {
            t.column(c.names().get(i), pick(c.data().get(i), rows), c.units().get(i), c.descriptions().get(i));
        }
        t.keyword("REFCAT", name, "reference catalogue (dataset type)");
        t.intKeyword("HTM7", htm7, "level-7 HTM triangle of these rows");
        t.intKeyword("NSOURCE", files.size(), "number of input files");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (FitsOutputStream o = new FitsOutputStream(bytes)) {
            t.write(o);
        } catch (IOException e) {
            throw new Main.CliException("ingest-refcat: cannot write shard " + htm7 + ": " + e.getMessage());
        }
        byte[] b = bytes.toByteArray();
        return new Shard(htm7, rows.size(), b, Checksums.sha256(b));
    }

    private static Object pick(Object col, List<Integer> rows) {
        Object out = java.lang.reflect.Array.newInstance(col.getClass().getComponentType(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            java.lang.reflect.Array.set(out, i, java.lang.reflect.Array.get(col, rows.get(i)));
        }
        return out;
    }
}
