package org.lossgrid.surface;

/** A surface held in memory: {@code values[r * columns + c]} is the loss at (u_c, v_r). */
public record Surface(float[] values, SurfaceResult result) {
    public GridSpec grid() {
        return result.grid();
    }

    public float at(int row, int column) {
        return values[row * grid().columns() + column];
    }
}
