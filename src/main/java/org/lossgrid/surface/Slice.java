package org.lossgrid.surface;

import static org.lossgrid.error.LossgridException.param;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.lossgrid.backend.SurfacePlane;
import org.lossgrid.data.Dataset;
import org.lossgrid.error.LossgridException;
import org.lossgrid.model.ParamName;
import org.lossgrid.model.Params;

/**
 * Which two parameters a surface varies (indices in {@link Params#flat()}: 0 = b, j = w_j), and the
 * values at which every other parameter is held.
 */
public record Slice(int horizontal, int vertical, Params at) {

    public Slice {
        int size = at.features() + 1;
        if (horizontal < 0 || horizontal >= size || vertical < 0 || vertical >= size) {
            throw new IllegalArgumentException("slice axes out of range for " + at.features() + " features");
        }
        if (horizontal == vertical) {
            throw LossgridException.badInput(param("axes") + ": the two axes must be different parameters, got "
                    + ParamName.of(horizontal) + " twice");
        }
    }

    /** The book's slice: w1 horizontally, b vertically, other weights at the given values. */
    public static Slice wb(Params at) {
        return new Slice(1, 0, at);
    }

    public String horizontalName() {
        return ParamName.of(horizontal);
    }

    public String verticalName() {
        return ParamName.of(vertical);
    }

    /** The parameters the surface does not vary, by name (b, w1, ...) in order, with the values they are held at. */
    public Map<String, Double> held() {
        Map<String, Double> held = new LinkedHashMap<>();
        for (int index = 0; index <= at.features(); index++) {
            if (index != horizontal && index != vertical) {
                held.put(ParamName.of(index), at.get(index));
            }
        }
        return held;
    }

    /** The full parameter vector at grid point (u, v). */
    public Params point(double u, double v) {
        return at.with(horizontal, u).with(vertical, v);
    }

    /** This slice of {@code data} over {@code grid} as a plane, from the float32 view of the data, as a device sees it. */
    public SurfacePlane plane(Dataset data, GridSpec grid) {
        Dataset rounded = data.roundedToFloat();
        int n = rounded.n();
        double u0 = grid.horizontal().center();
        double v0 = grid.vertical().center();
        double[] theta = point(u0, v0).flat();
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            double residual = rounded.y(i) - theta[0];
            for (int j = 0; j < rounded.k(); j++) {
                residual -= theta[j + 1] * rounded.x(j, i);
            }
            t[i] = residual;
        }
        return new SurfacePlane(t, column(rounded, horizontal), column(rounded, vertical),
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
}
