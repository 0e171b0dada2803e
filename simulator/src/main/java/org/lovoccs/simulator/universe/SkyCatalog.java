package org.lovoccs.simulator.universe;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * An immutable truth catalogue of one field: stars and galaxies, each sorted by Dec so that the objects of a
 * rectangle or cone are found by binary search on Dec and a scan of that Dec strip.
 */
public final class SkyCatalog {

    private final SkySpec spec;
    private final Index<Star> stars;
    private final Index<Galaxy> galaxies;

    /**
     * A catalogue of given objects (for tests and hand-made skies); {@code spec} describes the field (its densities
     * are not used).
     */
    public static SkyCatalog of(SkySpec spec, List<Star> stars, List<Galaxy> galaxies) {
        return new SkyCatalog(spec, stars, galaxies);
    }

    SkyCatalog(SkySpec spec, List<Star> stars, List<Galaxy> galaxies) {
        this.spec = spec;
        this.stars = new Index<>(stars, Star::raDeg, Star::decDeg);
        this.galaxies = new Index<>(galaxies, Galaxy::raDeg, Galaxy::decDeg);
    }

    public SkySpec spec() {
        return spec;
    }

    /** The lens halo, or null. */
    public NfwHalo halo() {
        return spec.halo();
    }

    /** All stars, sorted by Dec (unmodifiable). */
    public List<Star> stars() {
        return stars.items;
    }

    /** All galaxies (background and members), sorted by Dec (unmodifiable). */
    public List<Galaxy> galaxies() {
        return galaxies.items;
    }

    /**
     * Stars with {@code decMin <= dec <= decMax} and RA in [raMin, raMax]; if {@code raMin > raMax} the RA range
     * wraps through 0 (e.g. 359.5 to 0.5). Degrees.
     */
    public List<Star> starsInRegion(double raMin, double raMax, double decMin, double decMax) {
        return stars.region(raMin, raMax, decMin, decMax);
    }

    /** Galaxies in a RA/Dec box, as {@link #starsInRegion}. */
    public List<Galaxy> galaxiesInRegion(double raMin, double raMax, double decMin, double decMax) {
        return galaxies.region(raMin, raMax, decMin, decMax);
    }

    /** Stars within {@code radiusDeg} of (ra, dec). */
    public List<Star> starsInCone(double raDeg, double decDeg, double radiusDeg) {
        return stars.cone(raDeg, decDeg, radiusDeg);
    }

    /** Galaxies within {@code radiusDeg} of (ra, dec). */
    public List<Galaxy> galaxiesInCone(double raDeg, double decDeg, double radiusDeg) {
        return galaxies.cone(raDeg, decDeg, radiusDeg);
    }

    private static final class Index<T> {
        final List<T> items;
        final double[] ra;
        final double[] dec;

        Index(List<T> in, ToDoubleFunction<T> raOf, ToDoubleFunction<T> decOf) {
            List<T> sorted = new ArrayList<>(in);
            sorted.sort(Comparator.comparingDouble(decOf));
            items = Collections.unmodifiableList(sorted);
            ra = new double[sorted.size()];
            dec = new double[sorted.size()];
            for (int i = 0; i < ra.length; i++) {
                ra[i] = raOf.applyAsDouble(sorted.get(i));
                dec[i] = decOf.applyAsDouble(sorted.get(i));
            }
        }

        private int firstAtLeast(double d) {
            int lo = 0;
            int hi = dec.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (dec[mid] < d) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        List<T> region(double raMin, double raMax, double decMin, double decMax) {
            if (!(decMin <= decMax)) {
                throw new IllegalArgumentException("need decMin <= decMax, got " + decMin + " > " + decMax);
            }
            boolean wrap = raMin > raMax;
            List<T> out = new ArrayList<>();
            for (int i = firstAtLeast(decMin); i < dec.length && dec[i] <= decMax; i++) {
                double a = ra[i];
                if (wrap ? (a >= raMin || a <= raMax) : (a >= raMin && a <= raMax)) {
                    out.add(items.get(i));
                }
            }
            return out;
        }

        List<T> cone(double ra0, double dec0, double radius) {
            if (!(radius >= 0)) {
                throw new IllegalArgumentException("cone radius must be >= 0 degrees, got " + radius);
            }
            List<T> out = new ArrayList<>();
            for (int i = firstAtLeast(dec0 - radius); i < dec.length && dec[i] <= dec0 + radius; i++) {
                if (SkyGeometry.separationDeg(ra0, dec0, ra[i], dec[i]) <= radius) {
                    out.add(items.get(i));
                }
            }
            return out;
        }
    }

    @Override
    public String toString() {
        return "SkyCatalog(" + stars.items.size() + " stars, " + galaxies.items.size() + " galaxies, halo "
                + spec.halo() + ")";
    }
}
