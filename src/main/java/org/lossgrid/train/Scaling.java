package org.lossgrid.train;

import java.util.List;

import org.lossgrid.data.Dataset;
import org.lossgrid.model.Params;
import org.lossgrid.model.Scale;

/**
 * An affine change of units under which gradient descent is well conditioned:
 * {@code x'_j = (x_j - mx_j) / sx_j} and {@code y' = (y - my) / sy}. With an intercept the means are
 * subtracted (standardisation); without one only the scales are divided out, so that {@code b = 0}
 * stays {@code b' = 0}. The identity scaling is {@code --scale none}, the book's raw units.
 */
public final class Scaling {
    private final double[] xMean;
    private final double[] xScale;
    private final double yMean;
    private final double yScale;

    private Scaling(double[] xMean, double[] xScale, double yMean, double yScale) {
        this.xMean = xMean;
        this.xScale = xScale;
        this.yMean = yMean;
        this.yScale = yScale;
    }

    public static Scaling identity(int features) {
        double[] ones = new double[features];
        java.util.Arrays.fill(ones, 1);
        return new Scaling(new double[features], ones, 0, 1);
    }

    /** Means and standard deviations of the data (root mean squares when there is no intercept). */
    public static Scaling standardize(Dataset data, boolean intercept) {
        int k = data.k();
        double[] mean = new double[k];
        double[] scale = new double[k];
        for (int j = 0; j < k; j++) {
            double[] column = data.xColumn(j);
            mean[j] = intercept ? mean(column) : 0;
            scale[j] = nonZero(rms(column, mean[j]));
        }
        double[] y = data.yColumn();
        double ym = intercept ? mean(y) : 0;
        return new Scaling(mean, scale, ym, nonZero(rms(y, ym)));
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return s / v.length;
    }

    /** sqrt(mean (v - m)^2) */
    private static double rms(double[] v, double m) {
        double s = 0;
        for (double d : v) {
            s += (d - m) * (d - m);
        }
        return Math.sqrt(s / v.length);
    }

    private static double nonZero(double scale) {
        return scale > 0 && Double.isFinite(scale) ? scale : 1;
    }

    public double yScale() {
        return yScale;
    }

    /** The scaling a saved model was trained under: x'_j = (x_j - xMean_j) / xSd_j, y' = (y - yMean) / ySd */
    public static Scaling of(Scale scale) {
        return new Scaling(scale.xMean(), scale.xSd(), scale.yMean(), scale.ySd());
    }

    /** The means and scales as a saved model holds them. */
    public Scale scale() {
        return new Scale(xMean, xScale, yMean, yScale);
    }

    /** The dataset in scaled units. */
    public Dataset apply(Dataset data) {
        double[][] x = new double[data.k()][data.n()];
        double[] y = new double[data.n()];
        for (int i = 0; i < data.n(); i++) {
            y[i] = (data.y(i) - yMean) / yScale;
            for (int j = 0; j < data.k(); j++) {
                x[j][i] = (data.x(j, i) - xMean[j]) / xScale[j];
            }
        }
        return new Dataset(data.name(), List.copyOf(data.featureNames()), x, y);
    }

    /** w_j = sy w'_j / sx_j, b = my + sy b' - sum_j w_j mx_j */
    public Params toOriginal(Params scaled) {
        double[] w = new double[xScale.length];
        double b = yMean + yScale * scaled.b();
        for (int j = 0; j < w.length; j++) {
            w[j] = yScale * scaled.w(j) / xScale[j];
            b -= w[j] * xMean[j];
        }
        return new Params(b, w);
    }

    /** The inverse of {@link #toOriginal}: w'_j = w_j sx_j / sy, b' = (b + sum_j w_j mx_j - my) / sy */
    public Params toScaled(Params original) {
        double[] w = new double[xScale.length];
        double b = original.b() - yMean;
        for (int j = 0; j < w.length; j++) {
            w[j] = original.w(j) * xScale[j] / yScale;
            b += original.w(j) * xMean[j];
        }
        return new Params(b / yScale, w);
    }
}
