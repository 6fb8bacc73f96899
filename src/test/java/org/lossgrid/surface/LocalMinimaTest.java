package org.lossgrid.surface;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Local minima of a grid as it streams past in tiles of any size. */
class LocalMinimaTest {
    /** cos(x) cos(y) + 0.01 x on [-3pi, 3pi]^2 sampled 61 x 61: interior minima where cos x cos y = -1, tilted apart. */
    private static float[] eggCrate(GridSpec grid) {
        float[] values = new float[(int) grid.points()];
        for (int r = 0; r < grid.rows(); r++) {
            for (int c = 0; c < grid.columns(); c++) {
                double x = grid.horizontal().value(c);
                double y = grid.vertical().value(r);
                values[r * grid.columns() + c] = (float) (Math.cos(x) * Math.cos(y) + 0.01 * x + 0.001 * y);
            }
        }
        return values;
    }

    private static LocalMinima stream(GridSpec grid, float[] values, int tileRows, int limit) {
        LocalMinima minima = new LocalMinima(limit);
        minima.begin(grid);
        int columns = grid.columns();
        for (int row0 = 0; row0 < grid.rows(); row0 += tileRows) {
            int rows = Math.min(tileRows, grid.rows() - row0);
            float[] tile = new float[tileRows * columns];
            System.arraycopy(values, row0 * columns, tile, 0, rows * columns);
            minima.rows(row0, rows, tile);
        }
        return minima;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 61})
    void findsTheInteriorMinimaOfAnEggCrateWhateverTheTiles(int tileRows) {
        double pi3 = 3 * Math.PI;
        GridSpec grid = new GridSpec(new Axis(-pi3, pi3, 61), new Axis(-pi3, pi3, 61));
        LocalMinima minima = stream(grid, eggCrate(grid), tileRows, 3);
        // cos x cos y = -1 at (x, y) = (pi m, pi n) with m + n odd, |m|, |n| <= 2 in the interior: 12 points
        assertEquals(12, minima.count());
        List<LocalMinima.Minimum> lowest = minima.lowest();
        assertEquals(3, lowest.size());
        assertEquals(-2 * Math.PI, lowest.get(0).u(), 1e-9, "the tilt makes x = -2 pi lowest");
        assertEquals(true, lowest.get(0).loss() <= lowest.get(1).loss() && lowest.get(1).loss() <= lowest.get(2).loss());
        LocalMinima.Minimum first = lowest.get(0);
        assertEquals(grid.horizontal().value(first.column()), first.u());
        assertEquals(grid.vertical().value(first.row()), first.v());
    }

    @Test
    void bordersPlateausAndNonFiniteNeighbours() {
        GridSpec grid = new GridSpec(new Axis(0, 4, 5), new Axis(0, 3, 4));
        float nan = Float.NaN;
        float[] values = {
            5, 5, 5, 5, 0,
            5, 1, 5, 2, 2,
            5, 5, nan, 5, 5,
            5, 5, 5, 5, 5,
        };
        LocalMinima minima = stream(grid, values, 3, 10);
        // (0, 4) is on the border; (1, 3) ties with (1, 4); (1, 1) is below all its neighbours, NaN counting as higher
        assertEquals(1, minima.count());
        assertEquals(1, minima.lowest().get(0).row());
        assertEquals(1, minima.lowest().get(0).column());
    }

    @Test
    void aOneRowGridComparesLeftAndRight() {
        GridSpec grid = new GridSpec(new Axis(0, 6, 7), new Axis(0, 0, 1));
        LocalMinima minima = stream(grid, new float[] {1, 3, 2, 4, 0, 0, 5}, 1, 10);
        assertEquals(1, minima.count());
        assertEquals(2, minima.lowest().get(0).column());
    }
}
