package org.lovoccs.butler.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lovoccs.butler.Dimension;
import org.lovoccs.butler.DimensionField;
import org.lovoccs.butler.DimensionUniverse;

/**
 * Runs translated expressions against a real PostgreSQL (127.0.0.1:5432, user postgres, trust
 * auth) in a database of its own, {@code butler_where_test}, created here and dropped at the end.
 * The schema is generated from the {@link DimensionUniverse} by the registry's naming scheme.
 */
class WherePostgresTest {
    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    private static final String DB = "butler_where_test";
    private static final SqlTranslator TRANSLATOR = new SqlTranslator();
    private static Connection conn;

    private static Connection connect(String database) {
        try {
            return DriverManager.getConnection(SERVER + database, "postgres", "");
        } catch (SQLException e) {
            return fail("PostgreSQL is not reachable at 127.0.0.1:5432 (" + e.getMessage()
                    + "); start the PostgreSQL server (user postgres, trust auth) before running this test");
        }
    }

    @BeforeAll
    static void createDatabase() throws SQLException {
        try (Connection admin = connect("postgres"); Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + DB);
        }
        conn = connect(DB);
        try (Statement st = conn.createStatement()) {
            for (String ddl : schema(DimensionUniverse.defaultUniverse())) {
                st.execute(ddl);
            }
            st.execute("INSERT INTO detector (instrument, id, full_name, name_in_raft, raft, purpose) VALUES "
                    + "('DECam', 1, 'S29', '29', 'S', 'SCIENCE'), ('DECam', 2, 'S30', '30', 'S', 'SCIENCE'), "
                    + "('DECam', 61, 'N30', '30', 'N', 'SCIENCE')");
            st.execute("INSERT INTO exposure (instrument, id, obs_id, exposure_time, observation_type, day_obs, "
                    + "physical_filter, timespan_begin, timespan_end) VALUES "
                    + "('DECam', 1001, 'ct4m20220526t040000', 90, 'science', 20220526, 'r DECam SDSS c0002 6415.0 1480.0', "
                    + "'2022-05-26T04:00:00Z', '2022-05-26T04:01:30Z'), "
                    + "('DECam', 1002, 'ct4m20220526t050000', 90, 'science', 20220526, 'g DECam SDSS c0001 4720.0 1520.0', "
                    + "'2022-05-26T05:00:00Z', '2022-05-26T05:01:30Z'), "
                    + "('DECam', 1003, 'ct4m20221002t010000', 30, 'dark', 20221002, 'r DECam SDSS c0002 6415.0 1480.0', "
                    + "'2022-10-02T01:00:00Z', '2022-10-02T01:00:30Z'), "
                    + "('DECam', 1004, 'ct4m20221002t020000', 300, 'science', 20221002, 'i DECam SDSS c0003 7835.0 1470.0', "
                    + "'2022-10-02T02:00:00Z', '2022-10-02T02:05:00Z')");
            st.execute("INSERT INTO dataset (dataset_type, instrument, band, exposure, detector) "
                    + "SELECT 'raw', e.instrument, split_part(e.physical_filter, ' ', 1), e.id, det.id "
                    + "FROM exposure e CROSS JOIN detector det");
        }
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        if (conn != null) {
            conn.close();
        }
        try (Connection admin = connect("postgres"); Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
        }
    }

    /** CREATE TABLE statements for the dataset table and every dimension's record table. */
    static List<String> schema(DimensionUniverse universe) {
        List<String> ddl = new ArrayList<>();
        List<String> datasetColumns = new ArrayList<>(List.of("id serial PRIMARY KEY", "dataset_type text NOT NULL"));
        for (Dimension d : universe.dimensions()) {
            datasetColumns.add(q(d.name()) + " " + sqlType(d.keyType()));
            List<String> cols = new ArrayList<>();
            List<String> pk = new ArrayList<>();
            for (String req : d.requires()) {
                cols.add(q(req) + " " + sqlType(universe.get(req).keyType()) + " NOT NULL");
                pk.add(q(req));
            }
            cols.add(d.tableKeyColumn() + " " + sqlType(d.keyType()) + " NOT NULL");
            pk.add(d.tableKeyColumn());
            for (DimensionField f : d.fields()) {
                if (f.type() == org.lovoccs.butler.FieldType.TIMESPAN) {
                    cols.add(f.column() + "_begin timestamptz");
                    cols.add(f.column() + "_end timestamptz");
                } else {
                    cols.add(q(f.column()) + " " + sqlType(f.type()));
                }
            }
            cols.add("PRIMARY KEY (" + String.join(", ", pk) + ")");
            ddl.add("CREATE TABLE " + d.table() + " (" + String.join(", ", cols) + ")");
        }
        ddl.add("CREATE TABLE dataset (" + String.join(", ", datasetColumns) + ")");
        return ddl;
    }

    private static String q(String name) {
        return name.equals("group") ? "\"group\"" : name;
    }

    private static String sqlType(org.lovoccs.butler.FieldType t) {
        return switch (t) {
            case STRING -> "text";
            case INTEGER -> "bigint";
            case FLOAT -> "double precision";
            case TIME -> "timestamptz";
            case TIMESPAN -> throw new IllegalArgumentException("timespan is two columns");
        };
    }

    /** Runs the translated condition; converts $n placeholders to JDBC's ? (test only). */
    static List<String> query(String where, Map<String, ?> bind, String defaultInstrument) throws SQLException {
        SqlWhere w = TRANSLATOR.translate(where, bind, defaultInstrument);
        Matcher m = Pattern.compile("\\$(\\d+)").matcher(w.sql());
        StringBuilder sql = new StringBuilder();
        List<Object> args = new ArrayList<>();
        while (m.find()) {
            m.appendReplacement(sql, "?");
            args.add(w.parameters().get(Integer.parseInt(m.group(1)) - 1));
        }
        m.appendTail(sql);
        String select = "SELECT d.exposure, d.detector FROM dataset d " + w.joinClause() + " WHERE " + sql
                + " ORDER BY d.exposure, d.detector";
        try (PreparedStatement ps = conn.prepareStatement(select)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getLong(1) + "/" + rs.getLong(2));
                }
            }
            return rows;
        }
    }

    static long count(String table) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void seedExpressionsSelectTheRightRows() throws SQLException {
        assertEquals(List.of("1001/1", "1001/2", "1001/61"),
                query("instrument='DECam' AND band='r' AND exposure.day_obs=20220526", null, null));
        assertEquals(List.of("1001/1", "1002/1", "1003/1", "1004/1", "1001/2", "1002/2", "1003/2", "1004/2")
                        .stream().sorted().toList(),
                query("instrument='DECam' AND band IN ( 'g','r','i','z' ) AND detector NOT IN (61)", null, null));
        assertEquals(List.of("1001/1", "1003/1"),
                query("exposure IN (1001..1004:2) AND detector != 2 AND detector != 61", null, null));
    }

    @Test
    void recordFieldsTimesAndBinds() throws SQLException {
        assertEquals(List.of("1001/61", "1002/61", "1004/61"),
                query("exposure.observation_type = 'science' AND detector.full_name = 'N30'", null, null));
        assertEquals(List.of("1001/1", "1001/2", "1001/61"),
                query("exposure.timespan OVERLAPS T'2022-05-26T04:00:30'", null, null));
        assertEquals(List.of(), query("exposure.timespan OVERLAPS T'2022-05-26T04:01:30'", null, null));
        assertEquals(List.of("1003/1", "1003/2", "1003/61", "1004/1", "1004/2", "1004/61"),
                query("exposure.day_obs > 20221001", null, null));
        assertEquals(List.of("1003/1", "1003/2", "1003/61", "1004/1", "1004/2", "1004/61"),
                query("exposure.timespan.begin > T'2022-10-01T00:00:00'", null, null));
        assertEquals(List.of("1004/2"),
                query("exposure.timespan OVERLAPS (T'2022-10-02T01:30:00', T'2022-10-03T00:00:00') "
                        + "AND exposure.exposure_time > 100.5 AND detector.full_name = 'S30'", null, null));
        assertEquals(List.of("1001/61", "1004/61"),
                query("exposure IN (:ids) AND detector = det", Map.of("ids", List.of(1001, 1004), "det", 61), null));
        assertEquals(List.of("1002/1"), query("exposure % 2 = 0 AND exposure < 1003 AND detector = 1", null, null));
    }

    @Test
    void defaultInstrumentRestrictsRows() throws SQLException {
        assertEquals(3, query("exposure = 1001", null, "DECam").size());
        assertEquals(0, query("exposure = 1001", null, "HSC").size());
    }

    @Test
    void injectionAttemptsMatchNothingAndChangeNothing() throws SQLException {
        for (String where : List.of("band = 'x'' OR 1=1 --'", "band = '; DROP TABLE dataset; --'",
                "exposure.obs_id = 'x''; DELETE FROM exposure; --'",
                "detector.full_name IN ('S29'') OR (''a''=''a')")) {
            assertEquals(List.of(), query(where, null, null), where);
        }
        assertEquals(List.of(), query("band = :b", Map.of("b", "r' OR '1'='1"), null));
        assertEquals(List.of(), query("band IN (:b)", Map.of("b", List.of("'); DROP TABLE dataset; --")), null));
        assertEquals(12, count("dataset"));
        assertEquals(4, count("exposure"));
        assertEquals(3, count("detector"));
    }
}
