package org.lossgrid.train;

import org.lossgrid.data.Dataset;
import org.lossgrid.loss.Loss;

/**
 * The largest learning rate at which plain gradient descent on MSE cannot diverge: {@code 2 / lambda_max(H)}
 * with Hessian {@code H = (2/n) sum_i a_i a_i^T}, {@code a_i = [1, x_1i, ..., x_ki]} (without the 1 when
 * there is no intercept). Used to suggest a learning rate after divergence.
 */
public final class StableStep {
    private StableStep() {
    }

    /**
     * 2 / lambda_max((c/n) A^T A) with c = loss.curvature(): the MSE limit, scaled for a loss whose
     * second derivative is at most c (Huber: 1, so twice the MSE limit)
     */
    public static double limit(Loss loss, Dataset data, boolean intercept) {
        return mseLimit(data, intercept) * Loss.MSE.curvature() / loss.curvature();
    }

    /** 2 / lambda_max((2/n) A^T A), lambda_max by power iteration */
    public static double mseLimit(Dataset data, boolean intercept) {
        int offset = intercept ? 1 : 0;
        int p = data.k() + offset;
        double[][] h = new double[p][p];
        double[] a = new double[p];
        for (int i = 0; i < data.n(); i++) {
            if (intercept) {
                a[0] = 1;
            }
            for (int j = 0; j < data.k(); j++) {
                a[j + offset] = data.x(j, i);
            }
            for (int r = 0; r < p; r++) {
                for (int c = 0; c < p; c++) {
                    h[r][c] += 2 * a[r] * a[c] / data.n();
                }
            }
        }
        double[] v = new double[p];
        java.util.Arrays.fill(v, 1 / Math.sqrt(p));
        double lambda = 0;
        for (int iteration = 0; iteration < 500; iteration++) {
            double[] next = new double[p];
            for (int r = 0; r < p; r++) {
                for (int c = 0; c < p; c++) {
                    next[r] += h[r][c] * v[c];
                }
            }
            double norm = 0;
            for (double x : next) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            if (norm == 0) {
                return Double.POSITIVE_INFINITY;
            }
            for (int r = 0; r < p; r++) {
                v[r] = next[r] / norm;
            }
            if (Math.abs(norm - lambda) <= 1e-12 * norm) {
                lambda = norm;
                break;
            }
            lambda = norm;
        }
        return 2 / lambda;
    }
}
