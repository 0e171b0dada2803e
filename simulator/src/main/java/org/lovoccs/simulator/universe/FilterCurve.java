package org.lovoccs.simulator.universe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.lovoccs.imaging.Band;

/**
 * A DECam total-throughput curve R(λ) (dimensionless, per photon), read from the bundled speclite ECSV files
 * ({@code filters/decam2014-<band>.ecsv}, see PROVENANCE.md there). Wavelengths are held in Angstrom; the file's
 * wavelength unit is taken from its ECSV header (nm for these files) and converted. R is linear between samples and
 * zero outside them. Immutable.
 */
public final class FilterCurve {

    private static final Pattern WAVELENGTH_UNIT =
            Pattern.compile("name:\\s*wavelength,\\s*unit:\\s*([A-Za-z]+)");
    private static final Map<Band, FilterCurve> CACHE = new EnumMap<>(Band.class);

    private final Band band;
    private final double[] lambda;
    private final double[] response;

    private FilterCurve(Band band, double[] lambdaAngstrom, double[] response) {
        this.band = band;
        this.lambda = lambdaAngstrom;
        this.response = response;
    }

    /** The DECam 2014 curve of {@code band} (cached). */
    public static synchronized FilterCurve decam(Band band) {
        return CACHE.computeIfAbsent(band, b -> {
            String name = "/org/lovoccs/simulator/filters/decam2014-" + b.bandName() + ".ecsv";
            try (InputStream in = FilterCurve.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("filter resource missing: " + name);
                }
                return parseEcsv(b, in, name);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + name, e);
            }
        });
    }

    /** Parses an ECSV throughput table with columns {@code wavelength} (nm or Angstrom) and {@code response}. */
    static FilterCurve parseEcsv(Band band, InputStream in, String what) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        double scale = Double.NaN;
        double[] w = new double[2048];
        double[] resp = new double[2048];
        int n = 0;
        boolean columnLine = false;
        for (String line; (line = r.readLine()) != null; ) {
            String t = line.trim();
            if (t.startsWith("#")) {
                Matcher m = WAVELENGTH_UNIT.matcher(t);
                if (m.find()) {
                    scale = switch (m.group(1)) {
                        case "nm" -> 10.0;
                        case "Angstrom", "AA" -> 1.0;
                        default -> throw new IOException(what + ": unsupported wavelength unit " + m.group(1));
                    };
                }
                continue;
            }
            if (t.isEmpty()) {
                continue;
            }
            if (!columnLine) {
                if (!t.equals("wavelength response")) {
                    throw new IOException(what + ": expected columns 'wavelength response', got '" + t + "'");
                }
                columnLine = true;
                continue;
            }
            String[] f = t.split("\\s+");
            if (n == w.length) {
                w = Arrays.copyOf(w, 2 * n);
                resp = Arrays.copyOf(resp, 2 * n);
            }
            w[n] = Double.parseDouble(f[0]);
            resp[n] = Double.parseDouble(f[1]);
            if (n > 0 && !(w[n] > w[n - 1])) {
                throw new IOException(what + ": wavelengths not increasing at row " + (n + 1));
            }
            n++;
        }
        if (Double.isNaN(scale) || n < 2) {
            throw new IOException(what + ": no wavelength unit in the header or fewer than 2 rows");
        }
        double[] lam = new double[n];
        for (int i = 0; i < n; i++) {
            lam[i] = w[i] * scale;
        }
        return new FilterCurve(band, lam, Arrays.copyOf(resp, n));
    }

    public Band band() {
        return band;
    }

    double[] lambdaTable() {
        return lambda;
    }

    double[] responseTable() {
        return response;
    }

    /** Smallest tabulated wavelength, Angstrom. */
    public double minWavelengthAngstrom() {
        return lambda[0];
    }

    /** Largest tabulated wavelength, Angstrom. */
    public double maxWavelengthAngstrom() {
        return lambda[lambda.length - 1];
    }

    /** Throughput at {@code lambdaAngstrom} (linear interpolation, 0 outside the table). */
    public double response(double lambdaAngstrom) {
        return Interp.linear(lambda, response, lambdaAngstrom);
    }

    /** Throughput-weighted mean wavelength {@code ∫ R λ dλ / ∫ R dλ}, Angstrom (for sanity checks). */
    public double meanWavelengthAngstrom() {
        double num = 0;
        double den = 0;
        for (int i = 1; i < lambda.length; i++) {
            double dl = lambda[i] - lambda[i - 1];
            double r = 0.5 * (response[i] + response[i - 1]);
            num += r * 0.5 * (lambda[i] + lambda[i - 1]) * dl;
            den += r * dl;
        }
        return num / den;
    }
}
