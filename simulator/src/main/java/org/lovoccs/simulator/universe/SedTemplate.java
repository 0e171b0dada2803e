package org.lovoccs.simulator.universe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A rest-frame spectral energy distribution: wavelength in Angstrom and f_λ (arbitrary normalisation, per unit
 * wavelength), linear between samples and zero outside them. The bundled templates are the six BPZ CWW+Kinney
 * spectra named in {@code CWWSB4.list}: {@link #TYPES}. Immutable.
 */
public final class SedTemplate {

    /** The bundled template names, from red to blue, in the order of CWWSB4.list. */
    public static final List<String> TYPES = List.of("El", "Sbc", "Scd", "Im", "SB3", "SB2");

    private static final Map<String, SedTemplate> CACHE = new HashMap<>();

    private final String name;
    private final double[] lambda;
    private final double[] fLambda;

    /**
     * @param name           template name
     * @param lambdaAngstrom strictly increasing wavelengths, Angstrom
     * @param fLambda        f_λ at those wavelengths, &gt;= 0
     */
    public SedTemplate(String name, double[] lambdaAngstrom, double[] fLambda) {
        if (lambdaAngstrom.length != fLambda.length || lambdaAngstrom.length < 2) {
            throw new IllegalArgumentException("SED " + name + ": need >= 2 (wavelength, f_lambda) pairs of equal length");
        }
        for (int i = 0; i < lambdaAngstrom.length; i++) {
            if (i > 0 && !(lambdaAngstrom[i] > lambdaAngstrom[i - 1])) {
                throw new IllegalArgumentException("SED " + name + ": wavelengths must increase (row " + i + ")");
            }
            if (!(fLambda[i] >= 0)) {
                throw new IllegalArgumentException("SED " + name + ": f_lambda must be >= 0 (row " + i + ")");
            }
        }
        this.name = name;
        this.lambda = lambdaAngstrom.clone();
        this.fLambda = fLambda.clone();
    }

    /**
     * The bundled template {@code name} (one of {@link #TYPES}); cached.
     *
     * @throws IllegalArgumentException naming the valid types if unknown
     */
    public static synchronized SedTemplate bundled(String name) {
        if (!TYPES.contains(name)) {
            throw new IllegalArgumentException("unknown SED type '" + name + "'; valid types are " + TYPES);
        }
        return CACHE.computeIfAbsent(name, SedTemplate::load);
    }

    /** The template names listed in the bundled CWWSB4.list that are bundled (BPZ's order). */
    public static List<String> listedTypes() {
        String res = "/org/lovoccs/simulator/sed/CWWSB4.list";
        try (InputStream in = SedTemplate.class.getResourceAsStream(res)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + res);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.lines().map(String::trim).filter(l -> l.endsWith("_B2004a.sed"))
                    .map(l -> l.substring(0, l.length() - "_B2004a.sed".length())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SedTemplate load(String name) {
        String res = "/org/lovoccs/simulator/sed/" + name + "_B2004a.sed";
        try (InputStream in = SedTemplate.class.getResourceAsStream(res)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + res);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            double[] w = new double[4096];
            double[] f = new double[4096];
            int n = 0;
            for (String line; (line = r.readLine()) != null; ) {
                String t = line.trim();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                String[] p = t.split("\\s+");
                if (n == w.length) {
                    w = Arrays.copyOf(w, 2 * n);
                    f = Arrays.copyOf(f, 2 * n);
                }
                w[n] = Double.parseDouble(p[0]);
                f[n] = Double.parseDouble(p[1]);
                n++;
            }
            return new SedTemplate(name, Arrays.copyOf(w, n), Arrays.copyOf(f, n));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + res, e);
        }
    }

    public String name() {
        return name;
    }

    /** f_λ at rest-frame wavelength {@code lambdaAngstrom} (linear; 0 outside the table). */
    public double fLambda(double lambdaAngstrom) {
        return Interp.linear(lambda, fLambda, lambdaAngstrom);
    }

    /**
     * Fills {@code out[i] = f_λ(lambdaObs[i] / onePlusZ)} for increasing {@code lambdaObs} (one pass through the
     * table, linear interpolation, 0 outside it).
     */
    public void sampleRedshifted(double[] lambdaObs, double onePlusZ, double[] out) {
        int j = 0;
        int n = lambda.length;
        for (int i = 0; i < lambdaObs.length; i++) {
            double x = lambdaObs[i] / onePlusZ;
            if (x < lambda[0] || x > lambda[n - 1]) {
                out[i] = 0.0;
                continue;
            }
            while (j < n - 2 && lambda[j + 1] < x) {
                j++;
            }
            double t = (x - lambda[j]) / (lambda[j + 1] - lambda[j]);
            out[i] = fLambda[j] + t * (fLambda[j + 1] - fLambda[j]);
        }
    }

    double[] lambdaTable() {
        return lambda;
    }

    double[] fLambdaTable() {
        return fLambda;
    }

    /** Smallest tabulated wavelength, Angstrom. */
    public double minWavelengthAngstrom() {
        return lambda[0];
    }

    /** Largest tabulated wavelength, Angstrom. */
    public double maxWavelengthAngstrom() {
        return lambda[lambda.length - 1];
    }
}
