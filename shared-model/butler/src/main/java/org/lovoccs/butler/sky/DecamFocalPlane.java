package org.lovoccs.butler.sky;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * DECam's 62 science CCDs on the focal plane (obs_decam's {@code chipcenters.txt}, in mm, optical axis at the
 * origin) and their sky regions as the raw headers' WCS gives them: a TAN projection at the telescope's pointing
 * (TELRA/TELDEC, the exposure's tracking RA/Dec) with focal-plane y toward East and x toward North at 0.263"/15 um,
 * no distortion and no rotation, which is what the simulator writes (see the simulator's {@code FocalPlaneOptics}).
 * The CCD box maps to a great-circle quadrilateral, so the region is exact for that WCS; the true footprint
 * differs by the optical distortion (about 10" at the field's edge) and the pointing error.
 */
public final class DecamFocalPlane {

    /** Arcsec per mm (0.263" per 15-um pixel). */
    public static final double PLATE_SCALE_ARCSEC_PER_MM = 0.263 / 0.015;
    /** The last science CCD number. */
    public static final int LAST_SCIENCE_CCD = 62;

    /** A CCD's box on the focal plane, mm. */
    public record Ccd(int number, String name, double xMinMm, double xMaxMm, double yMinMm, double yMaxMm) {
    }

    private static final Map<Integer, Ccd> CCDS = load();

    private DecamFocalPlane() {
    }

    /** The science CCDs by number (1-62). */
    public static Map<Integer, Ccd> scienceCcds() {
        return CCDS;
    }

    /** The sky region of science CCD {@code number} for a pointing at (raDeg, decDeg). */
    public static SphericalPolygon detectorRegion(int number, double raDeg, double decDeg) {
        Ccd c = CCDS.get(number);
        if (c == null) {
            throw new IllegalArgumentException("DECam has science CCDs 1-" + LAST_SCIENCE_CCD + ", not " + number);
        }
        double s = PLATE_SCALE_ARCSEC_PER_MM / 3600.0;
        // xi (East) from focal-plane y, eta (North) from focal-plane x
        return new Tan(raDeg, decDeg).rectangle(c.yMinMm() * s, c.xMinMm() * s, c.yMaxMm() * s, c.xMaxMm() * s);
    }

    private static Map<Integer, Ccd> load() {
        String name = "decam_chipcenters.txt";
        try (InputStream in = DecamFocalPlane.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource org/lovoccs/butler/sky/" + name);
            }
            Map<Integer, Ccd> out = new TreeMap<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 6 || !f[0].matches("\\d+")) {
                    continue;
                }
                int n = Integer.parseInt(f[0]);
                if (n >= 1 && n <= LAST_SCIENCE_CCD) {
                    out.put(n, new Ccd(n, f[1], Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                            Double.parseDouble(f[4]), Double.parseDouble(f[5])));
                }
            }
            if (out.size() != LAST_SCIENCE_CCD) {
                throw new IllegalStateException(name + " holds " + out.size() + " science CCDs, expected 62");
            }
            return Collections.unmodifiableMap(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
