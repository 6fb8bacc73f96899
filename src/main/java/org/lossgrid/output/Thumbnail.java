package org.lossgrid.output;

import org.lossgrid.surface.Axis;
import org.lossgrid.surface.GridSpec;
import org.lossgrid.surface.SurfaceSink;

/**
 * Keeps at most {@code limit x limit} evenly strided points of a surface as it streams past, for
 * drawing: a 16384^2 surface becomes a 512^2 picture without a 1 GiB array.
 */
public final class Thumbnail implements SurfaceSink {
    private final int limit;
    private int rowStride;
    private int columnStride;
    private int columns;
    private float[] values;
    private GridSpec grid;

    public Thumbnail(int limit) {
        this.limit = limit;
    }

    @Override
    public void begin(GridSpec full) {
        rowStride = stride(full.rows());
        columnStride = stride(full.columns());
        Axis h = picked(full.horizontal(), columnStride);
        Axis v = picked(full.vertical(), rowStride);
        grid = new GridSpec(h, v);
        columns = full.columns();
        values = new float[h.n() * v.n()];
    }

    private int stride(int n) {
        return (n + limit - 1) / limit;
    }

    /** The axis of every stride-th point: the same first value, the last picked one as max. */
    private static Axis picked(Axis axis, int stride) {
        int n = (axis.n() - 1) / stride + 1;
        return new Axis(axis.min(), axis.value((n - 1) * stride), n);
    }

    @Override
    public void rows(int row0, int rows, float[] tile) {
        for (int r = 0; r < rows; r++) {
            int row = row0 + r;
            if (row % rowStride != 0 || row / rowStride >= grid.rows()) {
                continue;
            }
            int at = (row / rowStride) * grid.columns();
            for (int c = 0; c < grid.columns(); c++) {
                values[at + c] = tile[r * columns + c * columnStride];
            }
        }
    }

    @Override
    public long bytes(GridSpec full) {
        return (long) Math.min(limit, full.rows()) * Math.min(limit, full.columns()) * Float.BYTES;
    }

    public GridSpec grid() {
        return grid;
    }

    public float[] values() {
        return values;
    }
}
