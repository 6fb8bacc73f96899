package org.lossgrid.reference;

import org.lossgrid.backend.LossGradient;
import org.lossgrid.data.Dataset;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.Params;

/**
 * The double-precision reference: straightforward loops, no blocking, no tricks. Every backend and
 * every fast method is tested against it, and reported losses of trained or exact parameters use it.
 */
public final class Reference {
    private Reference() {
    }

    /** L = mean_i term(y_i - params . x_i) */
    public static double loss(Loss loss, Dataset data, Params params) {
        double sum = 0;
        for (int i = 0; i < data.n(); i++) {
            sum += loss.term(data.y(i) - params.predict(data.row(i)));
        }
        return sum / data.n();
    }

    /** [dL/db, dL/dw_j] = -mean_i slope(e_i) * [1, x_ji] */
    public static LossGradient lossAndGradient(Loss loss, Dataset data, Params params) {
        double sum = 0;
        double[] gradient = new double[data.k() + 1];
        for (int i = 0; i < data.n(); i++) {
            double[] row = data.row(i);
            double e = data.y(i) - params.predict(row);
            sum += loss.term(e);
            double slope = loss.slope(e);
            gradient[0] -= slope;
            for (int j = 0; j < row.length; j++) {
                gradient[j + 1] -= slope * row[j];
            }
        }
        for (int g = 0; g < gradient.length; g++) {
            gradient[g] /= data.n();
        }
        return new LossGradient(sum / data.n(), gradient);
    }
}
