package org.lovoccs.butler.instrument;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which other CCDs of an exposure leak into a CCD (inter-CCD crosstalk): the CCD pairs of DECam's crosstalk table
 * (CTIO's {@code DECam_xtalk_20130606.txt}, see PROVENANCE.md). The orchestrator plans a science CCD's ISR to read
 * step0's {@code overscanRaw} of exactly these detectors of the same exposure ({@code crosstalkSources}), where
 * LSST's graph builder hands the ISR every detector's and lets it pick; the coefficients come from the curated
 * {@code crosstalk} calibration the ISR reads.
 */
public final class CrosstalkSourceMap {

    private static final Pattern AMP = Pattern.compile("ccd(\\d+)([A-Za-z])");
    private static volatile CrosstalkSourceMap decam;

    private final Map<Integer, SortedSet<Integer>> sources;

    private CrosstalkSourceMap(Map<Integer, SortedSet<Integer>> sources) {
        this.sources = sources;
    }

    /** DECam's map, from the bundled table (read once). */
    public static CrosstalkSourceMap decam() {
        CrosstalkSourceMap m = decam;
        if (m == null) {
            String name = "DECam_xtalk_20130606.txt";
            try (InputStream in = CrosstalkSourceMap.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource org/lovoccs/butler/instrument/" + name);
                }
                m = parse(in, name);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            decam = m;
        }
        return m;
    }

    /**
     * Reads the victim and source columns of a table in CTIO's format ({@code ccdNNa ccdMMb ...}; '#' comments).
     *
     * @throws IllegalArgumentException naming the line when a line does not start with two amplifier names
     */
    public static CrosstalkSourceMap parse(InputStream in, String name) throws IOException {
        Map<Integer, SortedSet<Integer>> out = new TreeMap<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
        int n = 0;
        for (String line; (line = r.readLine()) != null; ) {
            n++;
            String s = line.trim();
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            String[] f = s.split("\\s+");
            Matcher v = f.length >= 2 ? AMP.matcher(f[0]) : null;
            Matcher src = f.length >= 2 ? AMP.matcher(f[1]) : null;
            if (v == null || !v.matches() || !src.matches()) {
                throw new IllegalArgumentException(name + " line " + n + ": expected 'ccdNNa ccdMMb ...' (victim and"
                        + " source amplifiers), got: " + s);
            }
            int victim = Integer.parseInt(v.group(1));
            int source = Integer.parseInt(src.group(1));
            if (victim != source) {
                out.computeIfAbsent(victim, k -> new TreeSet<>()).add(source);
            }
        }
        out.replaceAll((k, v) -> Collections.unmodifiableSortedSet(v));
        return new CrosstalkSourceMap(Collections.unmodifiableMap(out));
    }

    /** The other CCDs whose signal leaks into {@code detector}, in number order (empty when none). */
    public Set<Integer> sourcesOf(int detector) {
        return sources.getOrDefault(detector, Collections.emptySortedSet());
    }
}
