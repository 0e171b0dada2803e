package org.lovoccs.registry.butler;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * query-dimension-records and query-data-ids: a dimension element's table seen as a row of dimension keys (the
 * element's own key under its dimension name, the keys it carries, NULL for the rest), so the where language applies
 * to it exactly as to datasets.
 */
@ApplicationScoped
public class DimensionRecords {

    static final List<String> KEYS = List.of("instrument", "band", "physical_filter", "detector", "day_obs", "group",
            "exposure", "visit", "skymap", "tract", "patch");
    private static final Map<String, String> KEY_TYPES = Map.ofEntries(Map.entry("instrument", "text"),
            Map.entry("band", "text"), Map.entry("physical_filter", "text"), Map.entry("detector", "integer"),
            Map.entry("day_obs", "integer"), Map.entry("group", "text"), Map.entry("exposure", "bigint"),
            Map.entry("visit", "bigint"), Map.entry("skymap", "text"), Map.entry("tract", "integer"),
            Map.entry("patch", "integer"));

    /** An element: its table, the column holding its own key, and the dimension keys the table carries. */
    private record Element(String table, String keyColumn, Set<String> carries) {
    }

    private static final Map<String, Element> ELEMENTS = Map.ofEntries(
            Map.entry("instrument", new Element("instrument", "name", Set.of())),
            Map.entry("band", new Element("band", "name", Set.of())),
            Map.entry("physical_filter", new Element("physical_filter", "name", Set.of("instrument", "band"))),
            Map.entry("detector", new Element("detector", "id", Set.of("instrument"))),
            Map.entry("day_obs", new Element("day_obs", "id", Set.of("instrument"))),
            Map.entry("group", new Element("obs_group", "name", Set.of("instrument"))),
            Map.entry("exposure", new Element("exposure", "id",
                    Set.of("instrument", "band", "physical_filter", "day_obs", "group"))),
            Map.entry("visit", new Element("visit", "id", Set.of("instrument", "band", "physical_filter", "day_obs"))),
            Map.entry("skymap", new Element("skymap", "name", Set.of())),
            Map.entry("tract", new Element("tract", "id", Set.of("skymap"))),
            Map.entry("patch", new Element("patch", "id", Set.of("skymap", "tract"))));

    @Inject
    Butler butler;

    /** The SQL of element {@code name} as a dimension-key row aliased {@code d}, and the columns it adds. */
    static String view(String name) {
        Element e = element(name);
        StringBuilder b = new StringBuilder("SELECT t.*, t.").append(e.keyColumn()).append(" AS ")
                .append(quote(name));
        for (String k : KEYS) {
            if (!k.equals(name) && !e.carries().contains(k)) {
                b.append(", NULL::").append(KEY_TYPES.get(k)).append(" AS ").append(quote(k));
            }
        }
        return b.append(" FROM ").append(e.table()).append(" t").toString();
    }

    private static Element element(String name) {
        Element e = ELEMENTS.get(name);
        if (e == null) {
            throw ButlerException.badRequest("unknown dimension element '" + name + "'; valid elements are "
                    + String.join(", ", KEYS));
        }
        return e;
    }

    private static String quote(String k) {
        return k.equals("group") ? "\"group\"" : k;
    }

    /** A column's value as JSON shows it: numbers and booleans as they are, times as ISO instants, else text. */
    static Object jsonValue(Object v) {
        return v == null || v instanceof Number || v instanceof Boolean ? v
                : v instanceof java.sql.Timestamp t ? t.toInstant().toString() : v.toString();
    }

