package org.lossgrid.surface;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Finds the local minima of a grid as it streams past: interior points lower than each of their 8
 * neighbours (2 on a grid of one row), the border points having neighbours outside the grid that were
 * never computed. A neighbour whose value is not finite counts as higher; equal values (a plateau) are
 * no minimum. Holds three rows at a time; counts every minimum and keeps the {@code limit} lowest.
 */
public final class LocalMinima implements SurfaceSink {
    /** A local minimum: its grid row and column, its coordinates and its loss. */
    public record Minimum(int row, int column, double u, double v, float loss) {
    }

    private final int limit;
    private final PriorityQueue<Minimum> lowest = new PriorityQueue<>(Comparator.comparingDouble((Minimum m) -> m.loss())
            .reversed());
    private GridSpec grid;
    private float[] above;
    private float[] here;
    private long count;

    public LocalMinima(int limit) {
        this.limit = limit;
    }

    @Override
    public void begin(GridSpec full) {
        grid = full;
        above = null;
        here = null;
        count = 0;
        lowest.clear();
    }

    @Override
    public void rows(int row0, int rows, float[] values) {
        int columns = grid.columns();
        for (int r = 0; r < rows; r++) {
            float[] below = new float[columns];
            System.arraycopy(values, r * columns, below, 0, columns);
            if (grid.rows() == 1) {
                scan(0, null, below, null);
            } else if (here != null && above != null) {
                scan(row0 + r - 1, above, here, below);
            }
            above = here;
            here = below;
        }
    }

    /** Checks each interior column of {@code row}; {@code up} and {@code down} are null on a grid of one row. */
    private void scan(int row, float[] up, float[] middle, float[] down) {
        for (int c = 1; c < middle.length - 1; c++) {
            float v = middle[c];
            if (Float.isFinite(v) && !(middle[c - 1] <= v) && !(middle[c + 1] <= v)
                    && (up == null || lowerThan(v, up, c) && lowerThan(v, down, c))) {
                found(new Minimum(row, c, grid.horizontal().value(c), grid.vertical().value(row), v));
            }
        }
    }

    /** v < row[c - 1], row[c], row[c + 1], where NaN counts as higher */
    private static boolean lowerThan(float v, float[] row, int c) {
        return !(row[c - 1] <= v) && !(row[c] <= v) && !(row[c + 1] <= v);
    }

    private void found(Minimum minimum) {
        count++;
        lowest.add(minimum);
        if (lowest.size() > limit) {
            lowest.poll();
        }
    }

    /** Three rows of the grid. */
    @Override
    public long bytes(GridSpec full) {
        return 3L * full.columns() * Float.BYTES + 64L * limit;
    }

    /** Local minima found, all of them. */
    public long count() {
        return count;
    }

    /** The lowest {@code limit} local minima, lowest first. */
    public List<Minimum> lowest() {
        List<Minimum> sorted = new ArrayList<>(lowest);
        sorted.sort(Comparator.comparingDouble(Minimum::loss));
        return sorted;
    }
}
