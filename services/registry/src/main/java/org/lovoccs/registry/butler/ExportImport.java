package org.lovoccs.registry.butler;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.lovoccs.events.EventCodec;

/**
 * butler export / import of a subset of a repository: the datasets a query selects (with their locations and
 * checksums), the RUN collections holding them, and the exposure and day_obs records their data IDs refer to.
 * Import is idempotent: what exists is left alone.
 */
@ApplicationScoped
public class ExportImport {

    /** The export document's format name. */
    public static final String FORMAT = "lovoccs-butler-export/1";

    @Inject
    Butler butler;

    /** An export document. */
    public record Export(String format, List<String> runs, Map<String, List<Map<String, Object>>> dimensions,
                         List<Butler.DatasetRow> datasets) {
    }

    public Export export(String datasetType, List<String> collections, String where, Map<String, Object> bind) {
        List<Butler.DatasetRow> rows = butler.queryDatasets(datasetType == null ? "*" : datasetType, collections,
                where, bind, false, null, 1_000_000);
        Set<String> runs = new LinkedHashSet<>();
        Set<Long> exposures = new LinkedHashSet<>();
        for (Butler.DatasetRow r : rows) {
            runs.add(r.run());
            try {
                var id = EventCodec.JSON.readTree(r.dataId());
                if (id.has("exposure")) {
                    exposures.add(id.get("exposure").asLong());
                }
            } catch (java.io.IOException e) {
                throw new ButlerException(500, "bad data ID in the registry: " + r.dataId());
            }
        }
        Map<String, List<Map<String, Object>>> dims = new LinkedHashMap<>();
        butler.withConnection(c -> {
            Long[] ids = exposures.toArray(Long[]::new);
            dims.put("day_obs", rows(c.prepareStatement("SELECT DISTINCT o.* FROM day_obs o JOIN exposure e ON"
                    + " e.instrument = o.instrument AND e.day_obs = o.id WHERE e.id = ANY (?)"), c, ids));
            dims.put("exposure", rows(c.prepareStatement("SELECT * FROM exposure WHERE id = ANY (?)"), c, ids));
            return null;
        });
        return new Export(FORMAT, new ArrayList<>(runs), dims, rows);
    }

    private static List<Map<String, Object>> rows(PreparedStatement ps, java.sql.Connection c, Long[] ids)
            throws java.sql.SQLException {
        try (ps) {
            ps.setArray(1, c.createArrayOf("bigint", ids));
            List<Map<String, Object>> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        Object v = rs.getObject(i);
                        row.put(md.getColumnLabel(i), DimensionRecords.jsonValue(v));
                    }
                    out.add(row);
                }
            }
            return out;
        }
    }

    /** What import did. */
    public record Imported(int runs, int dimensionRecords, int datasets, int alreadyPresent) {
    }

    public Imported importDocument(Export doc) {
        if (doc == null || !FORMAT.equals(doc.format())) {
            throw ButlerException.badRequest("not a butler export: the document's format must be '" + FORMAT + "'");
        }
        return butler.inTransaction(c -> {
            int runs = 0;
            for (String run : doc.runs()) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO collection (name, type) VALUES (?, 'RUN')"
                        + " ON CONFLICT (name) DO NOTHING")) {
                    ps.setString(1, run);
                    runs += ps.executeUpdate();
                }
            }
            int records = 0;
            for (Map<String, Object> d : doc.dimensions().getOrDefault("day_obs", List.of())) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO day_obs (instrument, id, timespan_begin,"
                        + " timespan_end) VALUES (?, ?, ?::timestamptz, ?::timestamptz) ON CONFLICT DO NOTHING")) {
                    ps.setString(1, (String) d.get("instrument"));
                    ps.setInt(2, ((Number) d.get("id")).intValue());
                    ps.setString(3, (String) d.get("timespan_begin"));
                    ps.setString(4, (String) d.get("timespan_end"));
                    records += ps.executeUpdate();
                }
            }
            for (Map<String, Object> e : doc.dimensions().getOrDefault("exposure", List.of())) {
                List<String> cols = new ArrayList<>(e.keySet());
                String sql = "INSERT INTO exposure (" + String.join(", ", cols.stream().map(ExportImport::column)
                        .toList()) + ") SELECT * FROM jsonb_populate_record(NULL::exposure, ?::jsonb)"
                        .replace("SELECT *", "SELECT " + String.join(", ", cols.stream().map(ExportImport::column)
                                .toList())) + " ON CONFLICT (instrument, id) DO NOTHING";
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, EventCodec.JSON.writeValueAsString(e));
                    records += ps.executeUpdate();
                } catch (com.fasterxml.jackson.core.JsonProcessingException x) {
                    throw ButlerException.badRequest("bad exposure record " + e);
                }
            }
            int inserted = 0;
            for (Butler.DatasetRow r : doc.datasets()) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO dataset (id, dataset_type, run, data_id,"
                        + " uri, byte_offset, byte_length, checksum, producer, stored) VALUES (?::uuid, ?, ?, ?::jsonb,"
                        + " ?, ?, ?, ?, 'butler import', ?) ON CONFLICT (id) DO NOTHING")) {
                    ps.setString(1, r.id());
                    ps.setString(2, r.datasetType());
                    ps.setString(3, r.run());
                    ps.setString(4, r.dataId());
                    ps.setString(5, r.uri());
                    ps.setObject(6, r.byteOffset());
                    ps.setObject(7, r.byteLength());
                    ps.setString(8, r.checksum());
                    ps.setBoolean(9, !Boolean.FALSE.equals(r.stored())); // a held dataset stays not stored
                    inserted += ps.executeUpdate();
                }
            }
            return new Imported(runs, records, inserted, doc.datasets().size() - inserted);
        });
    }

    private static String column(String name) {
        if (!name.matches("[a-z_]+")) {
            throw ButlerException.badRequest("bad column name in an exposure record: '" + name + "'");
        }
        return "\"" + name + "\"";
    }
}
