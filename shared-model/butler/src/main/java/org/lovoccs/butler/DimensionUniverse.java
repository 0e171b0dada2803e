package org.lovoccs.butler;

import static org.lovoccs.butler.FieldType.FLOAT;
import static org.lovoccs.butler.FieldType.INTEGER;
import static org.lovoccs.butler.FieldType.STRING;
import static org.lovoccs.butler.FieldType.TIMESPAN;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dimensions LoVoCCS uses: the subset of daf_butler's default universe that DECam processing
 * needs (instrument, band, physical_filter, detector, day_obs, group, exposure, visit, skymap,
 * tract, patch, and the htm7 sky pixelization of reference catalogues), described statically in code.
 *
 * <p>{@link #dimensions()} lists them in a fixed order in which every dimension comes after the
 * dimensions it requires or implies; code that must be deterministic (e.g. the order of SQL joins)
 * follows it.
 */
public final class DimensionUniverse {

    private static final DimensionUniverse DEFAULT = buildDefault();

    private final Map<String, Dimension> byName;

    /**
     * A universe of the given dimensions, in the given order. Every dimension named in a
     * {@code requires} or {@code implies} list must come earlier.
     */
    public DimensionUniverse(List<Dimension> dimensions) {
        Map<String, Dimension> map = new LinkedHashMap<>();
        for (Dimension d : dimensions) {
            for (String dep : concat(d.requires(), d.implies())) {
                if (!map.containsKey(dep)) {
                    throw new IllegalArgumentException("dimension " + d.name() + " refers to " + dep
                            + ", which is not defined before it");
                }
            }
            if (map.put(d.name(), d) != null) {
                throw new IllegalArgumentException("dimension " + d.name() + " is defined twice");
            }
        }
        this.byName = Collections.unmodifiableMap(map);
    }

    /** The LoVoCCS universe (a daf_butler default-universe subset). */
    public static DimensionUniverse defaultUniverse() {
        return DEFAULT;
    }

    /** All dimensions, dependencies first. */
    public List<Dimension> dimensions() {
        return List.copyOf(byName.values());
    }

    /** All dimension names, in {@link #dimensions()} order. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /** The dimension with this name, if any. */
    public Optional<Dimension> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * The dimension with this name.
     *
     * @throws UnknownNameException listing the dimensions and suggesting the closest one
     */
    public Dimension get(String name) {
        Dimension d = byName.get(name);
        if (d == null) {
            throw UnknownNameException.of("unknown dimension '" + name + "'", name, "dimensions", names());
        }
        return d;
    }

    /**
     * The field {@code dimension.field}; the dimension's key name (id or name) is not a record
     * field and is rejected here (see {@link Dimension#keyName()}).
     *
     * @throws UnknownNameException for an unknown dimension or field, with suggestions
     */
    public DimensionField field(String dimension, String field) {
        return get(dimension).fieldOrThrow(field);
    }

    /** Position of a dimension in {@link #dimensions()}, for deterministic ordering; -1 if unknown. */
    public int indexOf(String name) {
        int i = 0;
        for (String n : byName.keySet()) {
            if (n.equals(name)) {
                return i;
            }
            i++;
        }
        return -1;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static DimensionUniverse buildDefault() {
        List<Dimension> dims = new ArrayList<>();
        dims.add(new Dimension("instrument", "name", STRING, List.of(), List.of(), List.of(
                f("visit_max", INTEGER), f("exposure_max", INTEGER), f("detector_max", INTEGER),
                f("class_name", STRING)), "instrument", "name"));
        dims.add(new Dimension("band", "name", STRING, List.of(), List.of(), List.of(), "band", "name"));
        dims.add(new Dimension("physical_filter", "name", STRING, List.of("instrument"), List.of("band"),
                List.of(f("band", STRING)), "physical_filter", "name"));
        dims.add(new Dimension("detector", "id", INTEGER, List.of("instrument"), List.of(), List.of(
                f("full_name", STRING), f("name_in_raft", STRING), f("raft", STRING), f("purpose", STRING)),
                "detector", "id"));
        dims.add(new Dimension("day_obs", "id", INTEGER, List.of("instrument"), List.of(),
                List.of(f("timespan", TIMESPAN)), "day_obs", "id"));
        dims.add(new Dimension("group", "name", STRING, List.of("instrument"), List.of(), List.of(),
                "obs_group", "id"));
        dims.add(new Dimension("exposure", "id", INTEGER, List.of("instrument"),
                List.of("physical_filter", "day_obs", "group"), List.of(
                f("obs_id", STRING), f("exposure_time", FLOAT), f("dark_time", FLOAT),
                f("observation_type", STRING), f("observation_reason", STRING), f("seq_num", INTEGER),
                f("target_name", STRING), f("science_program", STRING), f("tracking_ra", FLOAT),
                f("tracking_dec", FLOAT), f("sky_angle", FLOAT), f("zenith_angle", FLOAT),
                f("day_obs", INTEGER), f("group", STRING), f("physical_filter", STRING),
                f("timespan", TIMESPAN)), "exposure", "id"));
        dims.add(new Dimension("visit", "id", INTEGER, List.of("instrument"),
                List.of("physical_filter", "day_obs"), List.of(
                f("exposure_time", FLOAT), f("target_name", STRING), f("observation_reason", STRING),
                f("science_program", STRING), f("zenith_angle", FLOAT), f("day_obs", INTEGER),
                f("physical_filter", STRING), f("timespan", TIMESPAN)), "visit", "id"));
        dims.add(new Dimension("skymap", "name", STRING, List.of(), List.of(), List.of(
                f("tract_max", INTEGER), f("patch_nx_max", INTEGER), f("patch_ny_max", INTEGER)),
                "skymap", "name"));
        dims.add(new Dimension("tract", "id", INTEGER, List.of("skymap"), List.of(), List.of(), "tract", "id"));
        dims.add(new Dimension("patch", "id", INTEGER, List.of("skymap", "tract"), List.of(),
                List.of(f("cell_x", INTEGER), f("cell_y", INTEGER)), "patch", "id"));
        // a sky pixelization dimension, as in daf_butler: no record fields, so where clauses never join a table
        dims.add(new Dimension("htm7", "id", INTEGER, List.of(), List.of(), List.of(), "htm7", "id"));
        return new DimensionUniverse(dims);
    }

    private static DimensionField f(String name, FieldType type) {
        return DimensionField.of(name, type);
    }
}
