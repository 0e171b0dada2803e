package org.lovoccs.registry.butler;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.lovoccs.butler.sky.DecamFocalPlane;
import org.lovoccs.butler.sky.DiscreteSkyMap;
import org.lovoccs.butler.sky.SkyRegion;
import org.lovoccs.butler.sky.SphericalPolygon;
import org.lovoccs.events.EventCodec;
import org.lovoccs.objectstore.Checksums;
import org.lovoccs.objectstore.ObjectStore;

/**
 * register-skymap, define-visits and the bulk spatial join the quantum-graph planner uses.
 *
 * <p>The overlap runs here, in the registry, rather than in the planner: the candidate (visit, detector, tract,
 * patch) pairs come from one indexed SQL join on HEALPix pixel ({@code visit_detector_region_pixel} x
 * {@code patch_pixel}, order 10), so only pairs that share a 3.4' pixel ever leave the database, and each candidate is
 * then confirmed with the exact convex-polygon test on regions parsed once each. The planner receives the answer in
 * one round trip instead of every region of every visit and patch.
 */
@ApplicationScoped
public class Skymaps {

    /** The RUN register-skymap writes the skyMap dataset to (LSST's default). */
    public static final String SKYMAP_RUN = "skymaps";

    @Inject
    Butler butler;

    @Inject
    SkyRegions regions;

    @Inject
    Datastore datastore;

    @Inject
    ObjectStore store;

    @ConfigProperty(name = "lovoccs.repo-bucket")
    String repoBucket;

    /** What register-skymap made. */
    public record Registered(String name, String run, int tracts, int patches, int patchesPerSide, String datasetUri,
                             Map<String, Object> config) {
    }

