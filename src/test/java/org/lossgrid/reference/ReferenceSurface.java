package org.lossgrid.reference;

import org.lossgrid.data.Dataset;
import org.lossgrid.loss.Loss;
import org.lossgrid.surface.GridSpec;
import org.lossgrid.surface.Slice;

/** The double-precision reference of a whole surface, point by point, for the surface tests. */
public final class ReferenceSurface {
    private ReferenceSurface() {
    }

    /** values[r * nw + c] = L(slice.point(u_c, v_r)) */
    public static double[] surface(Loss loss, Dataset data, Slice slice, GridSpec grid) {
        double[] values = new double[Math.toIntExact(grid.points())];
        for (int r = 0; r < grid.rows(); r++) {
            for (int c = 0; c < grid.columns(); c++) {
                values[r * grid.columns() + c] = Reference.loss(loss, data,
                        slice.point(grid.horizontal().value(c), grid.vertical().value(r)));
            }
        }
        return values;
    }
}
