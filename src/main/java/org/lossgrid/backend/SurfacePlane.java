package org.lossgrid.backend;

/**
 * A 2-D slice of a dataset's loss in the form every surface method evaluates:
 * {@code e_i(r, c) = t_i - du[c] * p_i - dv[r] * q_i}, with {@code L(r, c) = mean_i term(e_i)}.
 *
 * <p>The grid is re-expressed around its centre {@code (u0, v0)}: {@code du = u - u0}, {@code dv = v - v0},
 * and {@code t_i = y_i - theta(u0, v0) . x_i} is computed in double from the float32 data a device
 * holds. Near the centre a float32 residual is then a small number known to full float precision,
 * instead of the difference of two large rounded ones; this keeps brute-force surfaces of data far
 * from the origin, and of near-perfect fits, within the precision contract. Exact methods use the
 * double values; float32 kernels use {@link #floats()}. The surface layer builds it from a
 * dataset, a slice and a grid ({@code Slice.plane}); backends only evaluate it.
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

    private static float[] toFloat(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
