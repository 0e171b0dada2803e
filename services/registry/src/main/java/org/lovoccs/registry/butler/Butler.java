package org.lovoccs.registry.butler;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The butler's registry operations on PostgreSQL: collections (RUN, CHAINED, TAGGED, CALIBRATION), chains,
 * certification of calibrations over validity ranges, dataset queries with the where language, and run removal.
 * Blocking JDBC on worker threads; every statement is parameterized.
 */
@ApplicationScoped
public class Butler {

    @Inject
    DataSource dataSource;

    /**
     * A dataset as query-datasets shows it; {@code stored} false (and only then present) for a dataset that is
     * registered but not in the object store: held in its job's memory and never written
     * ({@code lovoccs.orchestrator.held-in-job}).
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record DatasetRow(String id, String datasetType, String run, String collection, String dataId,
                             String uri, Long byteOffset, Long byteLength, String checksum, String validity,
                             Boolean stored) {
    }

    /** How collection-chain changes a chain, as {@code butler collection-chain --mode}. */
    public enum ChainMode {
        REDEFINE, EXTEND, PREPEND, REMOVE, POP;

        static ChainMode parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (RuntimeException e) {
                throw ButlerException.badRequest("unknown chain mode '" + s + "'; valid modes are redefine, extend,"
                        + " prepend, remove, pop");
            }
        }
    }

    /**
     * Datasets with every dimension key a where clause may name, the implied ones (band, physical_filter, day_obs,
     * group) taken from the exposure or visit record when the data ID does not carry them, as the butler does.
     */
    static final String DATASET_VIEW = "SELECT x.id, x.dataset_type, x.run, x.data_id, x.uri, x.byte_offset,"
            + " x.byte_length, x.checksum, x.stored, x.instrument, x.detector, x.exposure, x.visit, x.skymap, x.tract, x.patch,"
            + " x.htm7,"
            + " COALESCE(x.physical_filter, ex.physical_filter, vi.physical_filter) AS physical_filter,"
            + " COALESCE(x.band, ex.band, vi.band, pf.band) AS band,"
            + " COALESCE(x.day_obs, ex.day_obs, vi.day_obs) AS day_obs,"
            + " COALESCE(x.\"group\", ex.\"group\") AS \"group\""
            + " FROM dataset x"
            + " LEFT JOIN exposure ex ON ex.instrument = x.instrument AND ex.id = x.exposure"
            + " LEFT JOIN visit vi ON vi.instrument = x.instrument AND vi.id = x.visit"
            + " LEFT JOIN physical_filter pf ON pf.instrument = x.instrument AND pf.name = x.physical_filter";

    // ---- collections ----------------------------------------------------------------------------------------

    public List<Collections.Info> queryCollections(String glob, Set<CollectionType> types) {
        return withConnection(c -> Collections.load(c).query(glob, types));
    }

    /** Registers a collection; repeating it with the same type is harmless, with another type is refused. */
    public Collections.Info register(String name, CollectionType type, String doc) {
        if (name == null || name.isBlank() || Globs.isGlob(name)) {
            throw ButlerException.badRequest("a collection name is required and may not contain '*' or '?'");
        }
        return inTransaction(c -> {
            Collections all = Collections.load(c);
            CollectionType existing = all.type(name);
            if (existing != null && existing != type) {
                throw ButlerException.conflict("collection '" + name + "' already exists as " + existing
                        + ", not " + type);
            }
            if (existing == null) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO collection (name, type, doc) VALUES (?, ?, ?)")) {
                    ps.setString(1, name);
                    ps.setString(2, type.name());
                    ps.setString(3, doc);
                    ps.executeUpdate();
                }
            }
            return Collections.load(c).info(name);
        });
    }

    /** collection-chain: changes (creating if needed) the CHAINED collection {@code parent}. */
    public Collections.Info chain(String parent, List<String> children, ChainMode mode) {
        return inTransaction(c -> {
            Collections all = Collections.load(c);
            CollectionType t = all.type(parent);
            if (t != null && t != CollectionType.CHAINED) {
                throw ButlerException.conflict("'" + parent + "' is a " + t + " collection, not CHAINED");
            }
            if (t == null) {
                if (mode == ChainMode.REMOVE || mode == ChainMode.POP) {
                    throw ButlerException.notFound("no chained collection '" + parent + "'" + all.closest(parent));
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO collection (name, type) VALUES (?, 'CHAINED')")) {
                    ps.setString(1, parent);
                    ps.executeUpdate();
                }
            }
            List<String> current = new ArrayList<>(all.children(parent));
            if (mode != ChainMode.POP) {
                for (String child : children) {
                    all.requireExists(child);
                    if (mode != ChainMode.REMOVE && all.reaches(child, parent)) {
                        throw ButlerException.badRequest("adding '" + child + "' to '" + parent
                                + "' would make a cycle: '" + parent + "' is reachable from it");
                    }
                }
            }
            List<String> next = switch (mode) {
                case REDEFINE -> new ArrayList<>(children);
                case EXTEND -> {
                    List<String> l = new ArrayList<>(current);
                    l.removeAll(children);
                    l.addAll(children);
                    yield l;
                }
                case PREPEND -> {
                    List<String> l = new ArrayList<>(children);
                    current.stream().filter(x -> !children.contains(x)).forEach(l::add);
                    yield l;
                }
                case REMOVE -> {
                    for (String child : children) {
                        if (!current.contains(child)) {
                            throw ButlerException.notFound("'" + child + "' is not in the chain '" + parent
                                    + "', which holds " + current);
                        }
                    }
                    List<String> l = new ArrayList<>(current);
                    l.removeAll(children);
                    yield l;
                }
                case POP -> {
                    List<String> l = new ArrayList<>(current);
                    if (children.isEmpty()) {
                        if (!l.isEmpty()) {
                            l.remove(0);
                        }
                    } else {
                        for (String index : children) {
                            l.remove(current.get(Integer.parseInt(index)));
                        }
                    }
                    yield l;
                }
            };
            if (new LinkedHashSet<>(next).size() != next.size()) {
                throw ButlerException.badRequest("a chain may not list a collection twice: " + next);
            }
            try (PreparedStatement del = c.prepareStatement("DELETE FROM collection_chain WHERE parent = ?")) {
                del.setString(1, parent);
                del.executeUpdate();
            }
            try (PreparedStatement ins = c.prepareStatement(
                    "INSERT INTO collection_chain (parent, position, child) VALUES (?, ?, ?)")) {
                for (int i = 0; i < next.size(); i++) {
                    ins.setString(1, parent);
                    ins.setInt(2, i);
                    ins.setString(3, next.get(i));
                    ins.addBatch();
                }
                ins.executeBatch();
            }
            return Collections.load(c).info(parent);
        });
    }

    // ---- calibrations -----------------------------------------------------------------------------------------

    /** The result of certify-calibrations. */
    public record Certified(String collection, String datasetType, int datasets, String begin, String end) {
    }

    /**
     * certify-calibrations: certifies every {@code datasetType} dataset of RUN {@code inputRun} (optionally
     * restricted by a where clause) into CALIBRATION collection {@code collection} (created if missing) for
     * [begin, end). Overlapping an existing certification of the same type and data ID is refused, with the
     * conflicting range named, and nothing is certified.
     */
    public Certified certify(String inputRun, String collection, String datasetType, Instant begin, Instant end,
                             String where, Map<String, Object> bind) {
        if (begin != null && end != null && !begin.isBefore(end)) {
            throw ButlerException.badRequest("--begin-date " + begin + " must be before --end-date " + end);
        }
        return inTransaction(c -> {
            Collections all = Collections.load(c);
            all.requireExists(inputRun);
            if (all.type(inputRun) != CollectionType.RUN) {
                throw ButlerException.badRequest("'" + inputRun + "' is a " + all.type(inputRun)
                        + " collection; certify-calibrations takes the RUN that holds the calibrations");
            }
            CollectionType t = all.type(collection);
            if (t != null && t != CollectionType.CALIBRATION) {
                throw ButlerException.conflict("'" + collection + "' is a " + t + " collection, not CALIBRATION");
            }
            if (t == null) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO collection (name, type) VALUES (?, 'CALIBRATION')")) {
                    ps.setString(1, collection);
                    ps.executeUpdate();
                }
            }
            WhereClause w = WhereClause.compile(where, bind, null);
            String sql = "INSERT INTO calib_dataset (collection, dataset_id, dataset_type, data_id, validity)"
                    + " SELECT ?, d.id, d.dataset_type, d.data_id, tstzrange(?, ?, '[)') FROM (" + DATASET_VIEW + ") d "
                    + w.joins() + " WHERE d.run = ? AND d.dataset_type = ?" + w.andSql();
            int n;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                ps.setString(i++, collection);
                ps.setTimestamp(i++, begin == null ? null : Timestamp.from(begin));
                ps.setTimestamp(i++, end == null ? null : Timestamp.from(end));
                ps.setString(i++, inputRun);
                ps.setString(i++, datasetType);
                w.bindTo(ps, i);
                n = ps.executeUpdate();
            } catch (SQLException e) {
                if ("23P01".equals(e.getSQLState())) {
                    throw ButlerException.conflict("cannot certify " + datasetType + " from " + inputRun + " into "
                            + collection + " for [" + (begin == null ? "-inf" : begin) + ", "
                            + (end == null ? "+inf" : end) + "): it overlaps an existing certification of the same"
                            + " data ID (" + detail(e) + "); decertify it or choose a range that does not overlap");
                }
                throw e;
            }
            if (n == 0) {
                throw ButlerException.notFound("no " + datasetType + " datasets in RUN " + inputRun
                        + (where == null || where.isBlank() ? "" : " matching '" + where + "'"));
            }
            return new Certified(collection, datasetType, n, begin == null ? null : begin.toString(),
                    end == null ? null : end.toString());
        });
    }

    private static String detail(SQLException e) {
        String m = e.getMessage();
        int i = m.indexOf("Detail:");
        return i >= 0 ? m.substring(i + 7).trim() : m;
    }

    // ---- datasets ---------------------------------------------------------------------------------------------

    /**
     * query-datasets: datasets of the types matching {@code typeGlob} in the collections (searched in order, chains
     * expanded), restricted by the where clause; with {@code findFirst}, only the first dataset found for each
     * dataset type and data ID. {@code validAt} selects, in CALIBRATION collections, the certification valid then.
     */
    public List<DatasetRow> queryDatasets(String typeGlob, List<String> collections, String where,
                                          Map<String, Object> bind, boolean findFirst, Instant validAt, int limit) {
        return withConnection(c -> {
            Collections all = Collections.load(c);
            List<Collections.Leaf> leaves = all.resolve(collections);
            List<String> types = datasetTypes(c, typeGlob);
            if (types.isEmpty()) {
                return List.of();
            }
            List<Object> params = new ArrayList<>();
            StringBuilder from = new StringBuilder();
            for (Collections.Leaf leaf : leaves) {
                if (from.length() > 0) {
                    from.append(" UNION ALL ");
                }
                switch (leaf.type()) {
                    case RUN -> {
                        from.append("SELECT v.*, ").append(leaf.rank()).append(" AS search_rank, v.run AS found_in,"
                                + " NULL::text AS validity FROM (").append(DATASET_VIEW).append(") v WHERE v.run = ?");
                        params.add(leaf.name());
                    }
                    case TAGGED -> {
                        from.append("SELECT v.*, ").append(leaf.rank()).append(" AS search_rank, t.collection AS found_in, NULL::text AS validity FROM (")
                                .append(DATASET_VIEW).append(") v JOIN tagged_dataset t ON t.dataset_id = v.id"
                                        + " WHERE t.collection = ?");
                        params.add(leaf.name());
                    }
                    case CALIBRATION -> {
                        from.append("SELECT v.*, ").append(leaf.rank()).append(" AS search_rank, k.collection AS found_in, k.validity::text AS validity"
                                + " FROM (").append(DATASET_VIEW).append(") v JOIN calib_dataset k ON k.dataset_id = v.id"
                                + " WHERE k.collection = ?");
                        params.add(leaf.name());
                        if (validAt != null) {
                            from.append(" AND k.validity @> ?::timestamptz");
                            params.add(Timestamp.from(validAt));
                        }
                    }
                    default -> throw new IllegalStateException("unexpanded " + leaf);
                }
            }
            if (from.length() == 0) {
                return List.of();
            }
            WhereClause w = WhereClause.compile(where, bind, null);
            String select = "SELECT d.id::text, d.dataset_type, d.run, d.found_in, d.data_id::text, d.uri,"
                    + " d.byte_offset, d.byte_length, d.checksum, d.validity, d.search_rank, d.stored FROM (" + from
                    + ") d "
                    + w.joins() + " WHERE d.dataset_type = ANY (?)" + w.andSql();
            String sql = findFirst
                    ? "SELECT DISTINCT ON (dataset_type, data_id) * FROM (" + select + ") f"
                    + " ORDER BY dataset_type, data_id, search_rank LIMIT " + limit
                    : select + " ORDER BY d.dataset_type, d.search_rank, d.data_id LIMIT " + limit;
            List<DatasetRow> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                for (Object p : params) {
                    ps.setObject(i++, p);
                }
                ps.setArray(i++, c.createArrayOf("text", types.toArray()));
                w.bindTo(ps, i);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new DatasetRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6), (Long) rs.getObject(7), (Long) rs.getObject(8),
                                rs.getString(9), rs.getString(10), rs.getBoolean(12) ? null : Boolean.FALSE));
                    }
                }
            }
            return rows;
        });
    }

    /** Registered dataset type names matching the glob; 404 naming the known ones if a plain name is unknown. */
    private static List<String> datasetTypes(Connection c, String glob) throws SQLException {
        Set<String> known = new java.util.TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM dataset_type");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                known.add(rs.getString(1));
            }
        }
        if (glob == null || glob.isBlank() || glob.equals("*")) {
            return new ArrayList<>(known);
        }
        var p = Globs.compile(glob);
        List<String> out = known.stream().filter(n -> p.matcher(n).matches()).toList();
        if (out.isEmpty() && !Globs.isGlob(glob)) {
            String best = known.stream().min(java.util.Comparator.comparingInt(n -> org.lovoccs.butler.Suggestions.distance(glob, n)))
                    .orElse("");
            throw ButlerException.notFound("unknown dataset type '" + glob + "'; did you mean " + best
                    + "? Known types: " + String.join(", ", known));
        }
        return out;
    }

    /** associate: adds datasets to a TAGGED collection (created if missing). */
    public int associate(String tagged, List<UUID> ids) {
        return inTransaction(c -> {
            Collections all = Collections.load(c);
            CollectionType t = all.type(tagged);
            if (t != null && t != CollectionType.TAGGED) {
                throw ButlerException.conflict("'" + tagged + "' is a " + t + " collection, not TAGGED");
            }
            if (t == null) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO collection (name, type) VALUES (?, 'TAGGED')")) {
                    ps.setString(1, tagged);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO tagged_dataset (collection, dataset_id,"
                    + " dataset_type, data_id) SELECT ?, id, dataset_type, data_id FROM dataset WHERE id = ANY (?)"
                    + " ON CONFLICT (collection, dataset_id) DO NOTHING")) {
                ps.setString(1, tagged);
                ps.setArray(2, c.createArrayOf("uuid", ids.toArray()));
                return ps.executeUpdate();
            } catch (SQLException e) {
                if ("23505".equals(e.getSQLState())) {
                    throw ButlerException.conflict("a TAGGED collection holds one dataset per type and data ID: "
                            + detail(e));
                }
                throw e;
            }
        });
    }

    /** The result of remove-runs. */
    public record Removed(List<String> runs, int datasets) {
    }

    /**
     * remove-runs: removes the RUN collections matching {@code glob}, their datasets (and so their tags and
     * certifications) and their places in chains. The stored files are not deleted.
     */
    public Removed removeRuns(String glob, boolean dryRun) {
        return inTransaction(c -> {
            Collections all = Collections.load(c);
            List<String> runs = all.query(glob, Set.of(CollectionType.RUN)).stream().map(Collections.Info::name)
                    .toList();
            if (runs.isEmpty()) {
                throw ButlerException.notFound("no RUN collection matches '" + glob + "'" + all.closest(glob));
            }
            int datasets;
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM dataset WHERE run = ANY (?)")) {
                ps.setArray(1, c.createArrayOf("text", runs.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    datasets = rs.getInt(1);
                }
            }
            if (!dryRun) {
                var arr = c.createArrayOf("text", runs.toArray());
                // chain positions may keep gaps: only their order matters
                for (String sql : List.of("DELETE FROM collection_chain WHERE child = ANY (?)",
                        "DELETE FROM cluster_run WHERE run = ANY (?)",
                        "DELETE FROM dataset WHERE run = ANY (?)",
                        "DELETE FROM collection WHERE name = ANY (?)")) {
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        ps.setArray(1, arr);
                        ps.executeUpdate();
                    }
                }
            }
            return new Removed(runs, datasets);
        });
    }

    /**
     * register-dataset-type: a new dataset type, or the same definition again (harmless); a different definition
     * under an existing name is refused.
     */
    public Map<String, Object> registerDatasetType(String name, String storageClass, List<String> dimensions,
                                                   boolean isCalibration) {
        if (!name.matches("[A-Za-z][A-Za-z0-9_]*")) {
            throw ButlerException.badRequest("a dataset type name is letters, digits and '_', starting with a"
                    + " letter; got '" + name + "'");
        }
        for (String d : dimensions) {
            try {
                org.lovoccs.events.Dimension.of(d);
            } catch (IllegalArgumentException e) {
                throw ButlerException.badRequest(e.getMessage());
            }
        }
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT dimensions, storage_class, is_calibration FROM"
                    + " dataset_type WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        List<String> had = List.of((String[]) rs.getArray(1).getArray());
                        if (!new java.util.HashSet<>(had).equals(new java.util.HashSet<>(dimensions))
                                || !rs.getString(2).equals(storageClass) || rs.getBoolean(3) != isCalibration) {
                            throw ButlerException.conflict("dataset type " + name + " exists with dimensions " + had
                                    + ", storage class " + rs.getString(2) + (rs.getBoolean(3) ? ", calibration" : "")
                                    + "; a type's definition cannot change");
                        }
                        return Map.of("name", name, "registered", false);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO dataset_type (name, dimensions,"
                    + " storage_class, is_calibration) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, name);
                ps.setArray(2, c.createArrayOf("text", dimensions.toArray()));
                ps.setString(3, storageClass);
                ps.setBoolean(4, isCalibration);
                ps.executeUpdate();
            }
            return Map.of("name", name, "registered", true);
        });
    }

    // ---- plumbing ---------------------------------------------------------------------------------------------

    interface Work<T> {
        T apply(Connection c) throws SQLException;
    }

    <T> T withConnection(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.apply(c);
        } catch (SQLException e) {
            throw new ButlerException(500, "registry database error: " + e.getMessage());
        }
    }

    <T> T inTransaction(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.apply(c);
                c.commit();
                return result;
            } catch (RuntimeException | SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new ButlerException(500, "registry database error: " + e.getMessage());
        }
    }
}
