package org.lossgrid.backend;

import org.lossgrid.data.Dataset;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.Network;
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

    /**
     * A network's loss on a minibatch and its gradient: L = mean_(i in rows) term(y_i - net(theta, x_i)),
     * gradient dL/dtheta in the flat order of {@link Network}. {@code theta} is the flat float32 parameter
     * vector and {@code rows} index the resident samples: the only data a training step moves.
     */
    LossGradient networkLossAndGradient(Loss loss, Network network, float[] theta, int[] rows);

    /**
     * For each s, {@link #networkLossAndGradient} of parameter vector {@code thetas[s]} on its minibatch
     * {@code rows[s]}: a step of several networks trained together. This default makes one call per set; a
     * backend that can do all sets in one pass overrides it.
     */
    default LossGradient[] networkLossAndGradientBatch(Loss loss, Network network, float[][] thetas, int[][] rows) {
        if (rows.length != thetas.length) {
            throw new IllegalArgumentException(thetas.length + " parameter vectors but " + rows.length + " minibatches");
        }
        LossGradient[] results = new LossGradient[thetas.length];
        for (int s = 0; s < thetas.length; s++) {
            results[s] = networkLossAndGradient(loss, network, thetas[s], rows[s]);
        }
        return results;
    }

    /** The loss over all resident samples of each of many parameter vectors: result[s] = mean_i term(y_i - net(thetas[s], x_i)) */
    double[] networkLosses(Loss loss, Network network, float[][] thetas);

    /**
     * The losses over all resident samples on the plane theta = centre + alpha d1 + beta d2, at the points
     * (alphas[p], betas[p]): result[p] = mean_i term(y_i - net(theta_p, x_i)). This default forms each
     * point's float32 parameters ({@link Network#planePoint}) and calls {@link #networkLosses}; a backend
     * may use the plane instead (for one hidden layer the pre-activations are affine in alpha and beta).
     */
    default double[] networkPlane(Loss loss, Network network, double[] centre, double[] d1, double[] d2,
            double[] alphas, double[] betas) {
        float[][] thetas = new float[alphas.length][];
        for (int p = 0; p < alphas.length; p++) {
            thetas[p] = Network.planePoint(centre, d1, d2, alphas[p], betas[p], new float[centre.length]);
        }
        return networkLosses(loss, network, thetas);
    }

    @Override
    void close();
}
