package org.lossgrid.surface;

import org.lossgrid.data.Dataset;

/**
 * A 2-D slice of a dataset's loss in the form every surface kernel evaluates:
 * {@code e_i(r, c) = t_i - du[c] * p_i - dv[r] * q_i}, with {@code L(r, c) = mean_i term(e_i)}.
 *
 * <p>The grid is re-expressed around its centre {@code (u0, v0)}: {@code du = u - u0}, {@code dv = v - v0},
 * and {@code t_i = y_i - theta(u0, v0) . x_i} is computed in double before rounding to float. Near the
 * centre the float32 residual is then a small number known to full float precision, instead of the
 * difference of two large rounded ones; this keeps surfaces of data far from the origin, and of
 * near-perfect fits, within the precision contract.
 */
public record SurfacePlane(float[] t, float[] p, float[] q, float[] du, float[] dv) {

    public int samples() {
        return t.length;
    }

    public int columns() {
        return du.length;
    }

    public int rows() {
        return dv.length;
    }

    /** Builds the plane from the float32 view of the data, as a device sees it. */
    public static SurfacePlane of(Dataset data, Slice slice, GridSpec grid) {
        int n = data.n();
        double u0 = grid.horizontal().center();
        double v0 = grid.vertical().center();
        double[] theta = slice.point(u0, v0).flat();
        float[] y = data.yFloat();
        float[][] x = new float[data.k()][];
        for (int j = 0; j < data.k(); j++) {
            x[j] = data.xFloat(j);
        }
        float[] t = new float[n];
        for (int i = 0; i < n; i++) {
            double residual = y[i] - theta[0];
            for (int j = 0; j < x.length; j++) {
                residual -= theta[j + 1] * x[j][i];
            }
            t[i] = (float) residual;
        }
        return new SurfacePlane(t, column(x, slice.horizontal(), n), column(x, slice.vertical(), n),
                offsets(grid.horizontal(), u0), offsets(grid.vertical(), v0));
    }

    private static float[] column(float[][] x, int param, int n) {
        if (param == 0) {
            float[] ones = new float[n];
            java.util.Arrays.fill(ones, 1f);
            return ones;
        }
        return x[param - 1].clone();
    }

    private static float[] offsets(Axis axis, double center) {
        float[] d = new float[axis.n()];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (axis.value(i) - center);
        }
        return d;
    }
}
