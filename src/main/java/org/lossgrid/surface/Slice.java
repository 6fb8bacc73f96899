package org.lossgrid.surface;

import java.util.LinkedHashMap;
import java.util.Map;

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
            throw LossgridException.badInput("--axes: the two axes must be different parameters, got "
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
}
