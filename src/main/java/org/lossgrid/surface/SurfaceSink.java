package org.lossgrid.surface;

/** Receives a surface row tile by row tile, in order; row r is vertical value r. */
public interface SurfaceSink {
    /** Called before the first tile. */
    default void begin(GridSpec grid) {
    }

    /** values[(r - row0) * columns + c] for rows row0 .. row0 + rows - 1; the array is reused afterwards. */
    void rows(int row0, int rows, float[] values);

    /** Working memory this sink holds, for the budget. */
    default long bytes(GridSpec grid) {
        return 0;
    }
}
