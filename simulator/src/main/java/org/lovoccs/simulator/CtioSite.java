package org.lovoccs.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Positional astronomy for the Blanco telescope at CTIO: sidereal time, altitude, airmass.
 * Accuracy is that of the IAU 1982 GMST polynomial without nutation (seconds of time), enough for headers.
 */
public final class CtioSite {

    /** Geodetic latitude, degrees (north positive). */
    public static final double LATITUDE_DEG = -30.16527778;
    /** Longitude, degrees (east positive). */
    public static final double LONGITUDE_DEG = -70.81488889;

    private static final double SIDEREAL_DEG_PER_DAY = 360.98564736629;

    private CtioSite() {
    }

    /** Julian date of an instant (UTC, ignoring the UT1-UTC difference). */
    public static double julianDate(Instant t) {
        return t.getEpochSecond() / 86400.0 + t.getNano() / 86400e9 + 2440587.5;
    }

    /** Modified Julian date, {@code JD - 2400000.5}. */
    public static double modifiedJulianDate(Instant t) {
        return julianDate(t) - 2400000.5;
    }

    /** Local mean sidereal time at CTIO, degrees in [0, 360). */
    public static double localSiderealTimeDeg(Instant t) {
        double d = julianDate(t) - 2451545.0;
        double c = d / 36525.0;
        double gmst = 280.46061837 + SIDEREAL_DEG_PER_DAY * d + 0.000387933 * c * c - c * c * c / 38710000.0;
        double lst = (gmst + LONGITUDE_DEG) % 360.0;
        return lst < 0 ? lst + 360.0 : lst;
    }

    /** Hour angle of RA {@code raDeg} at {@code t}, degrees in (-180, 180]. */
    public static double hourAngleDeg(double raDeg, Instant t) {
        double ha = (localSiderealTimeDeg(t) - raDeg) % 360.0;
        if (ha > 180) {
            ha -= 360;
        } else if (ha <= -180) {
            ha += 360;
        }
        return ha;
    }

    /** Altitude above the horizon, degrees (no refraction). */
    public static double altitudeDeg(double raDeg, double decDeg, Instant t) {
        double lat = Math.toRadians(LATITUDE_DEG);
        double dec = Math.toRadians(decDeg);
        double ha = Math.toRadians(hourAngleDeg(raDeg, t));
        double sinAlt = Math.sin(lat) * Math.sin(dec) + Math.cos(lat) * Math.cos(dec) * Math.cos(ha);
        return Math.toDegrees(Math.asin(Math.max(-1, Math.min(1, sinAlt))));
    }

    /**
     * Airmass (Hardie 1962 polynomial in sec z).
     *
     * @throws IllegalArgumentException if the position is below 5 degrees altitude at {@code t}
     */
    public static double airmass(double raDeg, double decDeg, Instant t) {
        double alt = altitudeDeg(raDeg, decDeg, t);
        if (alt < 5.0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "RA %.4f, Dec %.4f is at altitude %.1f deg from CTIO at %s, below 5 deg; choose a DATE-OBS when "
                            + "it is up, e.g. CtioSite.nextTransit(ra, date)", raDeg, decDeg, alt, t));
        }
        double secz = 1.0 / Math.sin(Math.toRadians(alt));
        double s = secz - 1.0;
        return secz - 0.0018167 * s - 0.002875 * s * s - 0.0008083 * s * s * s;
    }

    /** The first meridian transit of RA {@code raDeg} at or after {@code after}. */
    public static Instant nextTransit(double raDeg, Instant after) {
        double delta = (raDeg - localSiderealTimeDeg(after)) % 360.0;
        if (delta < 0) {
            delta += 360.0;
        }
        long nanos = Math.round(delta / SIDEREAL_DEG_PER_DAY * 86400e9);
        return after.plus(Duration.ofNanos(nanos));
    }
}
