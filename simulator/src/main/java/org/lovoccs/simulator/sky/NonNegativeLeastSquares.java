package org.lovoccs.simulator.sky;

import java.util.ArrayList;
import java.util.List;

/**
 * Non-negative least squares, min |A x - b| subject to x >= 0, by the active-set method of Lawson and Hanson (1974).
 * The unconstrained sub-problems are solved by Householder QR of the passive columns, which copes with the nearly
 * collinear columns of a Gaussian-mixture fit. For small problems (tens of columns).
 */
final class NonNegativeLeastSquares {

    private NonNegativeLeastSquares() {
    }

    static double[] solve(double[][] a, double[] b) {
        int m = a.length;
        int n = a[0].length;
        double[] x = new double[n];
        boolean[] passive = new boolean[n];
        double tol = 1e-12;
        for (int outer = 0; outer < 3 * n; outer++) {
            double[] w = gradient(a, b, x);
            int best = -1;
            double bestW = tol;
            for (int j = 0; j < n; j++) {
                if (!passive[j] && w[j] > bestW) {
                    bestW = w[j];
                    best = j;
                }
            }
            if (best < 0) {
                break;
            }
            passive[best] = true;
            for (int inner = 0; inner < 3 * n; inner++) {
                double[] s = solvePassive(a, b, passive, m, n);
                boolean feasible = true;
                for (int j = 0; j < n; j++) {
                    if (passive[j] && s[j] <= 0) {
                        feasible = false;
                        break;
                    }
                }
                if (feasible) {
                    x = s;
                    break;
                }
                double alpha = Double.POSITIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    if (passive[j] && s[j] <= 0) {
                        alpha = Math.min(alpha, x[j] / (x[j] - s[j]));
                    }
                }
                for (int j = 0; j < n; j++) {
                    x[j] += alpha * (s[j] - x[j]);
                    if (passive[j] && x[j] <= tol) {
                        passive[j] = false;
                        x[j] = 0;
                    }
                }
            }
        }
        return x;
    }

    private static double[] gradient(double[][] a, double[] b, double[] x) {
        int m = a.length;
        int n = x.length;
        double[] res = new double[m];
        for (int i = 0; i < m; i++) {
            double s = b[i];
            for (int j = 0; j < n; j++) {
                s -= a[i][j] * x[j];
            }
            res[i] = s;
        }
        double[] w = new double[n];
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int i = 0; i < m; i++) {
                s += a[i][j] * res[i];
            }
            w[j] = s;
        }
        return w;
    }

    /** Least squares on the passive columns (Householder QR); zero elsewhere. */
    private static double[] solvePassive(double[][] a, double[] b, boolean[] passive, int m, int n) {
        List<Integer> cols = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            if (passive[j]) {
                cols.add(j);
            }
        }
        int k = cols.size();
        double[][] q = new double[m][k];
        double[] y = b.clone();
        for (int i = 0; i < m; i++) {
            for (int c = 0; c < k; c++) {
                q[i][c] = a[i][cols.get(c)];
            }
        }
        for (int c = 0; c < k; c++) {
            double norm = 0;
            for (int i = c; i < m; i++) {
                norm += q[i][c] * q[i][c];
            }
            norm = Math.sqrt(norm);
            if (norm == 0) {
                continue;
            }
            double alpha = q[c][c] > 0 ? -norm : norm;
            double[] v = new double[m];
            v[c] = q[c][c] - alpha;
            for (int i = c + 1; i < m; i++) {
                v[i] = q[i][c];
            }
            double vv = 0;
            for (int i = c; i < m; i++) {
                vv += v[i] * v[i];
            }
            if (vv == 0) {
                continue;
            }
            for (int cc = c; cc < k; cc++) {
                double dot = 0;
                for (int i = c; i < m; i++) {
                    dot += v[i] * q[i][cc];
                }
                double f = 2 * dot / vv;
                for (int i = c; i < m; i++) {
                    q[i][cc] -= f * v[i];
                }
            }
            double dot = 0;
            for (int i = c; i < m; i++) {
                dot += v[i] * y[i];
            }
            double f = 2 * dot / vv;
            for (int i = c; i < m; i++) {
                y[i] -= f * v[i];
            }
        }
        double[] z = new double[k];
        for (int c = k - 1; c >= 0; c--) {
            double s = y[c];
            for (int cc = c + 1; cc < k; cc++) {
                s -= q[c][cc] * z[cc];
            }
            z[c] = Math.abs(q[c][c]) > 1e-300 ? s / q[c][c] : 0;
        }
        double[] x = new double[n];
        for (int c = 0; c < k; c++) {
            x[cols.get(c)] = z[c];
        }
        return x;
    }
}
