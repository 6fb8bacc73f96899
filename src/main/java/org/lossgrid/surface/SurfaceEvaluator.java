package org.lossgrid.surface;

import static org.lossgrid.error.LossgridException.param;

import java.util.ArrayList;
import java.util.List;

import org.lossgrid.util.Progress;
import org.lossgrid.util.Bytes;
import org.lossgrid.backend.SurfaceTiles;
import org.lossgrid.error.LossgridException;

/**
 * Runs a surface through its tiles and into its sinks, within a memory budget: tiles are as many rows
 * as fit the budget (and the device's limits), so a surface never needs one array of its full size
 * unless a sink asks for it. Tracks the argmin and reports progress.
 */
public final class SurfaceEvaluator {
    private final long maxMemoryBytes;
    private final Progress progress;

    public SurfaceEvaluator(long maxMemoryBytes, Progress progress) {
        this.maxMemoryBytes = maxMemoryBytes;
        this.progress = progress;
    }

    /** The default budget: half of the heap. */
    public static long defaultBudget() {
        return Runtime.getRuntime().maxMemory() / 2;
    }

    public SurfaceResult run(SurfaceTiles tiles, String method, GridSpec grid, Slice slice, long samples,
            List<SurfaceSink> sinks) {
        long start = System.nanoTime();
        int columns = grid.columns();
        long sinkBytes = sinks.stream().mapToLong(s -> s.bytes(grid)).sum();
        int rows = tileRows(tiles, grid, sinkBytes);
        for (SurfaceSink sink : sinks) {
            sink.begin(grid);
        }
        float[] tile = new float[rows * columns];
        long computeNanos = 0;
        ArgminTracker argmin = new ArgminTracker(grid);
        for (int row0 = 0; row0 < grid.rows(); row0 += rows) {
            int count = Math.min(rows, grid.rows() - row0);
            long t0 = System.nanoTime();
            tiles.computeRows(row0, count, tile);
            computeNanos += System.nanoTime() - t0;
            argmin.rows(row0, count, tile);
            for (SurfaceSink sink : sinks) {
                sink.rows(row0, count, tile);
            }
            progress.update((long) (row0 + count) * columns, grid.points());
        }
        double seconds = (System.nanoTime() - start) * 1e-9;
        return new SurfaceResult(grid, slice, method, argmin.result(slice, grid), samples, seconds,
                Math.max(computeNanos, 1) * 1e-9, argmin.nonFinite);
    }

    /** Computes the whole surface into one array, if it fits the budget. */
    public Surface inMemory(SurfaceTiles tiles, String method, GridSpec grid, Slice slice, long samples,
            List<SurfaceSink> sinks) {
        long bytes = grid.points() * Float.BYTES;
        if (grid.points() > Integer.MAX_VALUE - 16 || bytes > maxMemoryBytes) {
            throw LossgridException.resources("a " + grid.rows() + " x " + grid.columns() + " surface needs "
                    + Bytes.format(bytes) + " in memory, above the budget of " + Bytes.format(maxMemoryBytes)
                    + "; write it to a file with " + param("npy") + " (which streams in tiles), use a smaller grid, "
                    + "or raise " + param("max-memory") + " and -Xmx");
        }
        float[] values = new float[(int) grid.points()];
        List<SurfaceSink> all = new ArrayList<>(sinks);
        int columns = grid.columns();
        all.add((row0, rows, tile) -> System.arraycopy(tile, 0, values, row0 * columns, rows * columns));
        SurfaceResult result = new SurfaceEvaluator(maxMemoryBytes - bytes, progress)
                .run(tiles, method, grid, slice, samples, all);
        return new Surface(values, result);
    }

    private int tileRows(SurfaceTiles tiles, GridSpec grid, long sinkBytes) {
        long rowBytes = (long) grid.columns() * Float.BYTES;
        long fixedBytes = tiles.workingBytes(0);
        long workingRowBytes = tiles.workingBytes(1) - fixedBytes;
        long oneRow = sinkBytes + fixedBytes + rowBytes + workingRowBytes;
        if (oneRow > maxMemoryBytes) {
            throw LossgridException.resources("one row of " + grid.columns() + " grid points with its outputs needs "
                    + Bytes.format(oneRow) + ", above the memory budget of " + Bytes.format(maxMemoryBytes)
                    + "; raise " + param("max-memory") + " (and -Xmx), or use fewer points");
        }
        long byBudget = (maxMemoryBytes - sinkBytes - fixedBytes) / (rowBytes + Math.max(1, workingRowBytes));
        long byTarget = Math.max(1, tiles.preferredTilePoints() / grid.columns());
        long rows = Math.min(Math.min(byBudget, byTarget), Math.min(tiles.maxRowsPerTile(), grid.rows()));
        return (int) Math.max(1, rows);
    }

    /** Tracks the lowest finite value seen and where, and counts the values that are not finite. */
    private static final class ArgminTracker {
        private final int columns;
        private float best = Float.POSITIVE_INFINITY;
        private long at = -1;
        private long nonFinite;

        ArgminTracker(GridSpec grid) {
            this.columns = grid.columns();
        }

        void rows(int row0, int rows, float[] tile) {
            int count = rows * columns;
            for (int i = 0; i < count; i++) {
                if (!Float.isFinite(tile[i])) {
                    nonFinite++;
                } else if (tile[i] < best) {
                    best = tile[i];
                    at = (long) row0 * columns + i;
                }
            }
        }

        Argmin result(Slice slice, GridSpec grid) {
            if (at < 0) {
                return new Argmin(Double.NaN, Double.NaN, Double.NaN, -1, -1);
            }
            int row = (int) (at / columns);
            int column = (int) (at % columns);
            return new Argmin(grid.horizontal().value(column), grid.vertical().value(row), best, row, column);
        }
    }
}
