package org.lossgrid.train;

import static org.lossgrid.error.LossgridException.param;

import org.lossgrid.error.LossgridException;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.ModelSpec;

/**
 * How to train a network (《深度学习详解》 1.2.3): {@code epochs} passes over the training samples in
 * minibatches of {@code batch} (0: all samples, one step per epoch), in an order shuffled each epoch
 * from {@code seed}, which also draws the initial parameters; each minibatch is one step of the
 * optimizer with the constant learning rate {@code learningRate}, in standardized units unless
 * {@code standardize} is false.
 */
public record NetworkConfig(ModelSpec model, Loss loss, Optimizer.Kind optimizer, double learningRate, int epochs,
        int batch, long seed, boolean standardize) {

    /** The most epochs a run may ask for. */
    public static final int MAX_EPOCHS = 10_000_000;

    public NetworkConfig {
        if (model.linear()) {
            throw new IllegalArgumentException("the linear model trains by gradient descent steps, not epochs");
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw LossgridException.badInput(param("lr") + " must be a positive finite number, got " + learningRate);
        }
        if (epochs < 1 || epochs > MAX_EPOCHS) {
            throw LossgridException.badInput(param("epochs") + " must be 1.." + MAX_EPOCHS + ", got " + epochs);
        }
        if (batch < 0) {
            throw LossgridException.badInput(param("batch") + " must be at least 1 sample, got " + batch);
        }
    }

    /** Samples per step on {@code n} training samples: batch, or all of them when batch is 0 or larger than n. */
    public int batchOf(int n) {
        return batch == 0 ? n : Math.min(batch, n);
    }
}
