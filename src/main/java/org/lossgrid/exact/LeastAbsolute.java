package org.lossgrid.exact;

import java.util.Arrays;

/**
 * Exact least absolute deviations, {@code argmin_beta F(beta) = sum_i |y_i - a_i . beta|}, by descent
 * over the vertices of F, as in Barrodale and Roberts' simplex method.
 *
 * <p>F is convex and piecewise linear, and an optimum interpolates p samples exactly (a vertex).
 * From a vertex with basis B (|B| = p, residuals zero), each edge keeps p - 1 of those residuals at zero:
 * the directions are {@code +-d_i}, the columns of {@code A_B^-1}. Within each cone between the basis
 * hyperplanes F is linear, so a vertex at which no edge descends is a global minimum. Each step follows
 * the steepest descending edge to the minimum of F along it, a weighted median of the breakpoints,
 * where a new sample's residual reaches zero and enters the basis. The start is the vertex through the
 * p samples with the smallest residuals of an IRLS estimate, so few steps remain.
 */
final class LeastAbsolute {
    private static final int IRLS_ITERATIONS = 20;

    private LeastAbsolute() {
    }

    static double[] solve(double[][] a, double[] y) {
        int n = a.length;
        int p = a[0].length;
        double[] start = irls(a, y);
        int[] basis = startingBasis(a, y, start);
        double scale = 0;
        for (double v : y) {
            scale = Math.max(scale, Math.abs(v));
        }
        double zero = 1e-12 * Math.max(scale, Double.MIN_NORMAL);
        for (int iteration = 0; iteration < 50 * n + 100; iteration++) {
            double[][] inverse = inverse(rows(a, basis));
            double[] beta = multiply(inverse, pick(y, basis));
            double[] residual = new double[n];
            for (int j = 0; j < n; j++) {
                residual[j] = y[j] - dot(a[j], beta);
            }
            boolean[] inBasis = new boolean[n];
            for (int i : basis) {
                inBasis[i] = true;
            }
            int bestEdge = -1;
            double bestSign = 0;
            double bestSlope = -1e-12 * (1 + sumAbs(residual));
            double[][] change = new double[p][];
            for (int e = 0; e < p; e++) {
                double[] direction = column(inverse, e);
                change[e] = new double[n];
                double linear = 0;
                double kink = 0;
                for (int j = 0; j < n; j++) {
                    double c = dot(a[j], direction);
                    change[e][j] = c;
                    if (inBasis[j]) {
                        continue;
                    }
                    if (Math.abs(residual[j]) <= zero) {
                        kink += Math.abs(c);
                    } else {
                        linear -= Math.signum(residual[j]) * c;
                    }
                }
                for (double sign : new double[] {1, -1}) {
                    double slope = sign * linear + kink + 1;
                    if (slope < bestSlope) {
                        bestSlope = slope;
                        bestEdge = e;
                        bestSign = sign;
                    }
                }
            }
            if (bestEdge < 0) {
                return beta;
            }
            int entering = lineSearch(residual, change[bestEdge], bestSign, bestSlope, inBasis, zero);
            if (entering < 0) {
                return beta;
            }
            basis[bestEdge] = entering;
        }
        throw new ArithmeticException("least absolute deviations did not converge");
    }

    /**
     * Along beta + t * sign * d (t >= 0) residual j moves as r_j - t c_j. The slope starts at {@code slope}
     * and rises by 2|c_j| at each breakpoint t_j = r_j / c_j > 0; the minimum is where it turns non-negative.
     */
    private static int lineSearch(double[] residual, double[] change, double sign, double slope, boolean[] inBasis,
            double zero) {
        int n = residual.length;
        Integer[] order = new Integer[n];
        double[] t = new double[n];
        int count = 0;
        for (int j = 0; j < n; j++) {
            double c = sign * change[j];
            if (inBasis[j] || c == 0 || Math.abs(residual[j]) <= zero) {
                continue;
            }
            double tj = residual[j] / c;
            if (tj > 0) {
                t[j] = tj;
                order[count++] = j;
            }
        }
        Integer[] candidates = Arrays.copyOf(order, count);
        Arrays.sort(candidates, (i, j) -> Double.compare(t[i], t[j]));
        double current = slope;
        for (int j : candidates) {
            current += 2 * Math.abs(change[j]);
            if (current >= 0) {
                return j;
            }
        }
        return -1;
    }

