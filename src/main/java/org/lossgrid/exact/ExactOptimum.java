package org.lossgrid.exact;

import java.util.Arrays;

import org.lossgrid.data.Dataset;
import org.lossgrid.error.LossgridException;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.Params;
import org.lossgrid.reference.Reference;

/**
 * The exact minimiser of a loss over a dataset, in double: OLS by Householder QR for MSE, and least
 * absolute deviations for MAE, by iteratively reweighted least squares polished to the optimal
 * vertex (an LAD optimum interpolates at least p = k + 1 samples exactly).
 */
public final class ExactOptimum {
    private static final int IRLS_ITERATIONS = 200;

    private ExactOptimum() {
    }

    /** An optimum: the parameters and the loss there. */
    public record Fit(Params params, double loss) {
    }

    public static Fit fit(Loss loss, Dataset data, boolean intercept) {
        int p = data.k() + (intercept ? 1 : 0);
        if (data.n() < p) {
            throw LossgridException.badInput(data.name() + ": " + data.n() + " rows are too few to fit "
                    + p + " parameters");
        }
        double[][] design = design(data, intercept);
        double[] y = data.yColumn();
        double[] beta;
        try {
            beta = loss instanceof Loss.Mse ? LeastSquares.solve(design, y) : leastAbsolute(design, y);
        } catch (ArithmeticException e) {
            throw LossgridException.badInput(data.name() + ": the features are collinear (" + e.getMessage()
                    + "), so the optimum is not unique; drop a feature or a lag");
        }
        Params params = toParams(beta, intercept);
        return new Fit(params, Reference.loss(loss, data, params));
    }

    static double[][] design(Dataset data, boolean intercept) {
        int offset = intercept ? 1 : 0;
        double[][] a = new double[data.n()][data.k() + offset];
        for (int i = 0; i < data.n(); i++) {
            if (intercept) {
                a[i][0] = 1;
            }
            for (int j = 0; j < data.k(); j++) {
                a[i][j + offset] = data.x(j, i);
            }
        }
        return a;
    }

    private static Params toParams(double[] beta, boolean intercept) {
        if (intercept) {
            return Params.fromFlat(beta);
        }
        return new Params(0, beta);
    }

    /** argmin_beta sum_i |y_i - a_i . beta| */
    static double[] leastAbsolute(double[][] a, double[] y) {
        int n = a.length;
        int p = a[0].length;
        double[] beta = LeastSquares.solve(a, y);
        double scale = 0;
        for (double v : y) {
            scale = Math.max(scale, Math.abs(v));
        }
        double floor = 1e-10 * Math.max(scale, 1e-300);
        double[][] weighted = new double[n][p];
        double[] wy = new double[n];
        double previous = Double.POSITIVE_INFINITY;
        for (int iteration = 0; iteration < IRLS_ITERATIONS; iteration++) {
            for (int i = 0; i < n; i++) {
                double r = Math.abs(y[i] - dot(a[i], beta));
                double w = 1 / Math.sqrt(Math.max(r, floor));
                for (int j = 0; j < p; j++) {
                    weighted[i][j] = a[i][j] * w;
                }
                wy[i] = y[i] * w;
            }
            beta = LeastSquares.solve(weighted, wy);
            double current = absoluteSum(a, y, beta);
            if (previous - current <= 1e-15 * current) {
                break;
            }
            previous = current;
        }
        return polish(a, y, beta);
    }

    /**
     * Moves to the optimal vertex near beta: repeatedly interpolate the p samples with the smallest
     * residuals and keep the result while it does not increase the loss.
     */
    private static double[] polish(double[][] a, double[] y, double[] beta) {
        int n = a.length;
        int p = a[0].length;
        double best = absoluteSum(a, y, beta);
        for (int round = 0; round < 20; round++) {
            Integer[] order = new Integer[n];
            double[] residual = new double[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
                residual[i] = Math.abs(y[i] - dot(a[i], beta));
            }
            Arrays.sort(order, (i, j) -> Double.compare(residual[i], residual[j]));
            double[] candidate = null;
            for (int extra = 0; extra < 3 && candidate == null && p + extra <= n; extra++) {
                double[][] basis = new double[p][];
                double[] target = new double[p];
                for (int r = 0; r < p; r++) {
                    int i = order[r < p - 1 ? r : r + extra];
                    basis[r] = a[i];
                    target[r] = y[i];
                }
                try {
                    candidate = LeastSquares.solve(basis, target);
                } catch (ArithmeticException e) {
                    candidate = null;
                }
            }
            if (candidate == null) {
                return beta;
            }
            double value = absoluteSum(a, y, candidate);
            if (!(value < best) || Arrays.equals(candidate, beta)) {
                return value <= best ? candidate : beta;
            }
            best = value;
            beta = candidate;
        }
        return beta;
    }

    private static double absoluteSum(double[][] a, double[] y, double[] beta) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(y[i] - dot(a[i], beta));
        }
        return sum;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
        }
        return s;
    }
}
