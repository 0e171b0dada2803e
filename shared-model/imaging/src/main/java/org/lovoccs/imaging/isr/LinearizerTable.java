package org.lovoccs.imaging.isr;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fast, exact stand-in for {@link Linearizer.Params#linear} over a CCD: a cubic Hermite table of the inverse of the
 * non-linearity (knots solved to full precision, slopes 1 / m'(t)) gives each pixel's true signal to better than
 * {@link #BOUND} ADU; when the pixel's float result in electrons is the same at both ends of that bound it is the
 * float Newton's solution rounds to, otherwise (about one pixel in a thousand, near a rounding boundary) Newton is
 * run as before. The output is therefore the same float as {@code (float) (p.linear(m) * gain)}, bit for bit, at a
 * fraction of the cost of Newton's exponentials.
 */
final class LinearizerTable {

    /** Bound on |table - true inverse| + |Newton - true inverse|, ADU; the table is checked to 1/10 of it. */
    static final double BOUND = 1e-8;
    /** The table covers measured signals up to this many ADU (beyond, Newton). */
    private static final double MAX_ADU = 70000.0;
    private static final Map<Linearizer.Params, LinearizerTable> CACHE = new ConcurrentHashMap<>();

    private final Linearizer.Params p;
    private final double step;
    private final double invStep;
    private final double[] t;
    private final double[] slope;
    private final int n;

    private LinearizerTable(Linearizer.Params p, double step) {
        this.p = p;
        this.step = step;
        this.invStep = 1.0 / step;
        this.n = (int) Math.ceil(MAX_ADU / step) + 1;
        this.t = new double[n];
        this.slope = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = precise(i * step);
            slope[i] = 1.0 / p.derivative(t[i]);
        }
    }

    static LinearizerTable of(Linearizer.Params p) {
        LinearizerTable table = CACHE.get(p);
        if (table == null) {
            table = build(p);
            if (CACHE.size() > 256) {
                CACHE.clear();
            }
            CACHE.put(p, table);
        }
        return table;
    }

    /** The coarsest knot spacing (from 8 ADU down) whose interpolation is within BOUND / 10 midway between knots. */
    private static LinearizerTable build(Linearizer.Params p) {
        for (double step = 8.0; ; step /= 2) {
            LinearizerTable table = new LinearizerTable(p, step);
            if (table.worstError() < BOUND / 10 || step < 1e-3) {
                return table;
            }
        }
    }

    private double worstError() {
        double worst = 0;
        for (int i = 0; i + 1 < n; i++) {
            for (double u : new double[] {0.25, 0.5, 0.75}) {
                double m = (i + u) * step;
                worst = Math.max(worst, Math.abs(interpolate(m) - precise(m)));
            }
        }
        return worst;
    }

    /** Newton from the measured value, to the last bits. */
    private double precise(double m) {
        if (m <= 0) {
            return p.linear(m);
        }
        double x = p.linear(m);
        for (int k = 0; k < 5; k++) {
            double s = (p.measured(x) - m) / p.derivative(x);
            x -= s;
            if (Math.abs(s) <= 1e-15 * Math.max(1.0, x)) {
                break;
            }
        }
        return x;
    }

    private double interpolate(double m) {
        double f = m * invStep;
        int i = Math.min((int) f, n - 2);
        double u = f - i;
        double u2 = u * u;
        double u3 = u2 * u;
        double h00 = 2 * u3 - 3 * u2 + 1;
        double h10 = u3 - 2 * u2 + u;
        double h01 = -2 * u3 + 3 * u2;
        double h11 = u3 - u2;
        return h00 * t[i] + h10 * step * slope[i] + h01 * t[i + 1] + h11 * step * slope[i + 1];
    }

    /** {@code (float) (p.linear(m) * gain)} for a pixel of m ADU (gain > 0). */
    float electrons(double m, double gain) {
        if (m >= 0 && m < MAX_ADU) {
            double t0 = interpolate(m);
            float lo = (float) ((t0 - BOUND) * gain);
            float hi = (float) ((t0 + BOUND) * gain);
            if (lo == hi) {
                return lo;
            }
        }
        return (float) (p.linear(m) * gain);
    }
}
