package org.lossgrid.surface;

import org.lossgrid.backend.DeviceDataset;
import org.lossgrid.backend.SurfaceTiles;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.Network;

/**
 * A loss landscape L(theta* + alpha d1 + beta d2) computed in row tiles: row r is beta_r, column c is
 * alpha_c, and each tile is one {@link DeviceDataset#networkPlane} call for the tile's points (a backend
 * may use the plane's structure; otherwise each point's parameters go to the device as float32). The resident samples are in the units the network was trained in (standardized, where the
 * model is scaled), so the device computes the loss in units of {@code yScale} and each value is brought
 * back to original units by {@link Loss#rescale}.
 */
public final class LandscapeTiles implements SurfaceTiles {
    /** Parameter floats per call at most (64 MiB): a tile of a large network is fewer grid points. */
    private static final long MAX_TILE_FLOATS = 1L << 24;

    private final DeviceDataset data;
    private final Loss loss;
    private final Loss scaledLoss;
    private final double yScale;
    private final Network network;
    private final double[] centre;
    private final Directions directions;
    private final GridSpec grid;

    /** {@code data} holds the samples in the network's units; {@code loss} is in original units, y = yScale * y'. */
    public LandscapeTiles(DeviceDataset data, Loss loss, double yScale, Network network, double[] centre,
            Directions directions, GridSpec grid) {
        if (centre.length != network.parameterCount() || directions.first().length != centre.length) {
            throw new IllegalArgumentException(centre.length + " parameters for " + network);
        }
        this.data = data;
        this.loss = loss;
        this.scaledLoss = loss.inUnitsOf(yScale);
        this.yScale = yScale;
        this.network = network;
        this.centre = centre.clone();
        this.directions = directions;
        this.grid = grid;
    }

    @Override
    public int maxRowsPerTile() {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, MAX_TILE_FLOATS / network.parameterCount() / grid.columns()));
    }

    /** Tiles of at most {@link #MAX_TILE_FLOATS} parameter floats, so that progress is reported as they finish. */
    @Override
    public long preferredTilePoints() {
        return Math.max(1, MAX_TILE_FLOATS / network.parameterCount());
    }

    /** rows x columns parameter vectors of float32 and one double loss each */
    @Override
    public long workingBytes(int rows) {
        long points = (long) rows * grid.columns();
        return points * ((long) network.parameterCount() * Float.BYTES + 16 + Double.BYTES);
    }

    /** out[(r - row0) * columns + c] = rescale(L'(theta* + alpha_c d1 + beta_r d2), yScale) */
    @Override
    public void computeRows(int row0, int rows, float[] out) {
        int columns = grid.columns();
        double[] alphas = new double[rows * columns];
        double[] betas = new double[rows * columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                alphas[r * columns + c] = grid.horizontal().value(c);
                betas[r * columns + c] = grid.vertical().value(row0 + r);
            }
        }
        double[] losses = data.networkPlane(scaledLoss, network, centre, directions.first(), directions.second(), alphas,
                betas);
        for (int i = 0; i < losses.length; i++) {
            out[i] = (float) loss.rescale(losses[i], yScale);
        }
    }
}