    /** Iteratively reweighted least squares: weights 1 / max(|r_i|, floor). */
    private static double[] irls(double[][] a, double[] y) {
        int n = a.length;
        int p = a[0].length;
        double[] beta = LeastSquares.solve(a, y);
        double scale = 0;
        for (double v : y) {
            scale = Math.max(scale, Math.abs(v));
        }
        double floor = 1e-9 * Math.max(scale, Double.MIN_NORMAL);
        double[][] weighted = new double[n][p];
        double[] wy = new double[n];
        for (int iteration = 0; iteration < IRLS_ITERATIONS; iteration++) {
            for (int i = 0; i < n; i++) {
                double w = 1 / Math.sqrt(Math.max(Math.abs(y[i] - dot(a[i], beta)), floor));
                for (int j = 0; j < p; j++) {
                    weighted[i][j] = a[i][j] * w;
                }
                wy[i] = y[i] * w;
            }
            beta = LeastSquares.solve(weighted, wy);
        }
        return beta;
    }

    /** The p samples with the smallest residuals whose rows are linearly independent. */
    private static int[] startingBasis(double[][] a, double[] y, double[] beta) {
        int n = a.length;
        int p = a[0].length;
        Integer[] order = new Integer[n];
        double[] residual = new double[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            residual[i] = Math.abs(y[i] - dot(a[i], beta));
        }
        Arrays.sort(order, (i, j) -> Double.compare(residual[i], residual[j]));
        int[] basis = new int[p];
        int size = 0;
        for (int r = 0; r < n && size < p; r++) {
            basis[size] = order[r];
            if (independent(a, basis, size + 1)) {
                size++;
            }
        }
        if (size < p) {
            throw new ArithmeticException("the design has rank below " + p);
        }
        return basis;
    }

    private static boolean independent(double[][] a, int[] basis, int size) {
        int p = a[0].length;
        double[][] m = new double[size][];
        for (int r = 0; r < size; r++) {
            m[r] = a[basis[r]].clone();
        }
        int rank = 0;
        for (int c = 0; c < p && rank < size; c++) {
            int pivot = rank;
            for (int r = rank + 1; r < size; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) {
                    pivot = r;
                }
            }
            double norm = 0;
            for (double[] row : m) {
                norm = Math.max(norm, Math.abs(row[c]));
            }
            if (Math.abs(m[pivot][c]) <= 1e-10 * Math.max(norm, Double.MIN_NORMAL) || m[pivot][c] == 0) {
                continue;
            }
            double[] tmp = m[pivot];
            m[pivot] = m[rank];
            m[rank] = tmp;
            for (int r = rank + 1; r < size; r++) {
                double f = m[r][c] / m[rank][c];
                for (int k = c; k < p; k++) {
                    m[r][k] -= f * m[rank][k];
                }
            }
            rank++;
        }
        return rank == size;
    }

    /** M^-1 by Gauss-Jordan elimination with partial pivoting */
    private static double[][] inverse(double[][] m) {
        int p = m.length;
        double[][] w = new double[p][2 * p];
        for (int r = 0; r < p; r++) {
            System.arraycopy(m[r], 0, w[r], 0, p);
            w[r][p + r] = 1;
        }
        for (int c = 0; c < p; c++) {
            int pivot = c;
            for (int r = c + 1; r < p; r++) {
                if (Math.abs(w[r][c]) > Math.abs(w[pivot][c])) {
                    pivot = r;
                }
            }
            if (w[pivot][c] == 0) {
                throw new ArithmeticException("singular basis");
            }
            double[] tmp = w[pivot];
            w[pivot] = w[c];
            w[c] = tmp;
            double f = w[c][c];
            for (int k = 0; k < 2 * p; k++) {
                w[c][k] /= f;
            }
            for (int r = 0; r < p; r++) {
                if (r != c && w[r][c] != 0) {
                    double g = w[r][c];
                    for (int k = 0; k < 2 * p; k++) {
                        w[r][k] -= g * w[c][k];
                    }
                }
            }
        }
        double[][] inv = new double[p][p];
        for (int r = 0; r < p; r++) {
            System.arraycopy(w[r], p, inv[r], 0, p);
        }
        return inv;
    }

    private static double[][] rows(double[][] a, int[] basis) {
        double[][] m = new double[basis.length][];
        for (int r = 0; r < basis.length; r++) {
            m[r] = a[basis[r]];
        }
        return m;
    }

    private static double[] pick(double[] y, int[] basis) {
        double[] v = new double[basis.length];
        for (int r = 0; r < basis.length; r++) {
            v[r] = y[basis[r]];
        }
        return v;
    }

    private static double[] column(double[][] m, int c) {
        double[] v = new double[m.length];
        for (int r = 0; r < m.length; r++) {
            v[r] = m[r][c];
        }
        return v;
    }

    private static double[] multiply(double[][] m, double[] v) {
        double[] out = new double[m.length];
        for (int r = 0; r < m.length; r++) {
            out[r] = dot(m[r], v);
        }
        return out;
    }

    private static double sumAbs(double[] v) {
        double s = 0;
        for (double x : v) {
            s += Math.abs(x);
        }
        return s;
    }

    /** sum_j a_j b_j */
    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
        }
        return s;
    }
}
