package org.lossgrid.model;

import java.util.Arrays;

/**
 * Parameters of the linear model {@code y = b + sum_j w[j] * x_j}. Index 0 of the flat form
 * is {@code b}; index j (1-based) is {@code w_j}, so parameter names map to indices directly.
 */
public record Params(double b, double[] w) {

    public Params {
        w = w.clone();
    }

    public static Params zeros(int features) {
        return new Params(0, new double[features]);
    }

    /**
     * The parameters that assignments such as "b=100,w1=0.97" give a model with {@code features} weights,
     * the others 0; errors name {@code param}.
     */
    public static Params parse(String assignments, int features, String param) {
        Params params = zeros(features);
        for (java.util.Map.Entry<Integer, Double> e : ParamName.parseAssignments(assignments, features, param).entrySet()) {
            params = params.with(e.getKey(), e.getValue());
        }
        return params;
    }

    /** flat = [b, w1, ..., wk] */
    public static Params fromFlat(double[] flat) {
        return new Params(flat[0], Arrays.copyOfRange(flat, 1, flat.length));
    }

    @Override
    public double[] w() {
        return w.clone();
    }

    public double w(int j) {
        return w[j];
    }

    public int features() {
        return w.length;
    }

    /** [b, w1, ..., wk] */
    public double[] flat() {
        double[] flat = new double[w.length + 1];
        flat[0] = b;
        System.arraycopy(w, 0, flat, 1, w.length);
        return flat;
    }

    public double get(int index) {
        return index == 0 ? b : w[index - 1];
    }

    public Params with(int index, double value) {
        double[] flat = flat();
        flat[index] = value;
        return fromFlat(flat);
    }

    /** yhat = b + sum_j w_j * x_j */
    public double predict(double[] x) {
        double yhat = b;
        for (int j = 0; j < w.length; j++) {
            yhat += w[j] * x[j];
        }
        return yhat;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Params p && Double.compare(p.b, b) == 0 && Arrays.equals(p.w, w);
    }

    @Override
    public int hashCode() {
        return 31 * Double.hashCode(b) + Arrays.hashCode(w);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("b=").append(b);
        for (int j = 0; j < w.length; j++) {
            s.append(", w").append(j + 1).append('=').append(w[j]);
        }
        return s.toString();
    }
}
