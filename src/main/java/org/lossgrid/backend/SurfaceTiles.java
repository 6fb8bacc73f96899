package org.lossgrid.backend;

/**
 * One surface being computed in row tiles: row r of the grid is the plane's vertical value r.
 * Implemented by every backend's brute force and by the CPU's exact-fast methods.
 */
public interface SurfaceTiles extends AutoCloseable {
    /** The most rows one call may compute, given the device's allocation limits. */
    int maxRowsPerTile();

    /**
     * Grid points per tile when the memory budget allows more: small tiles give steady progress
     * reports; methods whose work per tile does not shrink with the rows (exact-fast MAE passes over
     * every sample for each column of each tile) ask for tiles as large as the budget allows.
     */
    default long preferredTilePoints() {
        return 1L << 22;
    }

    /**
     * Working memory in bytes for a tile of {@code rows} rows, beyond the caller's output array; the
     * evaluator takes it as affine in the rows, a fixed part plus so much per row.
     */
    long workingBytes(int rows);

    /** out[(r - row0) * columns + c] = L(row r, column c) for rows row0 .. row0 + rows - 1 */
    void computeRows(int row0, int rows, float[] out);

    /** Releases device buffers; nothing to do for host-only methods. */
    @Override
    default void close() {
    }
}
