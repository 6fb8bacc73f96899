package org.lossgrid.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.lossgrid.backend.cpu.CpuBackend;
import org.lossgrid.data.Dataset;
import org.lossgrid.exact.ExactOptimum;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.ModelSpec;
import org.lossgrid.reference.NetworkReference;
import org.lossgrid.util.Progress;

/** Minibatch training of networks on the CPU backend: what lines cannot fit, steps, history and divergence. */
class NetworkTrainerTest {
    /** y = |x| + noise in view-count units: no line fits it, two ReLUs do. */
    private static Dataset vee(long seed, int n) {
        Random random = new Random(seed);
        double[][] x = new double[1][n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[0][i] = 4000 * random.nextDouble() - 2000;
            y[i] = 1000 + Math.abs(x[0][i]) + 20 * random.nextGaussian();
        }
        return new Dataset("vee", List.of("x1"), x, y);
    }

    @Test
    void aReluNetworkFitsWhatTheBestLineCannot() {
        Dataset train = vee(1, 600);
        Dataset test = vee(2, 200);
        NetworkConfig config = new NetworkConfig(ModelSpec.parse("relu:8"), Loss.MSE, Optimizer.Kind.ADAM, 0.02, 150, 32,
                3, true);
        try (CpuBackend backend = new CpuBackend(2);
             NetworkTrainer trainer = new NetworkTrainer(backend, train, test, config)) {
            NetworkTrainer.Result result = trainer.run(Progress.NONE);
            assertFalse(result.diverged());
            assertEquals(151, result.history().size());
            assertEquals(150 * (600 / 32 + 1), result.steps());
            double line = ExactOptimum.fit(Loss.MSE, train, true).loss();
            double network = NetworkReference.loss(Loss.MSE, train, result.model());
            assertTrue(network < 0.05 * line, "network " + network + " vs the best line " + line);
            NetworkTrainer.Epoch last = result.history().get(150);
            assertEquals(network, last.trainLoss(), 1e-4 * network, "history in original units");
            double testLoss = NetworkReference.loss(Loss.MSE, test, result.model());
            assertEquals(testLoss, last.testLoss(), 1e-4 * testLoss);
        }
    }

    @Test
    void rawUnitsSaveNoScaleAndAHugeRateDivergesInTheFirstEpoch() {
        Dataset train = vee(3, 100);
        NetworkConfig config = new NetworkConfig(ModelSpec.parse("sigmoid:3"), Loss.MAE, Optimizer.Kind.GD, 1e12, 10, 0,
                1, false);
        try (CpuBackend backend = new CpuBackend(1);
             NetworkTrainer trainer = new NetworkTrainer(backend, train, vee(4, 0), config)) {
            NetworkTrainer.Result result = trainer.run(Progress.NONE);
            assertTrue(result.diverged());
            assertEquals(null, result.model().scale());
            assertEquals(2, result.history().size());
            assertTrue(Double.isNaN(result.history().get(0).testLoss()), "no test samples");
            assertTrue(trainer.divergence(result).startsWith("training diverged in epoch 1 with learning rate 1e12"),
                    trainer.divergence(result));
        }
    }
}
