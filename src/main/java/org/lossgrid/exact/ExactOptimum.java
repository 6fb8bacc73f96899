package org.lossgrid.exact;

import java.util.ArrayList;
import java.util.List;

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
            beta = switch (loss.kind()) {
                case MSE -> LeastSquares.solve(design, y);
                case MAE -> LeastAbsolute.solve(design, y);
                case HUBER -> HuberRegression.solve(design, y, ((Loss.Huber) loss).delta());
            };
        } catch (LeastSquares.Collinear e) {
            int column = e.column();
            String name = intercept && column == 0 ? "the intercept b" : data.featureNames().get(column - (intercept ? 1 : 0));
            List<String> before = new ArrayList<>();
            for (int c = 0; c < column; c++) {
                before.add(intercept && c == 0 ? "b" : data.featureNames().get(c - (intercept ? 1 : 0)));
            }
            throw LossgridException.badInput(data.name() + ": the features are collinear: " + name
                    + (before.isEmpty() ? " is zero in every row" : " is a linear combination of " + String.join(", ", before))
                    + " (" + e.getMessage() + "), so the optimum is not unique; drop that feature or a lag");
        } catch (ArithmeticException e) {
            throw new LossgridException(LossgridException.Kind.INTERNAL, data.name() + ": the exact " + loss.label()
                    + " optimum could not be computed (" + e.getMessage() + "); the data are not collinear, so this is "
                    + "a limit of the solver: please report it with the data", e);
        }
        Params params = toParams(beta, intercept);
        return new Fit(params, Reference.loss(loss, data, params));
    }

    /** Huber's usual tuning constant: 95% efficiency under normal errors, in units of the error scale. */
    public static final double HUBER_TUNING = 1.345;

    /**
     * The usual Huber delta for this data: {@code 1.345 sigma}, with the robust scale
     * {@code sigma = MAD / 0.6745} of the residuals of the exact MAE (least absolute deviations) fit,
     * {@code MAD = median_i |r_i - median(r)|}. Where more than half the residuals are equal (MAD = 0),
     * the mean absolute deviation stands in for the MAD; on a perfect fit, 1.
     */
    public static double huberDelta(Dataset data, boolean intercept) {
        Params lad = fit(Loss.MAE, data, intercept).params();
        double[] r = new double[data.n()];
        for (int i = 0; i < r.length; i++) {
            r[i] = data.y(i) - lad.predict(data.row(i));
        }
        double centre = median(r.clone());
        double[] deviation = new double[r.length];
        double meanDeviation = 0;
        for (int i = 0; i < r.length; i++) {
            deviation[i] = Math.abs(r[i] - centre);
            meanDeviation += deviation[i] / r.length;
        }
        double mad = median(deviation);
        double spread = mad > 0 ? mad : meanDeviation;
        return spread > 0 ? HUBER_TUNING * spread / 0.6745 : 1;
    }

    private static double median(double[] values) {
        java.util.Arrays.sort(values);
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : 0.5 * (values[mid - 1] + values[mid]);
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
