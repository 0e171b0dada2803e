package org.lovoccs.registry.butler;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.lovoccs.butler.sky.Pixelization;
import org.lovoccs.butler.sky.SkyRegion;

/**
 * Sky regions of visit detectors and of skymap patches, each stored with the HEALPix NESTED pixels (order
 * {@value #ORDER}, 3.4' pixels) it touches, so that "which patches does this visit overlap" is an indexed join on
 * pixel followed by an exact polygon test, not a loop over patches.
 */
@ApplicationScoped
public class SkyRegions {

    /** HEALPix order of the pixel index. */
    public static final int ORDER = 10;

    @Inject
    Butler butler;

    /** A visit detector's region. */
    public record VisitDetectorRegion(String instrument, long visit, int detector, Map<String, Object> region) {
    }

    /** A patch and its region; cell is the patch's (x, y) index in its tract. */
    public record PatchRegion(int id, int cellX, int cellY, Map<String, Object> region) {
    }

    /** A tract with its region and patches. */
    public record TractRegion(int id, Map<String, Object> region, List<PatchRegion> patches) {
    }

    /** A patch a region overlaps. */
    public record Overlap(String skymap, int tract, int patch, int detector) {
    }

    /** Registers (or replaces) visit-detector regions; returns the number of pixels indexed. */
    public int putVisitDetectorRegions(List<VisitDetectorRegion> regions) {
        return butler.inTransaction(c -> {
            int pixels = 0;
            for (VisitDetectorRegion r : regions) {
                SkyRegion region = parse(r.region());
                String json = region.toJson();
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO visit_detector_region (instrument,"
                        + " visit, detector, region) VALUES (?, ?, ?, ?) ON CONFLICT (instrument, visit, detector)"
                        + " DO UPDATE SET region = EXCLUDED.region")) {
                    ps.setString(1, r.instrument());
                    ps.setLong(2, r.visit());
                    ps.setInt(3, r.detector());
                    ps.setString(4, json);
                    ps.executeUpdate();
                }
                try (PreparedStatement del = c.prepareStatement("DELETE FROM visit_detector_region_pixel"
                        + " WHERE instrument = ? AND visit = ? AND detector = ?")) {
                    del.setString(1, r.instrument());
                    del.setLong(2, r.visit());
                    del.setInt(3, r.detector());
                    del.executeUpdate();
                }
                try (PreparedStatement ins = c.prepareStatement("INSERT INTO visit_detector_region_pixel (pixel,"
                        + " instrument, visit, detector) SELECT unnest(?::bigint[]), ?, ?, ?")) {
                    long[] cover = Pixelization.cover(region, ORDER);
                    ins.setArray(1, c.createArrayOf("bigint", box(cover)));
                    ins.setString(2, r.instrument());
                    ins.setLong(3, r.visit());
                    ins.setInt(4, r.detector());
                    pixels += ins.executeUpdate();
                }
            }
            return pixels;
        });
    }

    /** Registers a skymap with its tracts and patches (refused if the skymap exists). */
    public int putSkymap(String name, List<TractRegion> tracts) {
        return butler.inTransaction(c -> {
            int patchMaxX = 0;
            int patchMaxY = 0;
            for (TractRegion t : tracts) {
                for (PatchRegion p : t.patches()) {
                    patchMaxX = Math.max(patchMaxX, p.cellX() + 1);
                    patchMaxY = Math.max(patchMaxY, p.cellY() + 1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO skymap (name, tract_max, patch_nx_max,"
                    + " patch_ny_max) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, name);
                ps.setInt(2, tracts.size());
                ps.setInt(3, patchMaxX);
                ps.setInt(4, patchMaxY);
                ps.executeUpdate();
            } catch (java.sql.SQLException e) {
                if ("23505".equals(e.getSQLState())) {
                    throw ButlerException.conflict("skymap '" + name + "' is already registered");
                }
                throw e;
            }
            int patches = 0;
            for (TractRegion t : tracts) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO tract (skymap, id, region) VALUES (?, ?, ?)")) {
                    ps.setString(1, name);
                    ps.setInt(2, t.id());
                    ps.setString(3, parse(t.region()).toJson());
                    ps.executeUpdate();
                }
                for (PatchRegion p : t.patches()) {
                    SkyRegion region = parse(p.region());
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO patch (skymap, tract, id, cell_x,"
                            + " cell_y, region) VALUES (?, ?, ?, ?, ?, ?)")) {
                        ps.setString(1, name);
                        ps.setInt(2, t.id());
                        ps.setInt(3, p.id());
                        ps.setInt(4, p.cellX());
                        ps.setInt(5, p.cellY());
                        ps.setString(6, region.toJson());
                        ps.executeUpdate();
                    }
                    try (PreparedStatement ins = c.prepareStatement("INSERT INTO patch_pixel (pixel, skymap, tract,"
                            + " patch) SELECT unnest(?::bigint[]), ?, ?, ?")) {
                        ins.setArray(1, c.createArrayOf("bigint", box(Pixelization.cover(region, ORDER))));
                        ins.setString(2, name);
                        ins.setInt(3, t.id());
                        ins.setInt(4, p.id());
                        ins.executeUpdate();
                    }
                    patches++;
                }
            }
            return patches;
        });
    }

    /**
     * The patches of {@code skymap} that the detectors of a visit overlap (all detectors when {@code detector} is
     * null): candidates from the pixel index, confirmed by the exact polygon test.
     */
    public List<Overlap> overlaps(String instrument, long visit, Integer detector, String skymap) {
        return butler.withConnection(c -> {
            String sql = "SELECT DISTINCT pp.skymap, pp.tract, pp.patch, v.detector, pa.region, vr.region"
                    + " FROM visit_detector_region_pixel v"
                    + " JOIN patch_pixel pp ON pp.pixel = v.pixel"
                    + " JOIN patch pa ON pa.skymap = pp.skymap AND pa.tract = pp.tract AND pa.id = pp.patch"
                    + " JOIN visit_detector_region vr ON vr.instrument = v.instrument AND vr.visit = v.visit"
                    + " AND vr.detector = v.detector"
                    + " WHERE v.instrument = ? AND v.visit = ? AND pp.skymap = ?"
                    + (detector == null ? "" : " AND v.detector = ?")
                    + " ORDER BY pp.tract, pp.patch, v.detector";
            List<Overlap> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, instrument);
                ps.setLong(2, visit);
                ps.setString(3, skymap);
                if (detector != null) {
                    ps.setInt(4, detector);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        SkyRegion patch = SkyRegion.fromJson(rs.getString(5));
                        SkyRegion ccd = SkyRegion.fromJson(rs.getString(6));
                        if (patch.overlaps(ccd)) {
                            out.add(new Overlap(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getInt(4)));
                        }
                    }
                }
            }
            if (out.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT count(*) FROM visit_detector_region WHERE instrument = ? AND visit = ?")) {
                    ps.setString(1, instrument);
                    ps.setLong(2, visit);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getInt(1) == 0) {
                            throw ButlerException.notFound("no regions registered for " + instrument + " visit "
                                    + visit);
                        }
                    }
                }
            }
            return out;
        });
    }

    private static SkyRegion parse(Map<String, Object> region) {
        if (region == null) {
            throw ButlerException.badRequest("a region is required: {\"type\": \"polygon\", \"vertices\":"
                    + " [[ra, dec], ...]} or {\"type\": \"circle\", \"center\": [ra, dec], \"radius\": deg}");
        }
        try {
            return SkyRegion.fromJson(org.lovoccs.events.EventCodec.JSON.writeValueAsString(region));
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw ButlerException.badRequest("bad region " + region + ": " + e.getMessage());
        }
    }

    private static Long[] box(long[] v) {
        Long[] out = new Long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
