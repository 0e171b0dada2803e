package org.lovoccs.butler.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table-driven tests of parsing and translating the where language. */
class WhereTranslationTest {

    private static final SqlTranslator TRANSLATOR = new SqlTranslator();

    static final String J_EXPOSURE =
            "JOIN exposure dim_exposure ON dim_exposure.instrument = d.instrument AND dim_exposure.id = d.exposure";
    static final String J_DETECTOR =
            "JOIN detector dim_detector ON dim_detector.instrument = d.instrument AND dim_detector.id = d.detector";
    static final String J_VISIT = "JOIN visit dim_visit ON dim_visit.instrument = d.instrument AND dim_visit.id = d.visit";
    static final String J_DAY_OBS =
            "JOIN day_obs dim_day_obs ON dim_day_obs.instrument = d.instrument AND dim_day_obs.id = d.day_obs";
    static final String J_FILTER = "JOIN physical_filter dim_physical_filter ON dim_physical_filter.instrument = "
            + "d.instrument AND dim_physical_filter.name = d.physical_filter";
    static final String J_PATCH =
            "JOIN patch dim_patch ON dim_patch.skymap = d.skymap AND dim_patch.tract = d.tract AND dim_patch.id = d.patch";
    static final String J_INSTRUMENT = "JOIN instrument dim_instrument ON dim_instrument.name = d.instrument";

    static OffsetDateTime t(String iso) {
        return OffsetDateTime.parse(iso);
    }

    static Arguments ok(String where, String sql, List<?> params, String... joins) {
        return Arguments.of(where, Map.of(), sql, params, List.of(joins));
    }

    static Arguments okBind(String where, Map<String, ?> bind, String sql, List<?> params, String... joins) {
        return Arguments.of(where, bind, sql, params, List.of(joins));
    }