    /**
     * Registers a discrete skymap: its tract and patch records with regions and pixels, the config, and the
     * skyMap dataset (the config as JSON in the repository bucket) in RUN {@value #SKYMAP_RUN}.
     */
    public Registered register(String name, DiscreteSkyMap map, String run) {
        String skymapRun = run == null || run.isBlank() ? SKYMAP_RUN : run;
        if (!name.matches("[A-Za-z0-9_.\\-]+")) {
            throw ButlerException.badRequest("skymap name '" + name + "' may hold only letters, digits, '_', '.', '-'"
                    + " (the seed's convention is <CLUSTER>_skymap, e.g. A85_skymap)");
        }
        boolean exists = butler.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM skymap WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
        if (exists) {
            throw ButlerException.conflict("skymap '" + name + "' is already registered");
        }
        Map<String, Object> config = map.config();
        byte[] json = EventCodec.toJson(config).getBytes(StandardCharsets.UTF_8);
        // the skyMap file first: a failed write leaves no skymap records behind
        String key = skymapRun + "/skyMap/skymap_" + name + "/skyMap_" + name + ".json";
        store.ensureBucket(repoBucket);
        store.put(repoBucket, key, json, "application/json", Map.of());
        List<SkyRegions.PatchRegion> patches = new ArrayList<>();
        for (DiscreteSkyMap.Patch p : map.patches()) {
            patches.add(new SkyRegions.PatchRegion(p.id(), p.x(), p.y(), polygon(p.region())));
        }
        int n = regions.putSkymap(name, List.of(new SkyRegions.TractRegion(0, polygon(map.tractRegion()), patches)));
        butler.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE skymap SET config = ?::jsonb, hash = ? WHERE name"
                    + " = ?")) {
                ps.setString(1, new String(json, StandardCharsets.UTF_8));
                ps.setString(2, Checksums.sha256(json));
                ps.setString(3, name);
                ps.executeUpdate();
            }
            return null;
        });
        String uri = "s3://" + repoBucket + "/" + key;
        datastore.register("skyMap", skymapRun, List.of(new Datastore.Registered(Map.of("skymap", name), uri,
                (long) json.length, Checksums.sha256(json))));
        return new Registered(name, skymapRun, 1, n, map.patchesPerSide(), uri, config);
    }

    /** The registered skymaps with their configs and patch counts. */
    public List<Map<String, Object>> list() {
        return butler.withConnection(c -> {
            List<Map<String, Object>> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT s.name, s.tract_max, s.patch_nx_max, s.patch_ny_max,"
                    + " s.config::text, (SELECT count(*) FROM patch p WHERE p.skymap = s.name) FROM skymap s"
                    + " ORDER BY s.name"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", rs.getString(1));
                    m.put("tracts", rs.getInt(2));
                    m.put("patchNx", rs.getInt(3));
                    m.put("patchNy", rs.getInt(4));
                    m.put("patches", rs.getLong(6));
                    m.put("config", rs.getString(5) == null ? null : EventCodec.JSON.readValue(rs.getString(5),
                            Map.class));
                    out.add(m);
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new ButlerException(500, "bad skymap config in the registry: " + e.getMessage());
            }
            return out;
        });
    }

    /** A visit to define: one DECam exposure at a pointing (the raw's TELRA/TELDEC), with its filter. */
    public record VisitDefinition(long visit, String physicalFilter, String band, int dayObs, double ra, double dec,
                                  Double exposureTime, String targetName) {
    }

    /** What define-visits did. */
    public record Defined(int visits, int detectorRegions, int pixels) {
    }

    /**
     * define-visits from exposure records: one visit per science exposure (visit id = exposure id, as DECam's
     * one-to-one visit system), with the 62 science CCDs' regions from the raw WCS at the exposure's tracking RA/Dec.
     * Exposures without a position are skipped and counted in the error when none has one.
     */
    public Defined defineFromExposures(String instrument, String where, Map<String, Object> bind) {
        List<VisitDefinition> defs = butler.withConnection(c -> {
            WhereClause w = WhereClause.compile(where, bind, null);
            String sql = "SELECT d.id, d.physical_filter, d.band, d.day_obs, d.tracking_ra, d.tracking_dec,"
                    + " d.exposure_time, d.target_name FROM (" + DimensionRecords.view("exposure") + ") d " + w.joins()
                    + " WHERE d.instrument = ? AND coalesce(d.observation_type, 'science') IN ('science', 'object')"
                    + " AND d.tracking_ra IS NOT NULL AND d.tracking_dec IS NOT NULL" + w.andSql();
            List<VisitDefinition> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, instrument);
                w.bindTo(ps, 2);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new VisitDefinition(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                                rs.getDouble(5), rs.getDouble(6), rs.getObject(7) == null ? null : rs.getDouble(7),
                                rs.getString(8)));
                    }
                }
            }
            return out;
        });
        if (defs.isEmpty()) {
            throw ButlerException.notFound("no science exposures with a pointing (tracking_ra, tracking_dec) match"
                    + (where == null || where.isBlank() ? "" : " '" + where + "'") + " for " + instrument
                    + "; ingest raws first ('./lovoccs butler query-dimension-records exposure')");
        }
        return define(instrument, defs);
    }

    /** Inserts (or replaces) visit records and their detector regions. */
    public Defined define(String instrument, List<VisitDefinition> visits) {
        if (!"DECam".equals(instrument)) {
            throw ButlerException.badRequest("define-visits knows the focal plane of DECam only, not '" + instrument
                    + "'");
        }
        List<SkyRegions.VisitDetectorRegion> regionRows = new ArrayList<>();
        butler.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO visit (instrument, id, physical_filter, band,"
                    + " day_obs, exposure_time, target_name, region) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (instrument, id) DO UPDATE SET physical_filter = EXCLUDED.physical_filter,"
                    + " band = EXCLUDED.band, day_obs = EXCLUDED.day_obs, exposure_time = EXCLUDED.exposure_time,"
                    + " target_name = EXCLUDED.target_name, region = EXCLUDED.region")) {
                for (VisitDefinition v : visits) {
                    if (v.band() == null || v.physicalFilter() == null) {
                        throw ButlerException.badRequest("visit " + v.visit() + " needs band and physicalFilter");
                    }
                    ps.setString(1, instrument);
                    ps.setLong(2, v.visit());
                    ps.setString(3, v.physicalFilter());
                    ps.setString(4, v.band());
                    ps.setInt(5, v.dayObs());
                    ps.setObject(6, v.exposureTime());
                    ps.setString(7, v.targetName());
                    ps.setString(8, EventCodec.toJson(Map.of("type", "circle", "center", List.of(v.ra(), v.dec()),
                            "radius", 1.2)));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
        for (VisitDefinition v : visits) {
            for (int ccd : DecamFocalPlane.scienceCcds().keySet()) {
                regionRows.add(new SkyRegions.VisitDetectorRegion(instrument, v.visit(), ccd,
                        polygon(DecamFocalPlane.detectorRegion(ccd, v.ra(), v.dec()))));
            }
        }
        int pixels = regions.putVisitDetectorRegions(regionRows);
        return new Defined(visits.size(), regionRows.size(), pixels);
    }

    /** One (visit, detector) x (tract, patch) overlap. */
    public record Overlap(long visit, int detector, int tract, int patch) {
    }

    /**
     * The patches of {@code skymap} overlapped by the detectors of {@code visits}: candidates from the pixel join,
     * confirmed by the exact polygon test. Visits without regions are named in a 404 (define-visits first).
     */
    public List<Overlap> overlaps(String instrument, String skymap, List<Long> visits) {
        return butler.withConnection(c -> {
            Long[] ids = visits.toArray(Long[]::new);
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM skymap WHERE name = ?")) {
                ps.setString(1, skymap);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw ButlerException.notFound("skymap '" + skymap + "' is not registered"
                                + " ('./lovoccs butler register-skymap')");
                    }
                }
            }
            Map<Long, Map<Integer, SkyRegion>> ccd = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT visit, detector, region FROM visit_detector_region"
                    + " WHERE instrument = ? AND visit = ANY (?)")) {
                ps.setString(1, instrument);
                ps.setArray(2, c.createArrayOf("bigint", ids));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ccd.computeIfAbsent(rs.getLong(1), k -> new HashMap<>()).put(rs.getInt(2),
                                SkyRegion.fromJson(rs.getString(3)));
                    }
                }
            }
            List<Long> without = visits.stream().filter(v -> !ccd.containsKey(v)).distinct().toList();
            if (!without.isEmpty()) {
                throw ButlerException.notFound(without.size() + " of " + visits.size() + " visits have no detector"
                        + " regions, e.g. " + without.subList(0, Math.min(5, without.size())) + "; define them with"
                        + " './lovoccs butler define-visits'");
            }
            Map<Long, SkyRegion> patch = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT tract, id, region FROM patch WHERE skymap = ?")) {
                ps.setString(1, skymap);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        patch.put(((long) rs.getInt(1) << 32) | rs.getInt(2), SkyRegion.fromJson(rs.getString(3)));
                    }
                }
            }
            List<Overlap> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT v.visit, v.detector, pp.tract, pp.patch"
                    + " FROM visit_detector_region_pixel v JOIN patch_pixel pp ON pp.pixel = v.pixel AND pp.skymap = ?"
                    + " WHERE v.instrument = ? AND v.visit = ANY (?)"
                    + " ORDER BY v.visit, pp.tract, pp.patch, v.detector")) {
                ps.setString(1, skymap);
                ps.setString(2, instrument);
                ps.setArray(3, c.createArrayOf("bigint", ids));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long v = rs.getLong(1);
                        int d = rs.getInt(2);
                        int t = rs.getInt(3);
                        int p = rs.getInt(4);
                        SkyRegion pr = patch.get(((long) t << 32) | p);
                        if (pr != null && pr.overlaps(ccd.get(v).get(d))) {
                            out.add(new Overlap(v, d, t, p));
                        }
                    }
                }
            }
            return out;
        });
    }

    private static Map<String, Object> polygon(SphericalPolygon p) {
        List<List<Double>> v = new ArrayList<>();
        for (double[] x : p.vertices()) {
            v.add(List.of(x[0], x[1]));
        }
        return Map.of("type", "polygon", "vertices", v);
    }

}
