package org.lovoccs.simulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The 62 DECam science CCDs with their focal-plane positions and per-amplifier gain, read noise and saturation,
 * loaded from obs_decam's {@code chipcenters.txt} and {@code segmentfile.txt} (resources in
 * {@code org/lovoccs/simulator/decam/}, see PROVENANCE.md there).
 */
public final class DecamCamera {

    /** Pixel pitch, mm. */
    public static final double PIXEL_SIZE_MM = 0.015;
    /** Nominal pixel scale, arcsec per pixel. */
    public static final double PIXEL_SCALE_ARCSEC = 0.263;
    /** Columns of an assembled CCD. */
    public static final int CCD_WIDTH = 2048;
    /** Rows of an assembled CCD. */
    public static final int CCD_HEIGHT = 4096;
    /** Highest CCDNUM of a science CCD; 63-74 are guide and focus CCDs. */
    public static final int LAST_SCIENCE_CCD = 62;

    private static final String RESOURCES = "/org/lovoccs/simulator/decam/";
    private static volatile DecamCamera standard;

    private final Map<Integer, DecamCcd> byNumber;
    private final Map<String, DecamCcd> byName;

    private DecamCamera(Map<Integer, DecamCcd> byNumber) {
        this.byNumber = Collections.unmodifiableMap(new TreeMap<>(byNumber));
        Map<String, DecamCcd> names = new HashMap<>();
        byNumber.values().forEach(c -> names.put(c.name(), c));
        this.byName = Map.copyOf(names);
    }

    /** The camera described by the bundled obs_decam tables (loaded once). */
    public static DecamCamera standard() {
        DecamCamera c = standard;
        if (c == null) {
            synchronized (DecamCamera.class) {
                c = standard;
                if (c == null) {
                    try (InputStream seg = resource("segmentfile.txt");
                         InputStream centres = resource("chipcenters.txt")) {
                        c = load(seg, centres);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read bundled DECam tables", e);
                    }
                    standard = c;
                }
            }
        }
        return c;
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = DecamCamera.class.getResourceAsStream(RESOURCES + name);
        if (in == null) {
            throw new IOException("missing resource " + RESOURCES + name);
        }
        return in;
    }

    /**
     * Builds a camera from tables in obs_decam's formats. Only CCDs 1-62 present in both tables are kept.
     *
     * @throws IOException if a table cannot be read or a line cannot be parsed
     */
    public static DecamCamera load(InputStream segmentFile, InputStream chipCenters) throws IOException {
        Map<Integer, Map<String, AmpCharacteristics>> amps = new HashMap<>();
        for (String[] f : rows(segmentFile, "segmentfile.txt", 10)) {
            int ccd = Integer.parseInt(f[0]);
            amps.computeIfAbsent(ccd, k -> new TreeMap<>()).put(f[2],
                    new AmpCharacteristics(f[2], Double.parseDouble(f[7]), Double.parseDouble(f[9]),
                            Double.parseDouble(f[8])));
        }
        Map<Integer, DecamCcd> ccds = new HashMap<>();
        for (String[] f : rows(chipCenters, "chipcenters.txt", 7)) {
            int number = Integer.parseInt(f[0]);
            if (number >= 1 && number <= LAST_SCIENCE_CCD && amps.containsKey(number)) {
                ccds.put(number, new DecamCcd(number, f[1], Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                        Double.parseDouble(f[4]), Double.parseDouble(f[5]), amps.get(number)));
            }
        }
        if (ccds.isEmpty()) {
            throw new IOException("no science CCD found in both tables");
        }
        return new DecamCamera(ccds);
    }

    private static List<String[]> rows(InputStream in, String what, int columns) throws IOException {
        List<String[]> out = new ArrayList<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
        String line;
        int n = 0;
        while ((line = r.readLine()) != null) {
            n++;
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("#") || !Character.isDigit(t.charAt(0))) {
                continue;
            }
            String[] f = t.split("\\s+");
            if (f.length < columns) {
                throw new IOException(what + " line " + n + ": expected " + columns + " columns: " + line);
            }
            out.add(f);
        }
        return out;
    }

    /** All science CCDs, by increasing number. */
    public List<DecamCcd> ccds() {
        return List.copyOf(byNumber.values());
    }

    /**
     * The science CCD with CCDNUM {@code number}.
     *
     * @throws IllegalArgumentException naming the valid range if there is no such CCD
     */
    public DecamCcd ccd(int number) {
        DecamCcd c = byNumber.get(number);
        if (c == null) {
            throw new IllegalArgumentException("CCD " + number + " is not a DECam science CCD; valid CCDNUM are "
                    + validRange());
        }
        return c;
    }

    /**
     * The science CCD with DETPOS {@code name} (e.g. S29).
     *
     * @throws IllegalArgumentException if there is no such CCD
     */
    public DecamCcd ccd(String name) {
        DecamCcd c = byName.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no DECam science CCD named '" + name + "'");
        }
        return c;
    }

    /** The valid CCD numbers as text, e.g. {@code 1-62}, listing gaps if any CCD is missing from the tables. */
    public String validRange() {
        StringBuilder b = new StringBuilder();
        Integer start = null;
        Integer prev = null;
        for (int n : byNumber.keySet()) {
            if (start == null) {
                start = n;
            } else if (n != prev + 1) {
                b.append(b.length() > 0 ? ", " : "").append(start.equals(prev) ? "" + start : start + "-" + prev);
                start = n;
            }
            prev = n;
        }
        if (start != null) {
            b.append(b.length() > 0 ? ", " : "").append(start.equals(prev) ? "" + start : start + "-" + prev);
        }
        return b.toString();
    }
}
