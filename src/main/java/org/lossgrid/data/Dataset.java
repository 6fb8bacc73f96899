package org.lossgrid.data;

import java.util.List;

/**
 * Samples of a linear regression problem held on the host in double precision:
 * targets {@code y[i]} and features {@code x[j][i]} (feature-major, j = 0..k-1 for w1..wk).
 * Backends upload float32 copies ({@link #yFloat()}, {@link #xFloat(int)}); exact solvers and
 * reported losses use the doubles.
 */
public final class Dataset {
    private final String name;
    private final List<String> featureNames;
    private final double[][] x;
    private final double[] y;

    public Dataset(String name, List<String> featureNames, double[][] x, double[] y) {
        if (featureNames.size() != x.length) {
            throw new IllegalArgumentException("feature names " + featureNames.size() + " != features " + x.length);
        }
        for (double[] column : x) {
            if (column.length != y.length) {
                throw new IllegalArgumentException("feature column length " + column.length + " != n " + y.length);
            }
        }
        this.name = name;
        this.featureNames = List.copyOf(featureNames);
        this.x = x;
        this.y = y;
    }

    public String name() {
        return name;
    }

    public List<String> featureNames() {
        return featureNames;
    }

    /** Number of samples. */
    public int n() {
        return y.length;
    }

    /** Number of features (weights w1..wk). */
    public int k() {
        return x.length;
    }

    public double y(int i) {
        return y[i];
    }

    /** x_j of sample i, j is 0-based (feature j+1). */
    public double x(int j, int i) {
        return x[j][i];
    }

    /** The features of sample i: [x1, ..., xk]. */
    public double[] row(int i) {
        double[] row = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            row[j] = x[j][i];
        }
        return row;
    }

    public double[] yColumn() {
        return y.clone();
    }

    public double[] xColumn(int j) {
        return x[j].clone();
    }

    public float[] yFloat() {
        return toFloat(y);
    }

    public float[] xFloat(int j) {
        return toFloat(x[j]);
    }

    /** All features as one float32 array, feature-major: {@code out[j * n + i] = x_(j+1), sample i}, as devices hold them. */
    public float[] xFloatFeatureMajor() {
        int n = y.length;
        float[] out = new float[Math.multiplyExact(x.length, n)];
        for (int j = 0; j < x.length; j++) {
            System.arraycopy(xFloat(j), 0, out, j * n, n);
        }
        return out;
    }

    /** The same samples rounded to float32 and widened back: what a float32 device sees. */
    public Dataset roundedToFloat() {
        double[][] xr = new double[x.length][];
        for (int j = 0; j < x.length; j++) {
            xr[j] = widen(toFloat(x[j]));
        }
        return new Dataset(name, featureNames, xr, widen(toFloat(y)));
    }

    private static float[] toFloat(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    private static double[] widen(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
