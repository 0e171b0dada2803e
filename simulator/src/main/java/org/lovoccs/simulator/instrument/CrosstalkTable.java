package org.lovoccs.simulator.instrument;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DECam's inter-amplifier crosstalk coefficients, in the format of CTIO's {@code DECam_xtalk_20130606.txt} (bundled in
 * {@code org/lovoccs/simulator/decam/}, see PROVENANCE.md): one line per (victim, source) pair, {@code ccdNNa ccdMMb
 * x x_err src_nl p_1 .. p_n}, comments starting with '#'.
 *
 * <p>Pairs not listed have coefficient 0. The simulator applies the intra-CCD terms to each CCD
 * ({@link IntraCcdCrosstalk}) and the inter-CCD terms (|x| from 1e-5 to 1.9e-4, e.g. ccd06A from ccd05B) between the
 * CCDs of an exposure that are simulated together ({@link InterCcdCrosstalk},
 * {@code RawExposureSimulator.simulateCcds}); a source CCD that is not simulated contributes nothing. DECam's
 * sources are near neighbours: a victim's source CCDs are within 10 CCD numbers of it ({@link #interCcd(int)}).
 */
public final class CrosstalkTable {

    private static final Pattern AMP = Pattern.compile("ccd(\\d+)([A-Za-z])");
    private static volatile CrosstalkTable decam;

    private final List<CrosstalkTerm> terms;
    private final Map<String, CrosstalkTerm> byKey = new HashMap<>();

    public CrosstalkTable(List<CrosstalkTerm> terms) {
        this.terms = List.copyOf(terms);
        for (CrosstalkTerm t : this.terms) {
            if (byKey.put(key(t.victimCcd(), t.victimAmp(), t.sourceCcd(), t.sourceAmp()), t) != null) {
                throw new IllegalArgumentException("crosstalk pair listed twice: " + t);
            }
        }
    }

    /** The bundled DECam table (loaded once). */
    public static CrosstalkTable decam() {
        CrosstalkTable t = decam;
        if (t == null) {
            synchronized (CrosstalkTable.class) {
                t = decam;
                if (t == null) {
                    String name = "/org/lovoccs/simulator/decam/DECam_xtalk_20130606.txt";
                    try (InputStream in = CrosstalkTable.class.getResourceAsStream(name)) {
                        if (in == null) {
                            throw new IOException("missing resource " + name);
                        }
                        t = parse(in);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read the bundled crosstalk table", e);
                    }
                    decam = t;
                }
            }
        }
        return t;
    }

    /**
     * Parses a table.
     *
     * @throws IOException naming the line if a line has fewer than 5 columns or an unreadable amplifier or number
     */
    public static CrosstalkTable parse(InputStream in) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
        List<CrosstalkTerm> out = new ArrayList<>();
        String line;
        int n = 0;
        while ((line = r.readLine()) != null) {
            n++;
            String s = line.trim();
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            String[] f = s.split("\\s+");
            try {
                if (f.length < 5) {
                    throw new IllegalArgumentException("expected at least 5 columns");
                }
                Matcher v = amp(f[0]);
                Matcher src = amp(f[1]);
                double[] poly = new double[f.length - 5];
                for (int k = 0; k < poly.length; k++) {
                    poly[k] = Double.parseDouble(f[5 + k]);
                }
                out.add(new CrosstalkTerm(Integer.parseInt(v.group(1)), v.group(2).toUpperCase(),
                        Integer.parseInt(src.group(1)), src.group(2).toUpperCase(), Double.parseDouble(f[2]),
                        Double.parseDouble(f[3]), Double.parseDouble(f[4]), poly));
            } catch (IllegalArgumentException e) {
                throw new IOException("crosstalk table line " + n + ": " + e.getMessage() + ": " + line, e);
            }
        }
        return new CrosstalkTable(out);
    }

    private static Matcher amp(String field) {
        Matcher m = AMP.matcher(field);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an amplifier name like ccd25A: '" + field + "'");
        }
        return m;
    }

    private static String key(int victimCcd, String victimAmp, int sourceCcd, String sourceAmp) {
        return victimCcd + victimAmp + "<" + sourceCcd + sourceAmp;
    }

    /** All terms in file order. */
    public List<CrosstalkTerm> terms() {
        return terms;
    }

    /** The linear coefficient from the source amplifier into the victim, 0 when the pair is not listed. */
    public double coefficient(int victimCcd, String victimAmp, int sourceCcd, String sourceAmp) {
        CrosstalkTerm t = byKey.get(key(victimCcd, victimAmp, sourceCcd, sourceAmp));
        return t == null ? 0.0 : t.coefficient();
    }

    /** The terms whose source and victim are both amplifiers of CCD {@code ccdNum}. */
    public List<CrosstalkTerm> intraCcd(int ccdNum) {
        return terms.stream().filter(t -> t.isIntraCcd() && t.victimCcd() == ccdNum).toList();
    }

    /** The terms whose victim is an amplifier of CCD {@code victimCcd} and whose source is on another CCD. */
    public List<CrosstalkTerm> interCcd(int victimCcd) {
        return terms.stream().filter(t -> !t.isIntraCcd() && t.victimCcd() == victimCcd).toList();
    }

    @Override
    public String toString() {
        return "CrosstalkTable[" + terms.size() + " terms]";
    }
}
