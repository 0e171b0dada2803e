package org.lovoccs.imaging;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The six DECam broad bands with the physical filter strings DECam writes in the FILTER header keyword.
 */
public enum Band {
    U("u", "u DECam c0006 3500.0 1000.0"),
    G("g", "g DECam SDSS c0001 4720.0 1520.0"),
    R("r", "r DECam SDSS c0002 6415.0 1480.0"),
    I("i", "i DECam SDSS c0003 7835.0 1470.0"),
    Z("z", "z DECam SDSS c0004 9260.0 1520.0"),
    Y("Y", "Y DECam c0005 10095.0 1130.0");

    private final String bandName;
    private final String physicalFilter;

    Band(String bandName, String physicalFilter) {
        this.bandName = bandName;
        this.physicalFilter = physicalFilter;
    }

    /** The short band name: u, g, r, i, z or Y. */
    public String bandName() {
        return bandName;
    }

    /** DECam's FILTER header value, e.g. {@code r DECam SDSS c0002 6415.0 1480.0}. */
    public String physicalFilter() {
        return physicalFilter;
    }

    /** Valid band names, comma separated, for messages. */
    public static String validNames() {
        return Arrays.stream(values()).map(Band::bandName).collect(Collectors.joining(", "));
    }

    /**
     * The band with short name {@code name} (case-sensitive for Y, which is upper case in DECam usage; lower-case
     * {@code y} is also accepted).
     *
     * @throws IllegalArgumentException listing the valid bands if the name is unknown
     */
    public static Band fromName(String name) {
        if (name != null) {
            for (Band b : values()) {
                if (b.bandName.equals(name.trim())) {
                    return b;
                }
            }
            if (name.trim().equals("y")) {
                return Y;
            }
        }
        throw new IllegalArgumentException("unknown band '" + name + "'; valid bands are " + validNames());
    }

    /**
     * The band of a DECam FILTER header value, taken from its first word (e.g. {@code r DECam SDSS c0002 ...} → r).
     *
     * @throws IllegalArgumentException if the value does not start with a valid band name
     */
    public static Band fromPhysicalFilter(String filter) {
        if (filter == null || filter.isBlank()) {
            throw new IllegalArgumentException("empty FILTER value; valid bands are " + validNames());
        }
        return fromName(filter.trim().split("\\s+")[0]);
    }
}
