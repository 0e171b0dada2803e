package org.lovoccs.butler.query;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the text inside {@code T'...'} the way daf_butler does:
 * <ul>
 *   <li>{@code 2022-05-26T04:00:00[.fff]} (isot, fits), {@code 2022-05-26 04:00:00} (iso), a bare date
 *       {@code 2022-05-26}, {@code 2022:146:04:00:00} (yday), or a bare number (MJD);</li>
 *   <li>an optional format prefix {@code iso/ isot/ fits/ yday/ mjd/};</li>
 *   <li>an optional scale suffix {@code /utc /tai /tt}; the default is UTC, except TAI for MJD.</li>
 * </ul>
 * The result is the UTC instant. TAI-UTC follows the leap-second table (10 s before 1972).
 */
public final class TimeLiterals {
    private TimeLiterals() {
    }

    private static final Pattern ISO = Pattern.compile(
            "(\\d{4})-(\\d{2})-(\\d{2})(?:[T ](\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?)?");
    private static final Pattern YDAY = Pattern.compile(
            "(\\d{4}):(\\d{3})(?::(\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?)?");
    private static final Pattern NUMBER = Pattern.compile("\\d+(?:\\.\\d+)?");
    private static final Instant MJD_EPOCH = Instant.parse("1858-11-17T00:00:00Z");
    private static final Duration TT_MINUS_TAI = Duration.ofMillis(32184);

    /** Dates (UTC) from which TAI-UTC took the value at the same index of LEAP_SECONDS. */
    private static final String[] LEAP_DATES = {
        "1972-01-01", "1972-07-01", "1973-01-01", "1974-01-01", "1975-01-01", "1976-01-01", "1977-01-01",
        "1978-01-01", "1979-01-01", "1980-01-01", "1981-07-01", "1982-07-01", "1983-07-01", "1985-07-01",
        "1988-01-01", "1990-01-01", "1991-01-01", "1992-07-01", "1993-07-01", "1994-07-01", "1996-01-01",
        "1997-07-01", "1999-01-01", "2006-01-01", "2009-01-01", "2012-07-01", "2015-07-01", "2017-01-01"};

    /**
     * The UTC instant denoted by the text of a time literal.
     *
     * @throws IllegalArgumentException with a message saying which forms are accepted
     */
    public static Instant parse(String text) {
        String body = text.trim();
        String format = null;
        String scale = null;
        int slash = body.indexOf('/');
        if (slash >= 0) {
            String first = body.substring(0, slash).toLowerCase(Locale.ROOT);
            if (first.matches("iso|isot|fits|yday|mjd")) {
                format = first;
                body = body.substring(slash + 1);
            }
        }
        slash = body.lastIndexOf('/');
        if (slash >= 0) {
            scale = body.substring(slash + 1).toLowerCase(Locale.ROOT);
            body = body.substring(0, slash);
            if (!scale.matches("utc|tai|tt")) {
                throw new IllegalArgumentException("unknown time scale '" + scale + "' (use utc, tai or tt)");
            }
        }
        if (format == null) {
            if (NUMBER.matcher(body).matches()) {
                format = "mjd";
            } else if (YDAY.matcher(body).matches()) {
                format = "yday";
            } else {
                format = "isot";
            }
        }
        Instant inScale;
        switch (format) {
            case "mjd" -> {
                if (!NUMBER.matcher(body).matches()) {
                    throw new IllegalArgumentException("'" + body + "' is not an MJD (a plain number)");
                }
                BigDecimal nanos = new BigDecimal(body).multiply(BigDecimal.valueOf(86_400_000_000_000L))
                        .setScale(0, RoundingMode.HALF_EVEN);
                inScale = MJD_EPOCH.plusNanos(nanos.longValueExact());
                if (scale == null) {
                    scale = "tai";
                }
            }
            case "yday" -> inScale = yday(body);
            default -> inScale = iso(body);
        }
        if (scale == null || scale.equals("utc")) {
            return inScale;
        }
        Instant tai = scale.equals("tt") ? inScale.minus(TT_MINUS_TAI) : inScale;
        return taiToUtc(tai);
    }

    private static Instant iso(String body) {
        Matcher m = ISO.matcher(body);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + body + "' is not a time; write e.g. 2022-05-26T04:00:00, "
                    + "2022-05-26 04:00:00, 2022:146:04:00:00, an MJD like 59725.5, optionally with /tai");
        }
        try {
            LocalDateTime t = LocalDate.of(i(m.group(1)), i(m.group(2)), i(m.group(3)))
                    .atTime(i(m.group(4)), i(m.group(5)), i(m.group(6)), nanos(m.group(7)));
            return t.toInstant(ZoneOffset.UTC);
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("'" + body + "' is not a valid date/time: " + e.getMessage());
        }
    }

    private static Instant yday(String body) {
        Matcher m = YDAY.matcher(body);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + body + "' is not a yday time like 2022:146:04:00:00");
        }
        try {
            LocalDateTime t = LocalDate.ofYearDay(i(m.group(1)), i(m.group(2)))
                    .atTime(i(m.group(3)), i(m.group(4)), i(m.group(5)), nanos(m.group(6)));
            return t.toInstant(ZoneOffset.UTC);
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("'" + body + "' is not a valid yday time: " + e.getMessage());
        }
    }

    private static int i(String s) {
        return s == null ? 0 : Integer.parseInt(s);
    }

    private static int nanos(String fraction) {
        if (fraction == null) {
            return 0;
        }
        return Integer.parseInt((fraction + "000000000").substring(0, 9));
    }

    /** TAI-UTC in seconds at a UTC instant. */
    static int taiMinusUtc(Instant utc) {
        int offset = 10;
        for (int k = 0; k < LEAP_DATES.length; k++) {
            if (!utc.isBefore(Instant.parse(LEAP_DATES[k] + "T00:00:00Z"))) {
                offset = 10 + k;
            }
        }
        return offset;
    }

    private static Instant taiToUtc(Instant tai) {
        Instant guess = tai.minusSeconds(taiMinusUtc(tai));
        return tai.minusSeconds(taiMinusUtc(guess));
    }
}
