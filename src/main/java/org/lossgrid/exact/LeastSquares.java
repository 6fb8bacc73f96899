package org.lossgrid.exact;

/**
 * Dense least squares {@code min ||A beta - y||_2} by Householder QR with column equilibration, in
 * double, followed by iterative refinement of the augmented system
 * {@code [I A; A^T 0] [r; beta] = [y; 0]} (Björck) with residuals computed in extended precision
 * (products exact by {@link Math#fma}, sums compensated): the refinement removes the rounding errors
 * of the factorisation that the condition number amplifies, so ill-conditioned problems (NIST Filip,
 * Wampler5) reach the digits their data carry. The equilibration scales are powers of two, so the
 * scaled matrix is exactly the caller's.
 *
 * <p>A column that is numerically a combination of the ones before it (its part orthogonal to them
 * below {@value #RANK_TOLERANCE} of its norm) makes the problem rank-deficient beyond repair: that is a
 * {@link Collinear} exception naming the column, never a solution with wrong digits.
 */
public final class LeastSquares {
    /** Relative size of a column's new direction below which it counts as dependent on the columns before it. */
    static final double RANK_TOLERANCE = 1e-13;
    /** Refinement steps at most; each gains about 16 - log10(cond) digits, and it stops when a step changes nothing. */
    static final int REFINEMENTS = 10;

    private LeastSquares() {
    }

    /** A column of A is (numerically) a linear combination of the columns before it. */
    public static final class Collinear extends ArithmeticException {
        private final int column;

        Collinear(int column, double size) {
            super(String.format(java.util.Locale.ROOT, "column %d is a linear combination of the columns before it "
                    + "(its independent part is %.1e of its norm)", column, size));
            this.column = column;
        }

        /** The 0-based column of A. */
        public int column() {
            return column;
        }
    }

    /** ||x[from..]||_2 without overflow or underflow: max |x_i| * sqrt(sum (x_i / max)^2). */
    static double norm(double[] x, int from) {
        double max = 0;
        for (int i = from; i < x.length; i++) {
            max = Math.max(max, Math.abs(x[i]));
        }
        if (max == 0 || !Double.isFinite(max)) {
            return max;
        }
        double inverse = 1 / max;
        double sum = 0;
        for (int i = from; i < x.length; i++) {
            double scaled = x[i] * inverse;
            sum += scaled * scaled;
        }
        return max * Math.sqrt(sum);
    }

