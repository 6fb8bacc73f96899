package org.lossgrid.surface;

import java.util.Arrays;

import org.lossgrid.data.Dataset;

/**
 * A 2-D slice of a dataset's loss in the form every surface method evaluates:
 * {@code e_i(r, c) = t_i - du[c] * p_i - dv[r] * q_i}, with {@code L(r, c) = mean_i term(e_i)}.
 *
 * <p>The grid is re-expressed around its centre {@code (u0, v0)}: {@code du = u - u0}, {@code dv = v - v0},
 * and {@code t_i = y_i - theta(u0, v0) . x_i} is computed in double from the float32 data a device
 * holds. Near the centre a float32 residual is then a small number known to full float precision,
 * instead of the difference of two large rounded ones; this keeps brute-force surfaces of data far
 * from the origin, and of near-perfect fits, within the precision contract. Exact methods use the
 * double values; float32 kernels use {@link #floats()}.
 */
public record SurfacePlane(double[] t, double[] p, double[] q, double[] du, double[] dv) {

    /** The plane rounded to float32, for device kernels. */
    public record Floats(float[] t, float[] p, float[] q, float[] du, float[] dv) {
    }

    public int samples() {
        return t.length;
    }

    public int columns() {
        return du.length;
    }

    public int rows() {
        return dv.length;
    }

    public Floats floats() {
        return new Floats(toFloat(t), toFloat(p), toFloat(q), toFloat(du), toFloat(dv));
    }

    /** Builds the plane from the float32 view of the data, as a device sees it. */
    public static SurfacePlane of(Dataset data, Slice slice, GridSpec grid) {
        Dataset rounded = data.roundedToFloat();
        int n = rounded.n();
        double u0 = grid.horizontal().center();
        double v0 = grid.vertical().center();
        double[] theta = slice.point(u0, v0).flat();
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            double residual = rounded.y(i) - theta[0];
            for (int j = 0; j < rounded.k(); j++) {
                residual -= theta[j + 1] * rounded.x(j, i);
            }
            t[i] = residual;
        }
        return new SurfacePlane(t, column(rounded, slice.horizontal()), column(rounded, slice.vertical()),
                offsets(grid.horizontal(), u0), offsets(grid.vertical(), v0));
    }

    private static double[] column(Dataset data, int param) {
        if (param == 0) {
            double[] ones = new double[data.n()];
            Arrays.fill(ones, 1);
            return ones;
        }
        return data.xColumn(param - 1);
    }

    private static double[] offsets(Axis axis, double center) {
        double[] d = new double[axis.n()];
        for (int i = 0; i < d.length; i++) {
            d[i] = axis.value(i) - center;
        }
        return d;
    }

    private static float[] toFloat(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
