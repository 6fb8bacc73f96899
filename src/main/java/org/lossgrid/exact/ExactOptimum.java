package org.lossgrid.exact;

import org.lossgrid.data.Dataset;
import org.lossgrid.error.LossgridException;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.Params;
import org.lossgrid.reference.Reference;

/**
 * The exact minimiser of a loss over a dataset, in double: OLS by Householder QR for MSE, and least
 * absolute deviations for MAE, by iteratively reweighted least squares polished to the optimal
 * vertex by {@link LeastAbsolute}.
 */
public final class ExactOptimum {
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
            beta = loss instanceof Loss.Mse ? LeastSquares.solve(design, y) : LeastAbsolute.solve(design, y);
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
}
