package org.lossgrid.api;

import org.lossgrid.model.NetworkModel;
import org.lossgrid.train.NetworkConfig;
import org.lossgrid.train.NetworkTrainer;

/**
 * A finished network training run: its configuration, its seed and learning rate (which differ between
 * the runs of a sweep), the result with the loss after every epoch, the
 * losses of exactly the saved model on the training and test samples (in double on the host data, by the
 * params file's formula; NaN when the run diverged or there is no test set), and, for a run that
 * diverged, what happened and what to try instead.
 */
public record TrainedNetwork(NetworkConfig config, NetworkTrainer.Run run, NetworkTrainer.Result result, double trainLoss, double testLoss,
        String divergence) {

    public boolean diverged() {
        return result.diverged();
    }

    /** The trained model, as {@code --save-params} writes it. */
    public NetworkModel model() {
        return result.model();
    }
}
