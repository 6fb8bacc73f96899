package org.lossgrid.exact;

/**
 * Dense least squares {@code min ||A beta - y||_2} by Householder QR with column equilibration, in
 * double. Stable on ill-conditioned problems (NIST Longley), unlike the normal equations.
 */
public final class LeastSquares {
    private LeastSquares() {
    }

    /** beta = argmin ||A beta - y||_2 for A with rows a[i] (n x p, n >= p, full column rank) */
    public static double[] solve(double[][] a, double[] y) {
        int n = a.length;
        int p = a[0].length;
        if (n < p) {
            throw new IllegalArgumentException(n + " rows are too few for " + p + " unknowns");
        }
        double[][] r = new double[p][n];
        double[] scale = new double[p];
        for (int j = 0; j < p; j++) {
            double norm = 0;
            for (int i = 0; i < n; i++) {
                norm = Math.hypot(norm, a[i][j]);
            }
            scale[j] = norm == 0 ? 1 : norm;
            for (int i = 0; i < n; i++) {
                r[j][i] = a[i][j] / scale[j];
            }
        }
        double[] b = y.clone();
        double[] diagonal = new double[p];
        for (int k = 0; k < p; k++) {
            double[] col = r[k];
            double norm = 0;
            for (int i = k; i < n; i++) {
                norm = Math.hypot(norm, col[i]);
            }
            if (norm == 0) {
                throw new ArithmeticException("column " + k + " is linearly dependent on the others");
            }
            double alpha = col[k] > 0 ? -norm : norm;
            col[k] -= alpha;
            double vtv = 0;
            for (int i = k; i < n; i++) {
                vtv += col[i] * col[i];
            }
            for (int j = k + 1; j < p; j++) {
                reflect(col, r[j], k, n, vtv);
            }
            reflect(col, b, k, n, vtv);
            diagonal[k] = alpha;
        }
        double[] beta = new double[p];
        for (int k = p - 1; k >= 0; k--) {
            double s = b[k];
            for (int j = k + 1; j < p; j++) {
                s -= r[j][k] * beta[j];
            }
            beta[k] = s / diagonal[k];
        }
        for (int j = 0; j < p; j++) {
            beta[j] /= scale[j];
        }
        return beta;
    }

    /** x <- x - 2 v (v . x) / (v . v) on rows k..n-1 */
    private static void reflect(double[] v, double[] x, int k, int n, double vtv) {
        double dot = 0;
        for (int i = k; i < n; i++) {
            dot += v[i] * x[i];
        }
        double f = 2 * dot / vtv;
        for (int i = k; i < n; i++) {
            x[i] -= f * v[i];
        }
    }
}
