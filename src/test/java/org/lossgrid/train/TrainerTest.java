package org.lossgrid.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lossgrid.Nist;
import org.lossgrid.TestData;
import org.lossgrid.backend.Backend;
import org.lossgrid.backend.BackendProvider;
import org.lossgrid.backend.Backends;
import org.lossgrid.backend.cpu.CpuBackend;
import org.lossgrid.data.Dataset;
import org.lossgrid.data.SampleChannel;
import org.lossgrid.data.Series;
import org.lossgrid.exact.ExactOptimum;
import org.lossgrid.loss.Loss;
import org.lossgrid.model.Params;
import org.lossgrid.reference.Reference;
import org.lossgrid.util.Progress;

/** Gradient descent reaches the exact optima on every available backend, with the CLI's defaults. */
class TrainerTest {
    static Stream<String> backends() {
        return Backends.standard().providers().stream().filter(p -> p.probe().available()).map(BackendProvider::name);
    }

    private static Backend open(String name) {
        return Backends.standard().open(name, null, message -> { });
    }

    private static TrainConfig defaults(Loss loss, int features) {
        return new TrainConfig(loss, 0.1, 10000, 1e-7, Params.zeros(features), Optimizer.Kind.GD, true, true,
                TrainConfig.Schedule.parse("auto", loss), 1);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void mseOnNorrisReachesTheCertifiedOptimum(String backend) {
        Dataset norris = Nist.load("norris");
        try (Backend b = open(backend); Trainer trainer = new Trainer(b, norris, defaults(Loss.MSE, 1))) {
            TrainResult result = trainer.run(Progress.NONE);
            double rss = Reference.loss(Loss.MSE, norris, result.params()) * norris.n();
            assertTrue(result.converged());
            assertEquals(Nist.NORRIS_RSS, rss, 1e-6 * Nist.NORRIS_RSS);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void everyLossOnRandomDataReachesTheExactOptimum(String backend) {
        for (int k : new int[] {1, 3}) {
            Dataset data = TestData.random(40 + k, 1461, k);
            try (Backend b = open(backend)) {
                for (Loss loss : TestData.LOSSES) {
                    try (Trainer trainer = new Trainer(b, data, defaults(loss, k))) {
                        TrainResult result = trainer.run(Progress.NONE);
                        double reached = Reference.loss(loss, data, result.params());
                        double optimum = ExactOptimum.fit(loss, data, true).loss();
                        double tolerance = loss.smooth() ? 1e-6 : 1e-2;
                        assertTrue(reached - optimum <= tolerance * optimum, loss.name() + " k=" + k + ": " + reached
                                + " vs optimum " + optimum);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void huberReachesTheExactHuberOptimumWithOutliersAndOnTheSampleChannel(String backend) {
        List<Dataset> datasets = List.of(TestData.withOutliers(5, 1461, 1), TestData.withOutliers(6, 1461, 3),
                SampleChannel.bundled().lagFeatures(1, Series.DEFAULT_TRAIN_UNTIL).train());
        try (Backend b = open(backend)) {
            for (Dataset data : datasets) {
                Loss huber = new Loss.Huber(ExactOptimum.huberDelta(data, true));
                try (Trainer trainer = new Trainer(b, data, defaults(huber, data.k()))) {
                    TrainResult result = trainer.run(Progress.NONE);
                    double reached = Reference.loss(huber, data, result.params());
                    double optimum = ExactOptimum.fit(huber, data, true).loss();
                    assertFalse(result.diverged(), data.name());
                    assertTrue(Math.abs(reached - optimum) <= 1e-6 * optimum, data.name() + ": " + reached + " vs optimum "
                            + optimum);
                }
            }
        }
    }

    @Test
    void noInterceptTrainingMatchesNistNoInt1() {
        Dataset data = Nist.load("noint1");
        TrainConfig config = new TrainConfig(Loss.MSE, 0.1, 10000, 1e-9, Params.zeros(1), Optimizer.Kind.GD, true, false,
                TrainConfig.Schedule.CONSTANT, 1);
        try (CpuBackend cpu = new CpuBackend(); Trainer trainer = new Trainer(cpu, data, config)) {
            TrainResult result = trainer.run(Progress.NONE);
            assertEquals(0, result.params().b());
            // the device holds float32 data, so parameters agree to float precision and the loss to 1e-6
            assertEquals(Nist.NOINT1_B1, result.params().w(0), 1e-6 * Nist.NOINT1_B1);
            double rss = Reference.loss(Loss.MSE, data, result.params()) * data.n();
            assertEquals(Nist.NOINT1_RSS, rss, 1e-6 * Nist.NOINT1_RSS);
        }
    }

    @Test
    void rawUnitsWithTooLargeAStepDivergeAndKeepThePath() {
        Dataset data = TestData.random(3, 500, 1);
        TrainConfig config = new TrainConfig(Loss.MSE, 0.1, 100, 0, Params.zeros(1), Optimizer.Kind.GD, false, true,
                TrainConfig.Schedule.CONSTANT, 1);
        try (CpuBackend cpu = new CpuBackend(); Trainer trainer = new Trainer(cpu, data, config)) {
            TrainResult result = trainer.run(Progress.NONE);
            assertTrue(result.diverged());
            assertFalse(result.converged());
            assertTrue(result.trajectory().size() >= 2);
            assertEquals(0, result.trajectory().get(0).step());
            double limit = StableStep.mseLimit(data, true);
            assertTrue(limit < 1e-6 && limit > 1e-9, "stable limit " + limit);
        }
    }

    @Test
    void everyOptimizerConverges() {
        Dataset data = TestData.random(8, 700, 2);
        double optimum = ExactOptimum.fit(Loss.MSE, data, true).loss();
        for (Optimizer.Kind kind : Optimizer.Kind.values()) {
            TrainConfig config = new TrainConfig(Loss.MSE, kind == Optimizer.Kind.ADAM ? 0.02 : 0.05, 20000, 1e-8,
                    Params.zeros(2), kind, true, true, TrainConfig.Schedule.CONSTANT, 1);
            try (CpuBackend cpu = new CpuBackend(); Trainer trainer = new Trainer(cpu, data, config)) {
                double reached = Reference.loss(Loss.MSE, data, trainer.run(Progress.NONE).params());
                assertEquals(optimum, reached, 1e-6 * optimum, kind.cliName());
            }
        }
    }

    @Test
    void aSweepEqualsSeparateRuns() {
        Dataset data = TestData.random(9, 300, 1);
        TrainConfig config = new TrainConfig(Loss.MSE, 0.1, 50, 0, Params.zeros(1), Optimizer.Kind.MOMENTUM, true, true,
                TrainConfig.Schedule.CONSTANT, 1);
        double[] rates = {0.01, 0.1, 5};
        try (CpuBackend cpu = new CpuBackend(); Trainer trainer = new Trainer(cpu, data, config)) {
            List<TrainResult> swept = trainer.sweep(rates, Progress.NONE);
            for (int r = 0; r < rates.length; r++) {
                TrainResult alone = trainer.run(rates[r], Progress.NONE);
                assertEquals(alone.diverged(), swept.get(r).diverged(), "lr " + rates[r]);
                assertEquals(alone.steps(), swept.get(r).steps(), "lr " + rates[r]);
                assertArrayEquals(alone.params().flat(), swept.get(r).params().flat(), "lr " + rates[r]);
            }
            assertTrue(swept.get(2).diverged());
        }
    }

    @Test
    void scalingRoundTripsAndPreservesPredictions() {
        Dataset data = TestData.random(4, 50, 3);
        Scaling scaling = Scaling.standardize(data, true);
        Params original = new Params(120, new double[] {0.2, -0.4, 0.7});
        Params scaled = scaling.toScaled(original);
        assertArrayEquals(original.flat(), scaling.toOriginal(scaled).flat(), 1e-9);
        Dataset units = scaling.apply(data);
        for (Loss loss : TestData.LOSSES) {
            double inScaled = Reference.loss(loss.inUnitsOf(scaling.yScale()), units, scaled);
            assertEquals(Reference.loss(loss, data, original), loss.rescale(inScaled, scaling.yScale()),
                    1e-9 * Reference.loss(loss, data, original));
        }
    }

    @Test
    void trajectoriesKeepEveryNthStepAndTheEnds() {
        Trajectory path = new Trajectory(100);
        for (int step = 0; step <= 1000; step++) {
            path.offer(new TrainResult.Point(step, Params.zeros(1), step));
        }
        List<TrainResult.Point> points = path.finish(new TrainResult.Point(1001, Params.zeros(1), 0));
        assertEquals(12, points.size(), "steps 0, 100, ..., 1000 and the last");
        assertEquals(0, points.get(0).step());
        assertEquals(500, points.get(5).step());
        assertEquals(1001, points.get(points.size() - 1).step());
        Trajectory all = new Trajectory(1);
        for (int step = 0; step <= 10; step++) {
            all.offer(new TrainResult.Point(step, Params.zeros(1), step));
        }
        assertEquals(11, all.finish(new TrainResult.Point(10, Params.zeros(1), 0)).size());
    }
}
