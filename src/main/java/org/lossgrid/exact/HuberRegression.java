package org.lossgrid.exact;

/**
 * Huber regression {@code min_beta mean_i H_delta(y_i - a_i beta)}, with {@code H_delta(e) = e^2/2} for
 * {@code |e| <= delta} and {@code delta (|e| - delta/2)} beyond, by iteratively reweighted least
 * squares: {@code beta <- argmin sum_i w_i (y_i - a_i beta)^2} with {@code w_i = min(1, delta / |e_i|)},
 * each step a Householder QR ({@link LeastSquares}) of the rows scaled by {@code sqrt(w_i)}.
 *
 * <p>Each step minimises a quadratic that majorises the convex, smooth objective and touches it at the
 * current point, so the objective never increases and the iterates converge to the unique minimiser
 * (for a design of full column rank). It stops when a step changes no parameter by more than
 * {@value #TOLERANCE} of its size (or of the design's scale), or after {@value #MAX_ITERATIONS} steps;
 * at that tolerance the loss agrees with the optimum to far better than 1e-9 relative, since the loss
 * is flat to first order at its minimum.
 */
final class HuberRegression {
    static final double TOLERANCE = 1e-12;
    static final int MAX_ITERATIONS = 1000;

    private HuberRegression() {
    }

    /** beta = argmin mean_i H_delta(y_i - a_i beta), from the least-squares fit */
    static double[] solve(double[][] a, double[] y, double delta) {
        int n = a.length;
        int p = a[0].length;
        double[] beta = LeastSquares.solve(a, y);
        double[][] weighted = new double[n][p];
        double[] target = new double[n];
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            for (int i = 0; i < n; i++) {
                double e = y[i] - LeastAbsolute.dot(a[i], beta);
                double root = Math.abs(e) <= delta ? 1 : Math.sqrt(delta / Math.abs(e));
                for (int j = 0; j < p; j++) {
                    weighted[i][j] = root * a[i][j];
                }
                target[i] = root * y[i];
            }
            double[] next = LeastSquares.solve(weighted, target);
            boolean settled = true;
            for (int j = 0; j < p; j++) {
                if (Math.abs(next[j] - beta[j]) > TOLERANCE * Math.max(Math.abs(next[j]), 1e-300 + Math.abs(beta[j]))) {
                    settled = false;
                }
            }
            beta = next;
            if (settled) {
                break;
            }
        }
        return beta;
    }
}