    static Stream<Arguments> valid() {
        return Stream.of(
                // the seed's own expressions
                ok("instrument='DECam' AND patch=66 AND band='r' AND skymap='A85_skymap'",
                        "d.instrument = $1 AND d.patch = $2 AND d.band = $3 AND d.skymap = $4",
                        List.of("DECam", 66L, "r", "A85_skymap")),
                ok("instrument='DECam' AND band='r' AND exposure.day_obs=20220526",
                        "d.instrument = $1 AND d.band = $2 AND dim_exposure.day_obs = $3",
                        List.of("DECam", "r", 20220526L), J_EXPOSURE),
                ok("instrument='DECam' AND band IN\n   ( 'g', 'r', 'i', 'z' )",
                        "d.instrument = $1 AND d.band IN ($2, $3, $4, $5)", List.of("DECam", "g", "r", "i", "z")),
                ok("instrument='DECam' AND band IN ( 'g','r','i','z' )",
                        "d.instrument = $1 AND d.band IN ($2, $3, $4, $5)", List.of("DECam", "g", "r", "i", "z")),
                ok("instrument='DECam' AND exposure IN (1007, 1008, 1010)",
                        "d.instrument = $1 AND d.exposure IN ($2, $3, $4)", List.of("DECam", 1007L, 1008L, 1010L)),
                // reference catalogue shards: htm7 needs no instrument and joins nothing
                ok("htm7 IN (163840, 163841)", "d.htm7 IN ($1, $2)", List.of(163840L, 163841L)),
                ok("band='r'", "d.band = $1", List.of("r")),
                ok("instrument = \"DECam\"", "d.instrument = $1", List.of("DECam")),
                // ranges
                ok("visit IN (1..100:2)", "(d.visit BETWEEN $1 AND $2 AND (d.visit - $1) % $3 = 0)",
                        List.of(1L, 100L, 2L)),
                ok("visit IN (1..10)", "d.visit BETWEEN $1 AND $2", List.of(1L, 10L)),
                ok("visit in (-5..5:5)", "(d.visit BETWEEN $1 AND $2 AND (d.visit - $1) % $3 = 0)",
                        List.of(-5L, 5L, 5L)),
                ok("exposure IN (5, 10..20, 30..40:5)",
                        "(d.exposure IN ($1) OR d.exposure BETWEEN $2 AND $3 OR (d.exposure BETWEEN $4 AND $5 AND "
                                + "(d.exposure - $4) % $6 = 0))", List.of(5L, 10L, 20L, 30L, 40L, 5L)),
                ok("detector NOT IN (2, 61)", "d.detector NOT IN ($1, $2)", List.of(2L, 61L)),
                ok("visit NOT IN (1..10)", "NOT (d.visit BETWEEN $1 AND $2)", List.of(1L, 10L)),
                ok("tract = 9813 AND patch IN (1..5)", "d.tract = $1 AND d.patch BETWEEN $2 AND $3",
                        List.of(9813L, 1L, 5L)),
                // comparisons
                ok("exposure.day_obs > 20221001", "dim_exposure.day_obs > $1", List.of(20221001L), J_EXPOSURE),
                ok("detector != 2 AND detector != 61", "d.detector <> $1 AND d.detector <> $2", List.of(2L, 61L)),
                ok("detector <> 2", "d.detector <> $1", List.of(2L)),
                ok("detector = -1", "d.detector = $1", List.of(-1L)),
                ok("day_obs <= 20221001", "d.day_obs <= $1", List.of(20221001L)),
                ok("exposure.exposure_time > 30.5", "dim_exposure.exposure_time > $1", List.of(30.5), J_EXPOSURE),
                ok("exposure.exposure_time >= 30", "dim_exposure.exposure_time >= $1", List.of(30L), J_EXPOSURE),
                ok("exposure.obs_id = 'ct4m20220526t040000'", "dim_exposure.obs_id = $1",
                        List.of("ct4m20220526t040000"), J_EXPOSURE),
                ok("visit.id = 5 AND band.name = 'r'", "d.visit = $1 AND d.band = $2", List.of(5L, "r")),
                ok("group = 'g1' AND exposure.group = 'g2'", "d.\"group\" = $1 AND dim_exposure.\"group\" = $2",
                        List.of("g1", "g2"), J_EXPOSURE),
                ok("detector.full_name = 'S1'", "dim_detector.full_name = $1", List.of("S1"), J_DETECTOR),
                ok("physical_filter.band = 'r'", "dim_physical_filter.band = $1", List.of("r"), J_FILTER),
                ok("patch.cell_x = 3", "dim_patch.cell_x = $1", List.of(3L), J_PATCH),
                ok("instrument.detector_max > 60", "dim_instrument.detector_max > $1", List.of(60L), J_INSTRUMENT),
                ok("visit.exposure_time > 10 AND detector.purpose = 'SCIENCE' AND exposure.seq_num = 3",
                        "dim_visit.exposure_time > $1 AND dim_detector.purpose = $2 AND dim_exposure.seq_num = $3",
                        List.of(10L, "SCIENCE", 3L), J_DETECTOR, J_EXPOSURE, J_VISIT),
                // arithmetic
                ok("visit % 2 = 0", "(d.visit % $1) = $2", List.of(2L, 0L)),
                ok("exposure.seq_num + 1 > 2 * 5", "(dim_exposure.seq_num + $1) > ($2 * $3)", List.of(1L, 2L, 5L),
                        J_EXPOSURE),
                ok("-visit < -3", "(-d.visit) < $1", List.of(-3L)),
                // logic and precedence
                ok("exposure.observation_type = 'science' OR exposure.observation_type = 'dark'",
                        "dim_exposure.observation_type = $1 OR dim_exposure.observation_type = $2",
                        List.of("science", "dark"), J_EXPOSURE),
                ok("(band = 'g' OR band = 'r') AND visit > 100", "(d.band = $1 OR d.band = $2) AND d.visit > $3",
                        List.of("g", "r", 100L)),
                ok("band = 'g' or band = 'r' and visit = 1", "d.band = $1 OR d.band = $2 AND d.visit = $3",
                        List.of("g", "r", 1L)),
                ok("NOT band = 'g'", "NOT d.band = $1", List.of("g")),
                ok("not (band = 'g' OR band = 'r') AnD visit = 1", "NOT (d.band = $1 OR d.band = $2) AND d.visit = $3",
                        List.of("g", "r", 1L)),
                ok("((visit = 1))", "d.visit = $1", List.of(1L)),
                // times
                ok("exposure.timespan.begin > T'2022-10-01T00:00:00'", "dim_exposure.timespan_begin > $1",
                        List.of(t("2022-10-01T00:00:00Z")), J_EXPOSURE),
                ok("T'2022-10-01T00:00:00/tai' < exposure.timespan.end", "$1 < dim_exposure.timespan_end",
                        List.of(t("2022-09-30T23:59:23Z")), J_EXPOSURE),
                ok("exposure.timespan.begin >= T'mjd/59853.0'", "dim_exposure.timespan_begin >= $1",
                        List.of(t("2022-09-30T23:59:23Z")), J_EXPOSURE),
                ok("exposure.timespan.begin >= T'59853.5/utc'", "dim_exposure.timespan_begin >= $1",
                        List.of(t("2022-10-01T12:00:00Z")), J_EXPOSURE),
                ok("exposure.timespan.begin < t'2022:274:06:30:00'", "dim_exposure.timespan_begin < $1",
                        List.of(t("2022-10-01T06:30:00Z")), J_EXPOSURE),
                ok("exposure.timespan OVERLAPS T'2022-10-01 03:00:00.25'",
                        "(dim_exposure.timespan_begin <= $1 AND $1 < dim_exposure.timespan_end)",
                        List.of(t("2022-10-01T03:00:00.25Z")), J_EXPOSURE),
                ok("visit.timespan overlaps (T'2022-10-01T00:00:00', T'2022-10-02T00:00:00')",
                        "(dim_visit.timespan_begin < $2 AND $1 < dim_visit.timespan_end)",
                        List.of(t("2022-10-01T00:00:00Z"), t("2022-10-02T00:00:00Z")), J_VISIT),
                ok("exposure.timespan OVERLAPS visit.timespan",
                        "(dim_exposure.timespan_begin < dim_visit.timespan_end AND dim_visit.timespan_begin < "
                                + "dim_exposure.timespan_end)", List.of(), J_EXPOSURE, J_VISIT),
                ok("day_obs.timespan OVERLAPS T'2022-10-01T12:00:00'",
                        "(dim_day_obs.timespan_begin <= $1 AND $1 < dim_day_obs.timespan_end)",
                        List.of(t("2022-10-01T12:00:00Z")), J_DAY_OBS),
                // bind values
                okBind("visit = :v", Map.of("v", 42), "d.visit = $1", List.of(42L)),
                okBind("visit IN (:ids)", Map.of("ids", List.of(1, 2, 3)), "d.visit IN ($1, $2, $3)",
                        List.of(1L, 2L, 3L)),
                okBind("visit IN (:ids, 7..9)", Map.of("ids", new long[] {1, 2}),
                        "(d.visit IN ($1, $2) OR d.visit BETWEEN $3 AND $4)", List.of(1L, 2L, 7L, 9L)),
                okBind("visit IN (:ids)", Map.of("ids", List.of()), "FALSE", List.of()),
                okBind("band = my_band AND visit IN (ids)", Map.of("my_band", "r", "ids", List.of(5L)),
                        "d.band = $1 AND d.visit IN ($2)", List.of("r", 5L)),
                okBind("exposure.timespan.begin > :since", Map.of("since", java.time.Instant.parse("2022-10-01T00:00:00Z")),
                        "dim_exposure.timespan_begin > $1", List.of(t("2022-10-01T00:00:00Z")), J_EXPOSURE));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("valid")
    void translatesValidExpressions(String where, Map<String, ?> bind, String sql, List<?> params, List<String> joins) {
        SqlWhere result = TRANSLATOR.translate(WhereParser.parse(where), bind, null);
        assertEquals(sql, result.sql(), where);
        assertEquals(params, result.parameters(), where);
        assertEquals(joins, List.copyOf(result.joins()), where);
        assertFalse(result.sql().matches(".*'.*"), "no quoted literal in SQL: " + result.sql());
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("", 1, "empty", true),
                Arguments.of("instrument='DECam' AND AND band='r'", 24, "unexpected 'AND'; expected a value", true),
                Arguments.of("band = 'r", 8, "unterminated string", true),
                Arguments.of("exposure; DROP TABLE x", 9, "unexpected character ';'", true),
                Arguments.of("visit IN (1..10:0)", 17, "stride must be at least 1", true),
                Arguments.of("visit IN (10..1)", 11, "is empty", true),
                Arguments.of("visit =", 8, "unexpected end of expression", true),
                Arguments.of("visit = 1 visit = 2", 11, "unexpected 'visit'", true),
                Arguments.of("(visit = 1", 11, "')'", true),
                Arguments.of("visit < 3 < 4", 11, "unexpected '<'", true),
                Arguments.of("T'2022-13-01T00:00:00' < visit.timespan.begin", 1, "bad time literal", true),
                Arguments.of("visit.timespan.begin < T'2022-10-01/xyz'", 24, "unknown time scale 'xyz'", true),
                Arguments.of("a.b.c.d = 1", 1, "too many parts", true),
                Arguments.of("\"dataset\".x = 1", 10, "unexpected character '.'", true),
                Arguments.of("exposure = 'abc'", 1,
                        "exposure is an integer (key of dimension exposure), but 'abc' is a string literal", false),
                Arguments.of("band = 'r' AND exposure.day_obs > T'2022-10-01T00:00:00'", 16,
                        "exposure.day_obs is an integer, but T'2022-10-01T00:00:00' is a time literal", false),
                Arguments.of("exposure.timespan.begin > 5", 1,
                        "exposure.timespan.begin is a time, but 5 is an integer literal", false),
                Arguments.of("exposure.timespan = T'2022-10-01T00:00:00'", 1, "compare timespans with OVERLAPS", false),
                Arguments.of("exposur = 5", 1, "unknown name 'exposur'; did you mean 'exposure'?", false),
                Arguments.of("exposure.observation_typ = 'science'", 10,
                        "dimension exposure has no field 'observation_typ'; did you mean 'observation_type'?", false),
                Arguments.of("detector.name = 'S1'", 10, "valid fields of detector: id, full_name", false),
                Arguments.of("dataset = 1", 1, "unknown name 'dataset'", false),
                Arguments.of("visit = 1 AND expo.id = 3", 15, "unknown dimension 'expo'", false),
                Arguments.of("visit = :nope", 9, "unknown bind name ':nope'", false),
                Arguments.of("band IN (1..5)", 10, "need an integer on the left of IN, but band is a string", false),
                Arguments.of("visit", 1, "not a condition", false),
                Arguments.of("\"dataset\"", 1, "not a condition", false),
                Arguments.of("band = 'r' AND 5", 16, "AND needs a condition", false),
                Arguments.of("visit.timespan.middle OVERLAPS T'2022-10-01T00:00:00'", 16, "has no part 'middle'", false),
                Arguments.of("band % 2 = 1", 1, "needs a number, but band is a string", false),
                Arguments.of("visit.day_obs OVERLAPS T'2022-10-01T00:00:00'", 1, "OVERLAPS needs timespans or times", false));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalid")
    void rejectsInvalidExpressions(String where, int column, String fragment, boolean syntax) {
        WhereException e = assertThrows(WhereException.class,
                () -> TRANSLATOR.translate(WhereParser.parse(where), Map.of("ids", List.of(1)), null));
        assertEquals(syntax, e instanceof WhereSyntaxException, e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in:\n" + e.getMessage());
        assertEquals(column, e.column(), e.getMessage());
        // the message quotes the expression's line and has a caret under the column
        String[] lines = e.getMessage().split("\n");
        String caretLine = lines[lines.length - 1];
        assertEquals(column + 1, caretLine.indexOf('^'), e.getMessage());
        assertTrue(e.getMessage().startsWith("column " + column + ": "), e.getMessage());
    }

    @Test
    void syntaxErrorMessageLooksLikeACompilers() {
        WhereSyntaxException e = assertThrows(WhereSyntaxException.class,
                () -> WhereParser.parse("instrument='DECam' AND AND band='r'"));
        assertEquals("""
                column 24: syntax error: unexpected 'AND'; expected a value (name, 'string', number, T'time' or :bind), \
                NOT or '('
                  instrument='DECam' AND AND band='r'
                                         ^^^""", e.getMessage());
    }

    @Test
    void multiLineExpressionsReportLineAndColumn() {
        WhereException e = assertThrows(WhereException.class,
                () -> TRANSLATOR.translate("instrument='DECam'\n  AND bnd = 'r'", Map.of(), null));
        assertEquals(2, e.line());
        assertEquals(7, e.column());
        assertTrue(e.getMessage().startsWith("line 2, column 7: unknown name 'bnd'; did you mean 'band'?"), e.getMessage());
        assertTrue(e.getMessage().endsWith("\n    AND bnd = 'r'\n        ^^^"), e.getMessage());
    }

    @Test
    void unknownNameListsValidNamesIncludingBindNames() {
        WhereException e = assertThrows(WhereException.class,
                () -> TRANSLATOR.translate("visit = vist_id", Map.of("visit_id", 5), null));
        assertTrue(e.getMessage().contains("did you mean 'visit_id'?"), e.getMessage());
        assertTrue(e.getMessage().contains("Valid dimensions and bind names: instrument, band, physical_filter, "
                + "detector, day_obs, group, exposure, visit, skymap, tract, patch, htm7, visit_id"), e.getMessage());
    }

    @Test
    void listBindOutsideInIsRejected() {
        WhereException e = assertThrows(WhereException.class,
                () -> TRANSLATOR.translate("visit = :ids", Map.of("ids", List.of(1, 2)), null));
        assertTrue(e.getMessage().contains("lists may only be used inside IN"), e.getMessage());
        assertEquals(9, e.column());
    }

    @Test
    void defaultInstrumentIsAddedOnlyWhenNeededAndMissing() {
        assertEquals(new SqlWhere("d.exposure = $1 AND d.instrument = $2", List.of(5L, "DECam"), java.util.Set.of()),
                TRANSLATOR.translate("exposure = 5", null, "DECam"));
        assertEquals(new SqlWhere("(d.visit = $1 OR d.visit = $2) AND d.instrument = $3", List.of(1L, 2L, "DECam"),
                java.util.Set.of()), TRANSLATOR.translate("visit = 1 OR visit = 2", null, "DECam"));
        assertEquals("d.band = $1", TRANSLATOR.translate("band = 'r'", null, "DECam").sql());
        assertEquals("d.tract = $1", TRANSLATOR.translate("tract = 1", null, "DECam").sql());
        assertEquals("d.instrument = $1 AND d.visit = $2",
                TRANSLATOR.translate("instrument = 'HSC' AND visit = 1", null, "DECam").sql());
    }

    @Test
    void parserBuildsImmutableTree() {
        Expression e = WhereParser.parse("exposure.timespan.begin > T'2022-10-01T00:00:00' AND visit IN (1..9:2, 20)");
        Expression.And and = assertInstanceOf(Expression.And.class, e);
        Expression.Comparison c = assertInstanceOf(Expression.Comparison.class, and.operands().get(0));
        Expression.Identifier id = assertInstanceOf(Expression.Identifier.class, c.left());
        assertEquals(List.of("exposure", "timespan", "begin"), Arrays.asList(id.dimension(), id.field(), id.column()));
        assertEquals(Expression.CompareOp.GT, c.op());
        Expression.InList in = assertInstanceOf(Expression.InList.class, and.operands().get(1));
        assertEquals(1, ((Range) in.items().get(0)).start());
        assertEquals(9, ((Range) in.items().get(0)).stop());
        assertEquals(2, ((Range) in.items().get(0)).stride());
        assertEquals(20L, ((Expression.NumberLit) in.items().get(1)).value());
        assertThrows(UnsupportedOperationException.class, () -> and.operands().add(c));
        assertEquals(54, in.span().column());
    }

    @Test
    void nothingIsPrintedToStandardError() {
        java.io.PrintStream old = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured));
        try {
            for (String bad : List.of("visit = = 1", "band = 'r", "visit ; 1", "(((", "visit IN ()")) {
                assertThrows(WhereSyntaxException.class, () -> WhereParser.parse(bad));
            }
        } finally {
            System.setErr(old);
        }
        assertEquals("", captured.toString());
    }

