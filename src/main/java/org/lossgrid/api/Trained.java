package org.lossgrid.api;

import org.lossgrid.exact.ExactOptimum;
import org.lossgrid.train.TrainConfig;
import org.lossgrid.train.TrainResult;

/**
 * A finished training run: its configuration, the result with its trajectory, the losses of the final
 * parameters on the training and test samples (in double on the host data; NaN when the run diverged
 * or there is no test set), the exact optimum to compare with, and, for a run that diverged, what
 * happened and what to try instead.
 */
public record Trained(TrainConfig config, TrainResult result, double trainLoss, double testLoss,
        ExactOptimum.Fit optimum, String divergence) {

    public boolean diverged() {
        return result.diverged();
    }

    /** L - L*, how far above the exact optimum the run ended. */
    public double gap() {
        return trainLoss - optimum.loss();
    }
}
