package org.lovoccs.imaging.wcs;

import java.util.Locale;

/**
 * Sexagesimal strings as DECam writes them in the RA/DEC/TELRA/TELDEC header keywords: RA as {@code HH:MM:SS.sss}
 * (hours), Dec as {@code [-]DD:MM:SS.ss} (degrees).
 */
public final class Sexagesimal {

    private Sexagesimal() {
    }

    /** RA in degrees → {@code HH:MM:SS.sss}, RA wrapped into [0, 360). */
    public static String formatRa(double raDeg) {
        double ra = ((raDeg % 360.0) + 360.0) % 360.0;
        long milliSeconds = Math.round(ra / 15.0 * 3600.0 * 1000.0) % (24L * 3600 * 1000);
        long h = milliSeconds / 3_600_000;
        long m = milliSeconds / 60_000 % 60;
        long s = milliSeconds / 1000 % 60;
        long ms = milliSeconds % 1000;
        return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", h, m, s, ms);
    }

    /** Dec in degrees → {@code DD:MM:SS.ss}, with a leading minus sign when negative. */
    public static String formatDec(double decDeg) {
        if (!(Math.abs(decDeg) <= 90.0)) {
            throw new IllegalArgumentException("declination out of range: " + decDeg);
        }
        long centiSeconds = Math.round(Math.abs(decDeg) * 3600.0 * 100.0);
        long d = centiSeconds / 360_000;
        long m = centiSeconds / 6000 % 60;
        long s = centiSeconds / 100 % 60;
        long cs = centiSeconds % 100;
        return String.format(Locale.ROOT, "%s%02d:%02d:%02d.%02d", decDeg < 0 && centiSeconds > 0 ? "-" : "", d, m, s, cs);
    }

    /** {@code HH:MM:SS.s} → degrees. */
    public static double parseRa(String text) {
        return parse(text, "RA") * 15.0;
    }

    /** {@code [+-]DD:MM:SS.s} → degrees. */
    public static double parseDec(String text) {
        return parse(text, "Dec");
    }

    private static double parse(String text, String what) {
        if (text == null) {
            throw new IllegalArgumentException("no " + what + " value");
        }
        String t = text.trim();
        boolean negative = t.startsWith("-");
        if (negative || t.startsWith("+")) {
            t = t.substring(1);
        }
        String[] parts = t.split(":");
        if (parts.length != 3) {
            throw new IllegalArgumentException("bad sexagesimal " + what + " '" + text + "': expected A:B:C");
        }
        try {
            double v = Double.parseDouble(parts[0]) + Double.parseDouble(parts[1]) / 60.0
                    + Double.parseDouble(parts[2]) / 3600.0;
            return negative ? -v : v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad sexagesimal " + what + " '" + text + "'", e);
        }
    }
}
