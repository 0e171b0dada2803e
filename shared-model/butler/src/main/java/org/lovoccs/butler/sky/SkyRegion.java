package org.lovoccs.butler.sky;

/**
 * A region of the sky that the registry can index: a {@link SphericalPolygon} (a visit's or detector's footprint,
 * a skymap patch) or a {@link SphericalCircle}. {@link Pixelization#cover} turns any region into the sorted set of
 * HEALPix NESTED pixels it touches; the registry stores those pixels with a btree index, finds candidate overlaps as
 * shared pixels and confirms them with {@link #overlaps}.
 *
 * <p>Regions are immutable and smaller than a hemisphere.
 */
public sealed interface SkyRegion permits SphericalPolygon, SphericalCircle {

    /** How a spherical cap relates to a region (see {@link #relateCap}). */
    enum Relation {
        /** The cap and the region share no point. */
        DISJOINT,
        /** The cap and the region may share points (certainly do for the exact regions here, up to rounding). */
        INTERSECTS,
        /** The whole cap lies inside the region. */
        CONTAINS_CAP
    }

    /** True if the point (RA, Dec in degrees) is inside the region or on its boundary. */
    boolean contains(double raDeg, double decDeg);

    /** A circle that contains the whole region. */
    SphericalCircle boundingCircle();

    /** Exact overlap test (boundaries touching counts as overlapping, up to rounding). */
    boolean overlaps(SkyRegion other);

    /** Compact JSON text that {@link #fromJson} reads back to an equal region. */
    String toJson();

    /**
     * How the cap of angular radius {@code radiusRad} (below pi/2) around the unit vector {@code centre} relates to
     * this region. Never answers DISJOINT for a cap that touches the region, nor CONTAINS_CAP for a cap that sticks
     * out of it (up to rounding of order 1e-15 rad).
     */
    Relation relateCap(double[] centre, double radiusRad);

    /** Reads a region written by {@link #toJson} ({@code "type"} is {@code "polygon"} or {@code "circle"}). */
    static SkyRegion fromJson(String json) {
        Object parsed = MiniJson.parse(json);
        if (!(parsed instanceof java.util.Map<?, ?> m)) {
            throw new IllegalArgumentException("sky region JSON must be an object: " + json);
        }
        Object type = m.get("type");
        if ("polygon".equals(type)) {
            return SphericalPolygon.fromMap(m, json);
        }
        if ("circle".equals(type)) {
            return SphericalCircle.fromMap(m, json);
        }
        throw new IllegalArgumentException("sky region JSON needs \"type\": \"polygon\" or \"circle\", got " + type
                + ": " + json);
    }
}