    /** beta = argmin ||A beta - y||_2 for A with rows a[i] (n x p, n >= p, full column rank) */
    public static double[] solve(double[][] a, double[] y) {
        int n = a.length;
        int p = a[0].length;
        if (n < p) {
            throw new IllegalArgumentException(n + " rows are too few for " + p + " unknowns");
        }
        double[] scale = new double[p];
        double[][] columns = new double[p][n];
        for (int j = 0; j < p; j++) {
            double[] column = new double[n];
            for (int i = 0; i < n; i++) {
                column[i] = a[i][j];
            }
            double norm = norm(column, 0);
            if (norm == 0) {
                throw new Collinear(j, 0);
            }
            scale[j] = Math.scalb(1.0, Math.getExponent(norm));
            for (int i = 0; i < n; i++) {
                columns[j][i] = a[i][j] / scale[j];
            }
        }
        Factorization qr = new Factorization(columns, n, p);
        double[] x = qr.solve(y);
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = residual(y[i], 0, columns, x, i);
        }
        for (int step = 0; step < REFINEMENTS; step++) {
            double[] f = new double[n];
            for (int i = 0; i < n; i++) {
                f[i] = residual(y[i], r[i], columns, x, i);
            }
            double[] g = new double[p];
            for (int j = 0; j < p; j++) {
                g[j] = -Dot2.dot(columns[j], r);
            }
            double[][] correction = qr.augmentedSolve(f, g);
            boolean changed = false;
            for (int j = 0; j < p; j++) {
                double next = x[j] + correction[1][j];
                changed |= next != x[j];
                x[j] = next;
            }
            for (int i = 0; i < n; i++) {
                r[i] += correction[0][i];
            }
            if (!changed) {
                break;
            }
        }
        double[] beta = new double[p];
        for (int j = 0; j < p; j++) {
            beta[j] = x[j] / scale[j];
        }
        return beta;
    }

    /** y_i - r_i - sum_j c_j[i] x_j, in extended precision and then rounded once */
    private static double residual(double y, double r, double[][] columns, double[] x, int i) {
        Dot2 sum = new Dot2();
        sum.add(y);
        sum.add(-r);
        for (int j = 0; j < x.length; j++) {
            sum.addProduct(-columns[j][i], x[j]);
        }
        return sum.value();
    }

    /** Householder QR of the scaled columns: A = Q [R; 0], Q as its reflectors. */
    private static final class Factorization {
        private final double[][] v;
        private final double[] vtv;
        private final double[] diagonal;
        private final int n;
        private final int p;

        Factorization(double[][] columns, int n, int p) {
            this.n = n;
            this.p = p;
            this.v = new double[p][];
            this.vtv = new double[p];
            this.diagonal = new double[p];
            double[][] work = new double[p][];
            for (int j = 0; j < p; j++) {
                work[j] = columns[j].clone();
            }
            for (int k = 0; k < p; k++) {
                double[] col = work[k];
                double norm = norm(col, k);
                double full = norm(columns[k], 0);
                if (norm <= RANK_TOLERANCE * full) {
                    throw new Collinear(k, norm / full);
                }
                double alpha = col[k] > 0 ? -norm : norm;
                col[k] -= alpha;
                double dot = 0;
                for (int i = k; i < n; i++) {
                    dot += col[i] * col[i];
                }
                vtv[k] = dot;
                for (int j = k + 1; j < p; j++) {
                    reflect(col, work[j], k, vtv[k]);
                }
                v[k] = col;
                diagonal[k] = alpha;
            }
            this.upper = work;
        }

        /** R's entries above the diagonal: upper[j][k] = R[k][j] for k < j. */
        private final double[][] upper;

        /** x = argmin ||A x - b|| = R^-1 (Q^T b)[0..p) */
        double[] solve(double[] b) {
            double[] d = b.clone();
            applyQt(d);
            return backSubstitute(d);
        }

        /**
         * [u; w] with u + A w = f and A^T u = g: h = R^-T g, d = Q^T f, u = Q [h; d2], w = R^-1 (d1 - h)
         */
        double[][] augmentedSolve(double[] f, double[] g) {
            double[] h = new double[p];
            for (int k = 0; k < p; k++) {
                double s = g[k];
                for (int j = 0; j < k; j++) {
                    s -= upper[k][j] * h[j];
                }
                h[k] = s / diagonal[k];
            }
            double[] d = f.clone();
            applyQt(d);
            double[] top = new double[p];
            for (int k = 0; k < p; k++) {
                top[k] = d[k] - h[k];
            }
            double[] w = backSubstitute(top);
            double[] u = d;
            System.arraycopy(h, 0, u, 0, p);
            applyQ(u);
            return new double[][] {u, w};
        }

        /** x = R^-1 d[0..p) */
        private double[] backSubstitute(double[] d) {
            double[] x = new double[p];
            for (int k = p - 1; k >= 0; k--) {
                double s = d[k];
                for (int j = k + 1; j < p; j++) {
                    s -= upper[j][k] * x[j];
                }
                x[k] = s / diagonal[k];
            }
            return x;
        }

        /** b <- Q^T b = H_(p-1) ... H_0 b */
        private void applyQt(double[] b) {
            for (int k = 0; k < p; k++) {
                reflect(v[k], b, k, vtv[k]);
            }
        }

        /** b <- Q b = H_0 ... H_(p-1) b */
        private void applyQ(double[] b) {
            for (int k = p - 1; k >= 0; k--) {
                reflect(v[k], b, k, vtv[k]);
            }
        }

        /** x <- x - 2 v (v . x) / (v . v) on rows k..n-1 */
        private void reflect(double[] vk, double[] x, int k, double vv) {
            double dot = 0;
            for (int i = k; i < n; i++) {
                dot += vk[i] * x[i];
            }
            double f = 2 * dot / vv;
            for (int i = k; i < n; i++) {
                x[i] -= f * vk[i];
            }
        }
    }

    /**
     * A sum in about twice double precision (Ogita, Rump and Oishi's Dot2): products split exactly by
     * fma, every addition's rounding error kept by TwoSum in a second accumulator.
     */
    static final class Dot2 {
        private double sum;
        private double error;

        /** sum += x, with x's rounding error kept */
        void add(double x) {
            double s = sum + x;
            double z = s - sum;
            error += (sum - (s - z)) + (x - z);
            sum = s;
        }

        /** sum += a b, exactly split into the rounded product and its error fma(a, b, -ab) */
        void addProduct(double a, double b) {
            double product = a * b;
            error += Math.fma(a, b, -product);
            add(product);
        }

        double value() {
            return sum + error;
        }

        /** sum_i a_i b_i in extended precision */
        static double dot(double[] a, double[] b) {
            Dot2 s = new Dot2();
            for (int i = 0; i < a.length; i++) {
                s.addProduct(a[i], b[i]);
            }
            return s.value();
        }
    }
}
