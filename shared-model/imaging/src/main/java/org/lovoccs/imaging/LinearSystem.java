package org.lovoccs.imaging;

/** Small dense linear systems (normal equations of a few parameters): Gauss-Jordan with partial pivoting. */
public final class LinearSystem {

    private LinearSystem() {
    }

    /**
     * x with a x = b, for a square {@code a} of the size of {@code b} (not modified).
     *
     * @return x, or null when {@code a} is singular (a pivot below 1e-300 in magnitude)
     */
    public static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][n + 1];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n] = b[i];
        }
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) {
                    piv = r;
                }
            }
            if (!(Math.abs(m[piv][c]) > 1e-300)) {
                return null;
            }
            double[] t = m[c];
            m[c] = m[piv];
            m[piv] = t;
            for (int r = 0; r < n; r++) {
                if (r != c) {
                    double f = m[r][c] / m[c][c];
                    for (int k = c; k <= n; k++) {
                        m[r][k] -= f * m[c][k];
                    }
                }
            }
        }
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = m[i][n] / m[i][i];
        }
        return x;
    }
}
