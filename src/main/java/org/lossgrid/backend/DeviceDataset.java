package org.lossgrid.backend;

import org.lossgrid.data.Dataset;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.Params;

/**
 * A dataset resident on a backend's device, and the operations on it. Every result is within the
 * precision contract (DESIGN.md section 4) of {@code reference.Reference}.
 */
public interface DeviceDataset extends AutoCloseable {
    /** The host copy it was uploaded from. */
    Dataset host();

    /** L(params) = mean_i term(y_i - params . x_i) */
    default double loss(Loss loss, Params params) {
        return lossAndGradient(loss, params).loss();
    }

    /** L(params) and [dL/db, dL/dw1..k] = -mean_i slope(e_i) * [1, x_1i..x_ki] */
    LossGradient lossAndGradient(Loss loss, Params params);

    /** lossAndGradient for many parameter sets in one pass over the data (one launch on a GPU). */
    LossGradient[] lossAndGradientBatch(Loss loss, Params[] params);

    /** Prepares a brute-force surface of the plane; the returned tiles compute rows of it. */
    SurfaceTiles surface(Loss loss, SurfacePlane plane);

    @Override
    void close();
}