    // ---- injection ---------------------------------------------------------------------------------

    static Stream<Arguments> injectedLiterals() {
        return Stream.of(
                Arguments.of("band = 'x'' OR 1=1 --'", "x' OR 1=1 --"),
                Arguments.of("band = '; DROP TABLE dataset; --'", "; DROP TABLE dataset; --"),
                Arguments.of("band = \"x\"\" OR \"\"1\"\"=\"\"1\"", "x\" OR \"1\"=\"1"),
                Arguments.of("instrument IN ('DECam', 'x'') OR (''a''=''a')", "x') OR ('a'='a"),
                Arguments.of("exposure.obs_id = '$1 OR TRUE'", "$1 OR TRUE"),
                Arguments.of("detector.full_name = 'a\\'' ; SELECT pg_sleep(10); --'", "a\\' ; SELECT pg_sleep(10); --"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("injectedLiterals")
    void injectedLiteralsBecomeParameters(String where, String value) {
        SqlWhere result = TRANSLATOR.translate(where, Map.of(), null);
        assertTrue(result.parameters().contains(value), result.parameters().toString());
        assertNoUserText(result, value);
    }

    @Test
    void injectedBindValuesBecomeParameters() {
        String value = "r' OR '1'='1'; DROP TABLE dataset; --";
        SqlWhere result = TRANSLATOR.translate("band = :b OR band IN (:bs)", Map.of("b", value, "bs", List.of(value)),
                null);
        assertEquals(List.of(value, value), result.parameters());
        assertEquals("d.band = $1 OR d.band IN ($2)", result.sql());
        assertNoUserText(result, value);
    }

    static void assertNoUserText(SqlWhere result, String value) {
        String everything = result.sql() + " " + result.joinClause();
        for (String bad : List.of("'", "\"x", "--", ";", "DROP", "pg_sleep", "OR 1=1", "TRUE", value)) {
            if (!bad.isEmpty() && !(bad.equals("TRUE") && everything.equals("TRUE"))) {
                assertFalse(everything.contains(bad), "SQL contains '" + bad + "': " + everything);
            }
        }
    }

    static Stream<Arguments> injectedNames() {
        return Stream.of(
                Arguments.of("exposure; DROP TABLE x", true),
                Arguments.of("visit = 1; DROP TABLE dataset", true),
                Arguments.of("visit = 1) OR (1=1", true),
                Arguments.of("\"dataset\"", false),
                Arguments.of("\"dataset\" = 1", false),
                Arguments.of("dataset.id = 1", false),
                Arguments.of("d.instrument = 'DECam'", false),
                Arguments.of("pg_catalog.pg_tables = 1", false),
                Arguments.of("exposure.id--comment = 1", false),
                Arguments.of("visit = 1 /* x */", true),
                Arguments.of("`dataset` = 1", true),
                Arguments.of("visit = 1 UNION SELECT 1", true));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("injectedNames")
    void injectedNamesAreRejected(String where, boolean syntax) {
        WhereException e = assertThrows(WhereException.class, () -> TRANSLATOR.translate(where, Map.of(), null));
        assertEquals(syntax, e instanceof WhereSyntaxException, e.getMessage());
    }
}