    /** query-dimension-records ELEMENT --where: the element's records (its own columns). */
    public List<Map<String, Object>> records(String name, String where, Map<String, Object> bind, int limit) {
        Element e = element(name);
        return butler.withConnection(c -> {
            WhereClause w = WhereClause.compile(where, bind, null);
            String sql = "SELECT d.* FROM (" + view(name) + ") d " + w.joins() + " WHERE true" + w.andSql()
                    + " ORDER BY d." + quote(name) + " LIMIT " + limit;
            List<Map<String, Object>> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                w.bindTo(ps, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    ResultSetMetaData md = rs.getMetaData();
                    // the table's own columns come first; the key aliases view() appends are left out
                    int added = 1 + (KEYS.size() - 1 - e.carries().size());
                    int own = md.getColumnCount() - added;
                    while (rs.next()) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        for (int i = 1; i <= own; i++) {
                            Object v = rs.getObject(i);
                            row.put(md.getColumnLabel(i), jsonValue(v));
                        }
                        out.add(row);
                    }
                }
            }
            return out;
        });
    }

    /**
     * query-data-ids --dimensions ... [--datasets TYPE --collections ...] --where: the distinct data IDs over the
     * requested dimensions, related through the datasets when given, else through the one element whose record holds
     * them all.
     */
    public List<Map<String, Object>> dataIds(List<String> dimensions, String datasetType, List<String> collections,
                                             String where, Map<String, Object> bind, int limit) {
        if (dimensions == null || dimensions.isEmpty()) {
            throw ButlerException.badRequest("--dimensions is required, e.g. --dimensions exposure,detector");
        }
        for (String d : dimensions) {
            element(d);
        }
        String from;
        if (datasetType != null && !datasetType.isBlank()) {
            from = "(" + Butler.DATASET_VIEW + ") d";
        } else {
            String holder = null;
            for (String candidate : KEYS) {
                Element e = ELEMENTS.get(candidate);
                if (dimensions.stream().allMatch(d -> d.equals(candidate) || e.carries().contains(d))) {
                    holder = candidate;
                    break;
                }
            }
            if (holder == null) {
                throw ButlerException.badRequest("no single dimension record holds " + dimensions + "; relate them"
                        + " through datasets with --datasets TYPE --collections ...");
            }
            from = "(" + view(holder) + ") d";
        }
        String cols = String.join(", ", dimensions.stream().map(d -> "d." + quote(d)).toList());
        return butler.withConnection(c -> {
            List<Object> params = new ArrayList<>();
            String restrict = "";
            if (datasetType != null && !datasetType.isBlank()) {
                Collections all = Collections.load(c);
                List<String> runs = new ArrayList<>();
                List<String> others = new ArrayList<>();
                for (Collections.Leaf leaf : all.resolve(collections)) {
                    (leaf.type() == CollectionType.RUN ? runs : others).add(leaf.name());
                }
                restrict = " AND d.dataset_type = ? AND (d.run = ANY (?) OR d.id IN (SELECT dataset_id FROM"
                        + " calib_dataset WHERE collection = ANY (?)) OR d.id IN (SELECT dataset_id FROM tagged_dataset"
                        + " WHERE collection = ANY (?)))";
                params.add(datasetType);
                params.add(c.createArrayOf("text", runs.toArray()));
                params.add(c.createArrayOf("text", others.toArray()));
                params.add(c.createArrayOf("text", others.toArray()));
            }
            WhereClause w = WhereClause.compile(where, bind, null);
            String sql = "SELECT DISTINCT " + cols + " FROM " + from + " " + w.joins() + " WHERE "
                    + dimensions.stream().map(d -> "d." + quote(d) + " IS NOT NULL").reduce((a, b) -> a + " AND " + b)
                    .orElse("true") + restrict + w.andSql() + " ORDER BY " + cols + " LIMIT " + limit;
            List<Map<String, Object>> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                for (Object p : params) {
                    ps.setObject(i++, p);
                }
                w.bindTo(ps, i);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        for (int k = 0; k < dimensions.size(); k++) {
                            row.put(dimensions.get(k), rs.getObject(k + 1));
                        }
                        out.add(row);
                    }
                }
            }
            return out;
        });
    }
}
